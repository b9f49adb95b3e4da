#!/usr/bin/env bash
# test_process.sh - the process model of marquee-fcgi, through the real
# nginx, spawn-fcgi and PostgreSQL: /healthz and database outages, a killed
# worker, the watchdog, rolling reload (good and broken configurations),
# start-up refusals, and the drain on SIGTERM (last: it stops the app, which
# is started again at the end).  A crash burst under load is in
# test_faults.sh.
#
# Needs a test build (--enable-test-routes: /__test/sleep).
set -u
. "$(dirname "$0")/../lib/assert.sh"
. "$(dirname "$0")/../lib/stack.sh"

URL=$MARQUEE_TEST_URL
LOG=$(stack_log)
CONF=$MARQUEE_VAR/marquee.conf
FCGI=${MARQUEE_BIN:-}/marquee-fcgi
TIMEOUT=${MARQUEE_REQUEST_TIMEOUT:-3}
SCRATCH=$(mktemp -d /tmp/marquee-process-test.XXXXXX)
chmod 0755 "$SCRATCH"
cleanup() {
	[ -f "$SCRATCH/marquee.conf.orig" ] && cat "$SCRATCH/marquee.conf.orig" >"$CONF"
	rm -rf "$SCRATCH"
}
trap cleanup EXIT


pids() { stack_worker_pids | sort -n | tr '\n' ' '; }
status_is() { [ "$(http_status "$URL$1")" = "$2" ]; }

# none_of OLD CURRENT: no pid of the list OLD is in the list CURRENT.
none_of() {
	local p
	for p in $1; do
		case " $2 " in *" $p "*) return 1 ;; esac
	done
	return 0
}
all_replaced() { none_of "$1" "$(pids)" && [ "$(stack_nworkers)" -eq "$2" ]; }

# ------------------------------------------------------------------ health

t_eq "healthz is 200" "$(http_status "$URL/healthz")" 200
t_eq "healthz says ok" "$(curl -s --max-time 10 "$URL/healthz")" ok
hdr=$(curl -s -D - -o /dev/null --max-time 10 "$URL/healthz" | tr -d '\r')
t_ok "healthz is not cached" grep -qx 'Cache-Control: no-store' <<<"$hdr"

MASTER=$(stack_master_pid)
N=$(stack_nworkers)
t_ok "master runs" kill -0 "$MASTER"
t_ok "workers run" [ "$N" -ge 1 ]
t_ok "master is not root" [ "$(ps -o user= -p "$MASTER")" != root ]
w=$(stack_worker_pids | head -n 1)
t_ok "workers are not root" [ "$(ps -o user= -p "$w")" != root ]

rid=$(printf '%s' "$hdr" | sed -n 's/^X-Request-Id: //p')
t_ok "access line with the request id" wait_until 5 grep -q \
	"rid=$rid access method=GET path=/healthz status=200 bytes=3 us=[0-9]" "$LOG"

# ------------------------------------------------------------------ database outage

before=$(pids)
if stack_pg_stop fast; then
	t_ok "PostgreSQL down: healthz 503 soon" wait_until 10 status_is /healthz 503
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$URL/healthz")
	t_eq "PostgreSQL down: answered, not hung" "$code" 503
	t_match "PostgreSQL down: 503 has Retry-After" \
		"$(curl -s -D - -o /dev/null --max-time 10 "$URL/healthz" | tr -d '\r')" 'Retry-After: [0-9]+'
	t_eq "PostgreSQL down: workers still alive" "$(pids)" "$before"
	stack_pg_start || t_fail "PostgreSQL started again" "stack_pg_start failed"
	t_ok "PostgreSQL back: healthz 200 again" wait_until 15 status_is /healthz 200
	t_eq "PostgreSQL back: same workers (no restart)" "$(pids)" "$before"
	# The first 200 came from one worker; after the hold-off every worker
	# must have reconnected by itself.
	stack_pg_settle
	t_eq "PostgreSQL back: 20 requests all 200" "$(stack_failures 20 /healthz)" 0
else
	t_skip "PostgreSQL outage" "stack_pg_stop failed (external database?)"
fi

# ------------------------------------------------------------------ a killed worker

