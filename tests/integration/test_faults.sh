#!/usr/bin/env bash
# test_faults.sh - fault injection under load through the real nginx,
# spawn-fcgi and PostgreSQL (issue 9; docs/OPERATIONS.md "Faults and where
# they are tested").  Load comes from tests/lib/load.py; each case asserts
# what the load saw and what the database holds:
#   a. PostgreSQL restarted under load: only 200 and 503 (+ Retry-After),
#      nothing hangs, all 200 again within 5 s, prepared statements work
#   b. PostgreSQL down for MARQUEE_FAULT_OUTAGE seconds (20 by default; the
#      long run is MARQUEE_FAULT_OUTAGE=60 MARQUEE_TESTS=test_faults tests/run):
#      503 at once, static files served, HLS fails closed once nginx's auth
#      cache (10 s) has expired
#   c. PostgreSQL killed (immediate) under webhook and progress writes:
#      every acknowledged webhook stored once and applied, retried ones
#      applied once, the saved position between the last acknowledged and
#      the last sent
#   d. a crash burst (20 worker crashes within 10 s) under load
#   e. nginx reloaded under load: no failed request
#   g. slow clients (slowloris, slow bodies) and a connection storm past
#      limit_conn, while a client from another address is served
#   h. the processor's clock 1 h ahead: webhooks refused, stored once the
#      clock is right again
#   f. the log's disk full (last: it stops the app and mounts a tmpfs over
#      the log directory; SKIP where mount is not permitted)
# Timings are bounds against hangs, never benchmarks.  Everything stopped
# is started again, every mount undone, every member deleted on exit.
#
# Needs a test build (--enable-test-routes: /__test/crash), slowhttptest
# and faketime (tests/run installs them), the owner role's
# MARQUEE_DATABASE_URL and the stack's paysim.env (webhook secret).
set -u
. "$(dirname "$0")/../lib/assert.sh"
. "$(dirname "$0")/../lib/stack.sh"
. "$(dirname "$0")/../lib/member.sh"

URL=${MARQUEE_TEST_URL:-}
DB=${MARQUEE_DATABASE_URL:-}
if [ -z "$URL" ] || [ -z "$DB" ] || [ ! -r "$MARQUEE_VAR/paysim.env" ]; then
	t_skip "faults: all checks" "MARQUEE_TEST_URL, MARQUEE_DATABASE_URL or \$MARQUEE_VAR/paysim.env missing"
	exit 0
fi
OUTAGE=${MARQUEE_FAULT_OUTAGE:-20}
case $OUTAGE in '' | *[!0-9]*)
	t_fail "faults: MARQUEE_FAULT_OUTAGE is whole seconds" "got '$OUTAGE'"
	exit 0 ;;
esac
LOAD=(python3 "$MARQUEE_SRC/tests/lib/load.py")
NGXLOG=$(stack_nginx_log)
LOGDIR=$MARQUEE_VAR/log
CONNECT_TIMEOUT=$(sed -n 's/^db_connect_timeout *= *//p' "$MARQUEE_VAR/marquee.conf" 2>/dev/null)
CONNECT_TIMEOUT=${CONNECT_TIMEOUT:-2}
TAG=faults$$
W=$(mktemp -d /tmp/marquee-faults-test.XXXXXX)
chmod 0755 "$W"
MOUNTED=0

q() { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
now_ms() { date +%s%3N; }
# sleep_until MS: sleep until the wall clock reaches MS (ms since the epoch).
sleep_until() {
	local left=$(($1 - $(now_ms)))
	[ "$left" -gt 0 ] && sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
	return 0
}

# load_start NAME MODE ARGS...: load.py MODE in the background until
# load_stop NAME; its lines in $W/NAME.txt, its stderr in $W/NAME.err.
declare -A LOADPID
load_start() {
	local name=$1 mode=$2
	shift 2
	touch "$W/$name.run"
	"${LOAD[@]}" "$mode" "$URL" --out "$W/$name.txt" --stop-file "$W/$name.run" "$@" \
		2>"$W/$name.err" &
	LOADPID[$name]=$!
}
load_stop() {
	rm -f "$W/$1.run"
	wait "${LOADPID[$1]}"
	unset "LOADPID[$1]"
}
# count FILE AWK-CONDITION: lines of FILE for which the condition holds.
count() { awk "$2 { n++ } END { print n + 0 }" "$1"; }
# tally FILE AWK-CONDITION [FIELD]: "NxSTATUS ..." for the lines that match
# (what went wrong); the status is field 2 (load.py) or FIELD.
tally() { awk "$2 { print \$${3:-2} }" "$1" | sort | uniq -c | awk '{ printf "%s%sx%s", s, $1, $2; s = " " }'; }
in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

logs_unmount() {
	stack_app_stop
	cp "$LOGDIR/marquee.log" "$W/marquee.log.tmpfs" 2>/dev/null
	umount "$LOGDIR" && MOUNTED=0
	cat "$W/marquee.log.tmpfs" >>"$LOGDIR/marquee.log" 2>/dev/null
	stack_app_start
}
cleanup() {
	local n
	for n in "${!LOADPID[@]}"; do
		rm -f "$W/$n.run"
		kill "${LOADPID[$n]}" 2>/dev/null
	done
	wait
	[ "$MOUNTED" = 1 ] && logs_unmount
	stack_pg_start
	stack_app_start
	psql "$DB" -X -q -c "DELETE FROM billing_events WHERE processor_event_id LIKE '$TAG-%'" \
		-c "DELETE FROM users WHERE email LIKE '$TAG-%@example.test'" >/dev/null 2>&1
	rm -rf "$W"
}
trap cleanup EXIT

# The seeded test stream (deploy/local seed) and its playlist.
read -r SLUG VID <<<"$(q "SELECT slug, id FROM videos WHERE is_published AND deleted_at IS NULL
	AND hls_manifest_url = '/hls/test/master.m3u8' ORDER BY slug LIMIT 1" | tr '|' ' ')"
if [ -z "$SLUG" ]; then
	t_skip "faults: all checks" "no live video with the seeded stream /hls/test/master.m3u8"
	exit 0
fi
MANIFEST=/hls/test/master.m3u8
STATIC=/static/css/site.css
PAGE=/videos/$SLUG
N=$(stack_nworkers)

# A member, subscribed the way the processor does it: a signed sale webhook.
member_new "$DB" "$TAG-m@example.test" "$TAG-m" none
MID=$M_ID COOKIE=$M_COOKIE
"${LOAD[@]}" hooks "$URL" --out "$W/sub.txt" --member "$MID" --count 1 --prefix "$TAG-sub" 2>/dev/null
t_eq "setup: a signed sale webhook subscribes the member" \
	"$(cut -d' ' -f2 "$W/sub.txt" 2>/dev/null),$(q "SELECT marquee_entitled('$MID')")" "200,t"
member_get() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 -b "$COOKIE" "$URL$1"; }
# member_all_200 N PATH: N sequential GETs of PATH as the member all 200.
member_all_200() {
	local i
	for ((i = 0; i < $1; i++)); do
		[ "$(member_get "$2")" = 200 ] || return 1
	done
}

# ------------------------------------------------------------------ a. PostgreSQL restarted under load