mark=$(stack_log_mark)
before=$(pids)
victim=$(stack_worker_pids | head -n 1)
kill -KILL "$victim"
t_ok "SIGKILLed worker replaced" wait_until 2 \
	eval '! kill -0 '"$victim"' 2>/dev/null && [ "$(stack_nworkers)" -eq '"$N"' ]'
t_ok "killed worker's pid is gone" none_of "$victim" "$(pids)"
t_eq "after the kill: 50 requests all 200" "$(stack_failures 50 /healthz)" 0
t_match "master logged the SIGKILL" "$(stack_log_since "$mark")" "worker pid=$victim killed by SIGKILL"
t_match "master logged the new worker" "$(stack_log_since "$mark")" "worker pid=[0-9]+ started"

# ------------------------------------------------------------------ watchdog

mark=$(stack_log_mark)
ms=$(((TIMEOUT + 8) * 1000))
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time $((TIMEOUT + 7)) "$URL/__test/sleep?ms=$ms")
t_match "stuck request ended by the watchdog, not by nginx or the client" "$code" '^50[0-9]$'
t_ok "watchdog logged the path" wait_until 2 eval \
	'stack_log_since '"$mark"' | grep -Eq "watchdog: killed worker pid=[0-9]+ after [0-9]+s serving /__test/sleep"'
t_ok "watchdog: capacity back" wait_until 3 eval '[ "$(stack_nworkers)" -eq '"$N"' ]'
t_eq "watchdog: requests succeed" "$(stack_failures 10 /healthz)" 0

# ------------------------------------------------------------------ rolling reload

# Two clients hammer the site during two reloads; they must see no failure.
before=$(pids)
mark=$(stack_log_mark)
touch "$SCRATCH/loop"
client() {
	local n=0 f=0
	while [ -f "$SCRATCH/loop" ]; do
		[ "$(http_status "$URL/healthz")" = 200 ] || f=$((f + 1))
		n=$((n + 1))
	done
	echo "$n $f" >"$SCRATCH/loop.$1"
}
client 1 &
c1=$!
client 2 &
c2=$!
curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$URL/__test/sleep?ms=1500" \
	>"$SCRATCH/inflight.code" &
inflight=$!
sleep 0.5
kill -HUP "$MASTER"
t_ok "reload: every worker replaced" wait_until 15 all_replaced "$before" "$N"
before=$(pids)
kill -HUP "$MASTER"
t_ok "second reload: every worker replaced" wait_until 15 all_replaced "$before" "$N"
sleep 1
rm -f "$SCRATCH/loop"
wait "$c1" "$c2" "$inflight"
t_eq "reload: the request in flight completes with 200" "$(cat "$SCRATCH/inflight.code")" 200
read -r sent1 failed1 <"$SCRATCH/loop.1"
read -r sent2 failed2 <"$SCRATCH/loop.2"
t_ok "reload: the clients sent requests throughout ($((sent1 + sent2)))" [ $((sent1 + sent2)) -ge 20 ]
t_eq "reload: no request failed" $((failed1 + failed2)) 0
t_eq "reload: same master" "$(stack_master_pid)" "$MASTER"
t_match "reload logged" "$(stack_log_since "$mark")" 'reload: configuration and templates loaded'
t_match "reload retires old workers" "$(stack_log_since "$mark")" 'exited after [0-9]+ requests \(retired\)'

# A stop signal landing after a worker accepted a connection, before the
# request arrived: the request is still served (libfcgi's own accept closed
# such a connection: a 502 seen once during a reload).  Every worker gets
# SIGQUIT, the retire signal; they serve what they hold, exit and are
# replaced.
before=$(pids)
got=$(python3 "$(dirname "$0")/../lib/fcgi_stop_race.py" "$MARQUEE_VAR/run/marquee.sock" $before 2>&1)
t_match "stop signal after accept: the accepted request is answered" "$got" '^Status: 200'
t_ok "stop signal after accept: every worker replaced" wait_until 15 all_replaced "$before" "$N"