load_start a get --threads 3 --interval 0.01 --cookie "$COOKIE" /healthz "$PAGE" /
sleep 2
if stack_pg_stop fast; then
	sleep 2
	stack_pg_start || t_fail "pg restart: PostgreSQL started again" "stack_pg_start failed"
	back=$(now_ms)
	sleep 6
	load_stop a
	f=$W/a.txt
	t_ok "pg restart: the load ran throughout ($(count "$f" 1) requests)" [ "$(count "$f" 1)" -ge 50 ]
	t_ok "pg restart: the load met the outage ($(count "$f" '$2 == 503') x 503)" [ "$(count "$f" '$2 == 503')" -gt 0 ]
	t_eq "pg restart: statuses only 200 and 503" "$(tally "$f" '$2 != 200 && $2 != 503')" ""
	t_eq "pg restart: no request hung (client timeout 10 s)" "$(count "$f" '$2 == "timeout"')" 0
	t_eq "pg restart: every 503 has Retry-After" "$(count "$f" '$2 == 503 && $3 !~ /^[0-9]+$/')" 0
	t_ok "pg restart: requests more than 5 s after PostgreSQL is back" [ "$(count "$f" '$1 > '$((back + 5000)))" -gt 0 ]
	t_eq "pg restart: all 200 from 5 s after PostgreSQL is back" "$(tally "$f" '$1 > '$((back + 5000))' && $2 != 200')" ""
	t_ok "pg restart: prepared statements work on every worker's new connection (video page 200)" \
		member_all_200 $((3 * N)) "$PAGE"
else
	load_stop a
	t_skip "pg restart" "stack_pg_stop failed (external database?)"
fi

# ------------------------------------------------------------------ b. PostgreSQL down for the outage

t_eq "outage: the member plays before it (nginx caches the yes for 10 s)" "$(member_get "$MANIFEST")" 200
cached=$(now_ms)
load_start b get --threads 2 --interval 0.01 --cookie "$COOKIE" /healthz "$PAGE"
if stack_pg_stop fast; then
	down=$(now_ms)
	sleep 1
	t_eq "outage: a static file is 200" "$(http_status "$URL$STATIC")" 200
	if [ "$OUTAGE" -ge 12 ]; then
		sleep_until $((cached + 11000))
		t_eq "outage: HLS manifest for the entitled member is 403 once nginx's cache expired (fails closed)" \
			"$(member_get "$MANIFEST")" 403
	else
		t_skip "outage: HLS fails closed" "MARQUEE_FAULT_OUTAGE=$OUTAGE is shorter than nginx's 10 s auth cache"
	fi
	sleep_until $((down + OUTAGE * 1000))
	up=$(now_ms)
	load_stop b
	stack_pg_start || t_fail "outage: PostgreSQL started again" "stack_pg_start failed"
	f=$W/b.txt
	# From 1 s after the stop (requests in flight then may still finish) to the end.
	in="\$1 > $((down + 1000)) && \$1 <= $up"
	bound=$(((CONNECT_TIMEOUT + 2) * 1000))
	t_ok "outage (${OUTAGE} s): the load ran throughout ($(count "$f" "$in") requests)" [ "$(count "$f" "$in")" -ge 20 ]
	t_eq "outage: every request answered 503" "$(tally "$f" "$in && \$2 != 503")" ""
	t_eq "outage: every 503 has Retry-After" "$(count "$f" "$in && \$3 !~ /^[0-9]+\$/")" 0
	t_eq "outage: every 503 within db_connect_timeout + 2 s (${bound} ms)" "$(count "$f" "$in && \$5 >= $bound")" 0
	t_ok "outage over: the member plays again" wait_until 10 eval '[ "$(member_get "$MANIFEST")" = 200 ]'
else
	load_stop b
	t_skip "outage" "stack_pg_stop failed (external database?)"
fi

# ------------------------------------------------------------------ c. durability

# The player's page first: every worker has its connection again.
wait_until 10 member_all_200 $((2 * N)) "$PAGE"
mark=$(stack_log_mark)
touch "$W/c.run"
"${LOAD[@]}" progress "$URL" --out "$W/progress.txt" --cookie "$COOKIE" --video "$SLUG" \
	--stop-file "$W/c.run" --interval 0.05 2>"$W/progress.err" &
LOADPID[c]=$!
"${LOAD[@]}" hooks "$URL" --out "$W/hooks.txt" --member "$MID" --count 150 --prefix "$TAG-dur" \
	--threads 2 --interval 0.05 --attempts 8 2>"$W/hooks.err" &
hooks=$!
load_start cget get --threads 2 --interval 0.01 --cookie "$COOKIE" "$PAGE" /healthz
# Both writers under way (python3 may take a while to start on a busy machine).
wait_until 20 eval '[ -s "$W/progress.txt" ] && grep -q "^attempt" "$W/hooks.err"'
sleep 1
if stack_pg_stop immediate; then
	sleep 1
	stack_pg_start || t_fail "durability: PostgreSQL started again" "stack_pg_start failed"
	sleep 3
	load_stop c
	load_stop cget
	wait "$hooks"
	t_eq "durability: readers saw only 200 and 503 (a killed server is 503, not 500)" "$(tally "$W/cget.txt" '$2 != 200 && $2 != 503')" ""
	t_eq "durability: webhook attempts answered only 200 and 503" \
		"$(awk '$1 == "attempt" && $4 != 200 && $4 != 503 { print $4 }' "$W/hooks.err" | sort | uniq -c | tr -s ' \n' ' ')" ""
	t_eq "durability: the app's log holds only whole records (libpq's warnings too)" \
		"$(stack_log_since "$mark" | grep -Ev '^(debug|info|warn|error) pid=[0-9]+ ' | head -n 2 | cut -c1-120 | tr '\n' ' ')" ""
	f=$W/hooks.txt
	ok2xx='$2 ~ /^2[0-9][0-9]$/'
	t_eq "durability: every webhook reported" "$(count "$f" 1)" 150
	t_ok "durability: the outage failed some deliveries ($(count "$f" '$4 !~ /^2/') retried)" \
		[ "$(count "$f" '$4 !~ /^2/')" -gt 0 ]
	t_eq "durability: every webhook acknowledged in the end (bounded retries)" "$(tally "$f" "!($ok2xx)")" ""
	awk "$ok2xx { print \$1 }" "$f" | sort >"$W/acked"
	q "SELECT processor_event_id FROM billing_events WHERE processor_event_id LIKE '$TAG-dur-%'" | sort >"$W/stored"
	t_eq "durability: every acknowledged webhook is in billing_events" "$(comm -23 "$W/acked" "$W/stored" | head -n 3 | tr '\n' ' ')" ""
	t_eq "durability: ... exactly once, applied" \
		"$(q "SELECT count(*), count(DISTINCT processor_event_id), count(*) FILTER (WHERE outcome = 'applied')
			FROM billing_events WHERE processor_event_id LIKE '$TAG-dur-%'")" \
		"$(wc -l <"$W/stored")|$(wc -l <"$W/stored")|$(wc -l <"$W/stored")"
	t_eq "durability: one active subscription per applied sale, linked to its event" \
		"$(q "SELECT count(*) FROM billing_events e JOIN subscriptions s ON s.id = e.subscription_id
			WHERE e.processor_event_id LIKE '$TAG-dur-%' AND s.status = 'active'
			AND s.processor_subscription_id = replace(e.processor_event_id, '$TAG-dur-', '$TAG-dur-sub-')"),$(q "SELECT count(*) FROM subscriptions WHERE processor_subscription_id LIKE '$TAG-dur-sub-%'")" \
		"$(wc -l <"$W/stored"),$(wc -l <"$W/stored")"
	f=$W/progress.txt
	[ -s "$f" ] || echo "note: durability: progress load said: $(tail -n 3 "$W/progress.err" | tr '\n' ' ')"
	acked=$(awk '$2 == 204 { p = $1 } END { print p + 0 }' "$f")
	sent=$(awk '{ p = $1 } END { print p + 0 }' "$f")
	saved=$(q "SELECT watch_position_seconds FROM user_watch_history WHERE user_id = '$MID' AND video_id = '$VID'")
	t_ok "durability: progress reports met the outage ($(count "$f" '$2 != 204') not 204)" [ "$(count "$f" '$2 != 204')" -gt 0 ]
	t_eq "durability: progress answers only 204 and 503" "$(awk '$2 != 204 && $2 != 503 { print $2 }' "$f" | sort -u | tr '\n' ' ')" ""
	t_ok "durability: saved position $saved within [last acknowledged $acked, last sent $sent]" \
		in_range "$saved" "$acked" "$sent"