# A broken configuration or template set is refused and the workers stay.
if [ -w "$CONF" ]; then
	cp -p "$CONF" "$SCRATCH/marquee.conf.orig"

	before=$(pids)
	mark=$(stack_log_mark)
	printf 'wrokers = 3\n' >>"$CONF"
	kill -HUP "$MASTER"
	t_ok "bad config on reload: logged with key" wait_until 5 eval \
		'stack_log_since '"$mark"' | grep -q "reload: .*unknown key .wrokers.; keeping"'
	sleep 1
	t_eq "bad config on reload: workers kept" "$(pids)" "$before"
	t_eq "bad config on reload: still serving" "$(http_status "$URL/healthz")" 200

	mkdir "$SCRATCH/tmpl"
	printf 'line one\n{{#open}}never closed\n' >"$SCRATCH/tmpl/broken.mustache"
	chmod -R a+rX "$SCRATCH/tmpl"
	cat "$SCRATCH/marquee.conf.orig" >"$CONF"
	if grep -q '^templates_dir' "$CONF"; then
		sed -i "s#^templates_dir.*#templates_dir = $SCRATCH/tmpl#" "$CONF"
	else
		printf 'templates_dir = %s\n' "$SCRATCH/tmpl" >>"$CONF"
	fi
	mark=$(stack_log_mark)
	kill -HUP "$MASTER"
	t_ok "broken template on reload: logged with file:line" wait_until 5 eval \
		'stack_log_since '"$mark"' | grep -q "reload: .*broken.mustache:[0-9]*:[0-9]*.*keeping"'
	sleep 1
	t_eq "broken template on reload: workers kept" "$(pids)" "$before"
	t_eq "broken template on reload: still serving" "$(http_status "$URL/healthz")" 200

	cat "$SCRATCH/marquee.conf.orig" >"$CONF"
	rm -f "$SCRATCH/marquee.conf.orig"
else
	t_skip "reload with a broken configuration" "$CONF is not writable"
fi

# ------------------------------------------------------------------ start-up refusals

if [ -x "$FCGI" ]; then
	out=$(MARQUEE_TEMPLATES_DIR=$SCRATCH "$FCGI" -c /dev/null 2>&1 </dev/null)
	t_match "refuses to run as root" "$out" 'refusing to run as root'
	out=$(runuser -u nobody -- env MARQUEE_TEMPLATES_DIR=/ "$FCGI" 2>&1 </dev/null)
	t_match "refuses a non-socket fd 0" "$out" 'standard input is not a socket'
	port=$((20000 + RANDOM % 20000))
	out=$(timeout 10 spawn-fcgi -n -a 127.0.0.1 -p "$port" -u nobody -g nogroup -- "$FCGI" 2>&1)
	t_match "refuses a TCP socket" "$out" 'must be a unix socket'
	out=$(MARQUEE_WORKERS=0 "$FCGI" -t 2>&1)
	t_match "-t names the bad key" "$out" 'workers: must be an integer 1\.\.256'
	mkdir -p "$SCRATCH/tmpl2"
	printf 'line one\n{{#open}}never closed\n' >"$SCRATCH/tmpl2/broken.mustache"
	out=$(MARQUEE_TEMPLATES_DIR=$SCRATCH/tmpl2 "$FCGI" -t 2>&1)
	t_match "-t refuses a broken template with file:line:col" "$out" 'broken\.mustache:[0-9]+:[0-9]+'
	printf 'workers = 2\nwrokers = 3\n' >"$SCRATCH/bad.conf"
	out=$("$FCGI" -t -c "$SCRATCH/bad.conf" 2>&1)
	t_match "-t names file, line and key" "$out" "bad.conf:2: unknown key 'wrokers'"
else
	t_skip "start-up refusals" "no marquee-fcgi in MARQUEE_BIN"
fi

# ------------------------------------------------------------------ drain on SIGTERM (last)

mark=$(stack_log_mark)
curl -s -o "$SCRATCH/drain.body" -w '%{http_code}' --max-time 20 \
	"$URL/__test/sleep?ms=1500" >"$SCRATCH/drain.code" &
req=$!
sleep 0.5   # let the request reach a worker
kill -TERM "$MASTER"
wait "$req"
t_eq "SIGTERM: the request in flight completes with 200" "$(cat "$SCRATCH/drain.code")" 200
t_ok "SIGTERM: master exits" wait_until 15 eval '! kill -0 '"$MASTER"' 2>/dev/null'
t_match "SIGTERM logged" "$(stack_log_since "$mark")" 'SIGTERM: stopping'
t_match "SIGTERM: master exited cleanly" "$(stack_log_since "$mark")" 'all workers stopped; exiting'

stack_app_start || t_fail "app restarted" "stack_app_start failed"
t_ok "app serves again after restart" stack_wait_healthy 15