else
	load_stop c
	load_stop cget
	wait "$hooks"
	t_skip "durability" "stack_pg_stop failed (external database?)"
fi

# ------------------------------------------------------------------ d. crash burst

# The crash route is hit directly, not by the load: its own requests are the
# only ones that fail (502: the worker died mid-request), the load sees none.
stack_wait_healthy 15
mark=$(stack_log_mark)
load_start d get --threads 2 --interval 0.01 --cookie "$COOKIE" /healthz "$PAGE"
sleep 1
codes= start=$(now_ms)
for ((i = 0; i < 20; i++)); do
	codes="$codes $(http_status "$URL/__test/crash")"
	sleep 0.2
done
took=$(($(now_ms) - start))
t_ok "crash burst: 20 crashes within 10 s (${took} ms)" [ "$took" -le 10000 ]
t_ok "crash burst: capacity ($N workers) back within 2 s" wait_until 2 eval '[ "$(stack_nworkers)" -eq '"$N"' ]'
sleep 1
load_stop d
t_eq "crash burst: each crash request is a 502 from nginx" "$codes" "$(printf ' 502%.0s' {1..20})"
t_ok "crash burst: the load ran throughout ($(count "$W/d.txt" 1) requests)" [ "$(count "$W/d.txt" 1)" -ge 20 ]
t_eq "crash burst: the load saw no failure" "$(tally "$W/d.txt" '$2 != 200')" ""
t_eq "crash burst: each crash logged with signal and path" \
	"$(stack_log_since "$mark" | grep -c 'killed by SIGABRT while serving /__test/crash')" 20
t_eq "crash burst: 30 requests after it all 200" "$(stack_failures 30 /healthz)" 0

# ------------------------------------------------------------------ e. nginx reload under load

ngx_workers() { pgrep -P "$(cat "$MARQUEE_VAR/run/nginx.pid")" | sort | tr '\n' ' '; }
before=$(ngx_workers)
load_start e get --threads 3 --interval 0.01 --cookie "$COOKIE" /healthz "$PAGE" "$STATIC"
sleep 1
stack_nginx_reload || t_fail "nginx reload: first reload" "stack_nginx_reload failed"
sleep 1.5
stack_nginx_reload || t_fail "nginx reload: second reload" "stack_nginx_reload failed"
sleep 1.5
load_stop e
t_ok "nginx reload: nginx's workers were replaced" [ "$(ngx_workers)" != "$before" ]
t_ok "nginx reload: the load ran throughout ($(count "$W/e.txt" 1) requests)" [ "$(count "$W/e.txt" 1)" -ge 50 ]
t_eq "nginx reload: no request failed" "$(tally "$W/e.txt" '$2 != 200')" ""
# the cause of each connection error, for the log of a failed run
grep '^error ' "$W/e.err" | sed 's/^/   load: /'

# ------------------------------------------------------------------ g. slow clients

# nginx listens on 127.0.0.1 only; the legitimate client connects from
# 127.0.0.2 (loopback), so limit_conn (per address) tells it from the
# attackers on 127.0.0.1.  The member's cookie keeps its pages out of
# nginx's micro-cache: they reach the workers.
if ! command -v slowhttptest >/dev/null; then
	t_skip "slow clients" "slowhttptest is not installed"
else
	mark=$(wc -c <"$NGXLOG")
	load_start g get --threads 2 --interval 0.02 --source 127.0.0.2 --cookie "$COOKIE" "$PAGE" /
	sleep 3
	attack=$(now_ms)
	# -i 12: each attacker waits 12 s between pieces, past nginx's 10 s
	# client_header_timeout / client_body_timeout; nginx (1.22) logs both
	# as 408 with the request line.  200 slow bodies are more requests in
	# progress than limit_conn's 128 (counted once the headers are in, so
	# slow headers never count): the rest get 429 at once.
	timeout -k 5 40 slowhttptest -H -c 60 -r 60 -i 12 -l 14 -u "$URL/" >"$W/slowloris.out" 2>&1 &
	sl=$!
	timeout -k 5 40 slowhttptest -B -c 200 -r 200 -i 12 -l 14 -s 8192 -u "$URL/api/progress" \
		>"$W/slowbody.out" 2>&1 &
	sb=$!
	wait "$sl" "$sb"
	load_stop g
	sleep 0.5
	tail -c +$((mark + 1)) "$NGXLOG" >"$W/g.access"
	f=$W/g.txt
	t_ok "slow clients: the legitimate client ran throughout ($(count "$f" "\$1 > $attack") requests)" \
		[ "$(count "$f" "\$1 > $attack")" -ge 20 ]
	t_eq "slow clients: every legitimate request 200" "$(tally "$f" '$2 != 200')" ""
	t_eq "slow clients: nginx logged nothing but 200 for 127.0.0.2" "$(tally "$W/g.access" '$1 == "127.0.0.2" && $9 != 200' 9)" ""
	attacker() { count "$W/g.access" "\$1 == \"127.0.0.1\" && \$6 == \"\\\"$1\" && \$9 == $2"; }
	t_ok "slow clients: slow headers closed with 408 ($(attacker GET 408))" [ "$(attacker GET 408)" -gt 0 ]
	t_ok "slow clients: slow bodies closed with 408 ($(attacker POST 408))" [ "$(attacker POST 408)" -gt 0 ]
	t_ok "slow clients: connections past limit_conn 128 get 429 ($(attacker POST 429))" [ "$(attacker POST 429)" -gt 0 ]
	# Latency: informational only, never asserted.
	median() { awk "$1 { print \$5 }" "$f" | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : 0) }'; }
	m0=$(median "\$1 <= $attack") m1=$(median "\$1 > $attack")
	echo "note: slow clients: legitimate median latency ${m0} ms before, ${m1} ms during the attack"
fi

# ------------------------------------------------------------------ h. clock skew

LIBFT=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -n 1)
if [ -z "$LIBFT" ]; then
	t_skip "clock skew" "libfaketime is not installed"
else
	printf '+1h\n' >"$W/clock"
	# FAKETIME_NO_CACHE: the file is read at every clock call, so the clock
	# is fixed mid-run; the monotonic clock stays real (backoff timing).
	env LD_PRELOAD="$LIBFT" FAKETIME_TIMESTAMP_FILE="$W/clock" FAKETIME_NO_CACHE=1 \
		FAKETIME_DONT_FAKE_MONOTONIC=1 "${LOAD[@]}" hooks "$URL" --out "$W/skew.txt" \
		--member "$MID" --count 1 --prefix "$TAG-skew" --attempts 10 2>"$W/skew.err" &
	skew=$!
	ev=$TAG-skew-0
	if wait_until 10 grep -q "^attempt $ev 2 " "$W/skew.err"; then
		t_eq "clock skew: 1 h ahead, the webhook is refused (401)" \
			"$(grep "^attempt $ev " "$W/skew.err" | cut -d' ' -f4 | sort -u | tr '\n' ' ')" "401 "
		t_eq "clock skew: ... and not stored" \
			"$(q "SELECT count(*) FROM billing_events WHERE processor_event_id = '$ev'")" 0
	else
		t_fail "clock skew: two attempts while the clock is 1 h ahead" "$(tail -n 3 "$W/skew.err")"
	fi
	printf '+0\n' >"$W/clock"
	wait "$skew"
	read -r _ final attempts first <"$W/skew.txt"
	t_eq "clock skew: after the clock is fixed the retry is accepted" "$first $final" "401 200"
	t_ok "clock skew: ... after refused attempts ($attempts)" [ "${attempts:-0}" -ge 3 ]
	t_eq "clock skew: ... stored and applied exactly once" \
		"$(q "SELECT count(*), min(outcome) FROM billing_events WHERE processor_event_id = '$ev'")" "1|applied"
	t_eq "clock skew: ... its subscription active" \
		"$(q "SELECT string_agg(status::text, ',') FROM subscriptions WHERE processor_subscription_id = '$TAG-skew-sub-0'")" active
fi

# ------------------------------------------------------------------ f. the log's disk full (last)

# The app's stderr is $LOGDIR/marquee.log (deploy/local app-start).  With
# the app stopped, a 1 MB tmpfs goes over $LOGDIR: the existing logs stay
# untouched beneath it (nginx, PostgreSQL and the simulator keep writing to
# their open files there), and what the app writes on the tmpfs is
# appended to the real marquee.log when it is unmounted.
mkdir "$W/probe"
if ! mount -t tmpfs -o size=64k marquee-faults-probe "$W/probe" 2>"$W/mount.err"; then
	t_skip "log disk full" "mount is not permitted here: $(head -n 1 "$W/mount.err")"
elif ! umount "$W/probe" || ! stack_app_stop; then
	t_fail "log disk full: app stopped for the mount" "umount or stack_app_stop failed"
else
	read -r mode uid gid <<<"$(stat -c '%a %u %g' "$LOGDIR")"
	if mount -t tmpfs -o "size=1m,mode=$mode,uid=$uid,gid=$gid" marquee-faults-log "$LOGDIR"; then
		MOUNTED=1
		stack_app_start && stack_wait_healthy 15 || t_fail "log disk full: app started on the small disk"
		before=$(stack_worker_pids | sort | tr '\n' ' ')
		dd if=/dev/zero of="$LOGDIR/fill" bs=4k >/dev/null 2>&1
		t_eq "log disk full: the disk is full" "$(df --output=avail -k "$LOGDIR" | tail -n 1 | tr -d ' ')" 0
		size=$(stat -c %s "$LOGDIR/marquee.log")
		fails=0
		for ((i = 0; i < 40; i++)); do
			[ "$(http_status "$URL/healthz")" = 200 ] || fails=$((fails + 1))
			[ "$(member_get "$PAGE")" = 200 ] || fails=$((fails + 1))
		done
		t_eq "log disk full: 80 requests all 200" "$fails" 0
		# 80 access lines are ~10 KB: most of them could not be written (at
		# most the rest of the log's last 4 KiB page was free).
		t_ok "log disk full: the log's writes failed (grew $(($(stat -c %s "$LOGDIR/marquee.log") - size)) bytes)" \
			[ $(($(stat -c %s "$LOGDIR/marquee.log") - size)) -lt 4096 ]
		t_eq "log disk full: no worker died" "$(stack_worker_pids | sort | tr '\n' ' ')" "$before"
		rm -f "$LOGDIR/fill"
		rid=$(curl -s -D - -o /dev/null --max-time 10 "$URL/healthz" | tr -d '\r' | sed -n 's/^X-Request-Id: //p')
		t_ok "log disk full: space freed, new log lines appear again" \
			wait_until 5 grep -q "rid=$rid access method=GET path=/healthz status=200" "$LOGDIR/marquee.log"
		# A record cut short by the full disk (a short write at the last free
		# byte) must not swallow the next one, whichever process writes it:
		# no record starts in the middle of a line.
		t_eq "log disk full: a record cut short never swallows the next one" \
			"$(grep -Ec '.(debug|info|warn|error) pid=[0-9]+ ' "$LOGDIR/marquee.log")" 0
		logs_unmount
		t_eq "log disk full: unmounted, the lines written on the small disk kept in marquee.log" \
			"$(grep -c "rid=$rid access" "$LOGDIR/marquee.log")" 1
		t_ok "log disk full: the app serves again" stack_wait_healthy 15
	else
		t_fail "log disk full: tmpfs mounted over $LOGDIR" "mount failed"
		stack_app_start
	fi
fi
