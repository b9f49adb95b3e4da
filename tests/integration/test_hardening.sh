#!/usr/bin/env bash
# test_hardening.sh - containment and hostile input through the real nginx,
# spawn-fcgi and PostgreSQL (issue 9; docs/SECURITY.md):
#   - the workers' seccomp sandbox: a forbidden system call kills the worker
#     with SIGSYS, the master logs a sandbox violation, service continues
#   - a lock held on `videos`: content pages answer 503 + Retry-After,
#     /healthz keeps answering, pages are 200 again once it is released
#   - 10 MB POSTs to every POST route: 413 from nginx, the app never sees them
#   - a worker SIGKILLed mid-request: that request fails, others do not
#   - markup in operator-written fields (video title, performer bio, social
#     link) is escaped on every page that shows it
#   - internal endpoints unreachable from outside, no version banners
# Needs a test build (--enable-test-routes: /__test/forbidden-syscall and
# /__test/sleep) and the owner role's MARQUEE_DATABASE_URL.  Every change
# to the database is undone on exit.
set -u
. "$(dirname "$0")/../lib/assert.sh"
. "$(dirname "$0")/../lib/stack.sh"

URL=${MARQUEE_TEST_URL:-}
DB=${MARQUEE_DATABASE_URL:-}
if [ -z "$URL" ] || [ -z "$DB" ]; then
	t_skip "hardening: all checks" "MARQUEE_TEST_URL or MARQUEE_DATABASE_URL is not set"
	exit 0
fi
LOG=$(stack_log)
TMP=$(mktemp -d /tmp/marquee-hardening-test.XXXXXX)
chmod 0755 "$TMP"
RESTORE=$TMP/restore.sql
: >"$RESTORE"
LOCKER=
cleanup() {
	[ -n "$LOCKER" ] && kill "$LOCKER" 2>/dev/null
	psql "$DB" -X -q -f "$RESTORE" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

q() { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
undo() { printf '%s;\n' "$1" >>"$RESTORE"; }
# get PATH [curl args]: past the age gate, never from nginx's micro-cache
# (a unique cb parameter: get runs in $(...), so a counter would not count);
# body in $TMP/body, headers in $TMP/head.
get() {
	local path=$1 sep='?'
	shift
	case $path in *\?*) sep='&' ;; esac
	curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' --max-time 15 -b marquee_age=1 \
		"$@" "$URL$path${sep}cb=h$$-$(date +%s%N)" || true
}

N=$(stack_nworkers)

# ------------------------------------------------------------------ sandbox

w=$(stack_worker_pids | head -n 1)
if [ -n "$w" ] && grep -q '^Seccomp:' "/proc/$w/status" 2>/dev/null; then
	mode=$(sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$w/status")
	nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$w/status")
else
	mode=unknown nnp=unknown
fi
mark=$(stack_log_mark)
code=$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 10 "$URL/__test/forbidden-syscall")
if [ "$code" = 200 ]; then
	t_skip "sandbox: forbidden system call" "worker not confined: $(head -c 100 "$TMP/body")"
else
	t_eq "sandbox: worker in seccomp filter mode" "$mode" 2
	t_eq "sandbox: worker has no_new_privs" "$nnp" 1
	t_match "sandbox: forbidden system call fails the request" "$code" '^50[0-9]$'
	t_ok "sandbox: master logs the sandbox violation with the path" wait_until 3 eval \
		'stack_log_since '"$mark"' | grep -Eq "worker pid=[0-9]+ killed by SIGSYS \(sandbox violation\) while serving /__test/forbidden-syscall"'
	t_ok "sandbox: capacity back" wait_until 3 eval '[ "$(stack_nworkers)" -eq '"$N"' ]'
	t_eq "sandbox: 20 requests after the violation all 200" "$(stack_failures 20 /healthz)" 0
fi
# The confined workers served the whole suite before this script; any
# violation outside the test route is a missing entry in the allow-list.
other=$(grep 'sandbox violation' "$LOG" | grep -v 'serving /__test/forbidden-syscall' | head -n 1)
t_eq "sandbox: no other sandbox violation in the log" "$other" ""

# ------------------------------------------------------------------ lock on videos

vslug=$(q "SELECT slug FROM videos WHERE is_published AND deleted_at IS NULL ORDER BY slug LIMIT 1")
cslug=$(q "SELECT c.slug FROM collections c JOIN videos v ON v.collection_id = c.id
	WHERE v.slug = '$vslug'" 2>/dev/null)
if [ -z "$vslug" ]; then
	t_skip "lock on videos" "no published video"
else
	t_eq "lock: video page 200 before" "$(get "/videos/$vslug")" 200
	psql "$DB" -X -q -c "BEGIN; LOCK TABLE videos IN ACCESS EXCLUSIVE MODE;
		SELECT pg_sleep(8); COMMIT;" >/dev/null 2>&1 &
	LOCKER=$!
	locked() { [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
		WHERE c.relname = 'videos' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; }
	if wait_until 5 locked; then
		# lock_timeout (db_lock_timeout_ms, 2 s by default) ends the wait; curl's
		# limit only tells an answer from a hang.
		code=$(get "/videos/$vslug" --max-time 7)
		t_eq "lock: video page answers 503, not a hang" "$code" 503
		t_match "lock: 503 has Retry-After" "$(tr -d '\r' <"$TMP/head")" 'Retry-After: [0-9]+'
		t_eq "lock: healthz keeps answering 200" "$(http_status "$URL/healthz" --max-time 5)" 200
		wait "$LOCKER"
		LOCKER=
		t_eq "lock released: video page 200 again" "$(get "/videos/$vslug")" 200
		[ -n "$cslug" ] && t_eq "lock released: collection page 200" "$(get "/collections/$cslug")" 200
	else
		t_fail "lock: videos locked" "the lock was not granted within 5 s"
	fi
fi

# ------------------------------------------------------------------ 10 MB POSTs

head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$TMP/big"
mark=$(stack_log_mark)
posts="/login /signup /logout /join /age-gate /api/progress /webhooks/billing
	/webhooks/age-verification /account/delete /account/history/clear
	/account/history/remove /account/logout-all /account/password
	/account/preferences /account/subscription/cancel"
for p in $posts; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Expect:' \
		-H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$TMP/big" "$URL$p")
	t_eq "10 MB POST $p: 413" "$code" 413
done
sleep 0.5
seen=$(stack_log_since "$mark" | grep -E 'access method=POST' | head -n 1)
t_eq "10 MB POSTs: the app saw none of them" "$seen" ""

# ------------------------------------------------------------------ SIGKILL mid-request

sleeping_worker() {
	local p
	for p in $(stack_worker_pids); do
		grep -q nanosleep "/proc/$p/wchan" 2>/dev/null && { echo "$p"; return 0; }
	done
	return 1
}
curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$URL/__test/sleep?ms=2000" >"$TMP/killed.code" &
req=$!
if wait_until 3 sleeping_worker >/dev/null; then
	victim=$(sleeping_worker)
	kill -KILL "$victim"
	during=$(stack_failures 20 /healthz)
	wait "$req"
	t_match "SIGKILL mid-request: that request fails" "$(cat "$TMP/killed.code")" '^50[0-9]$'
	t_eq "SIGKILL mid-request: 20 concurrent requests all 200" "$during" 0
	t_ok "SIGKILL mid-request: capacity back" wait_until 3 eval '[ "$(stack_nworkers)" -eq '"$N"' ]'
else
	wait "$req"
	t_skip "SIGKILL mid-request" "no worker found sleeping in /__test/sleep (/proc/PID/wchan)"
fi

# ------------------------------------------------------------------ XSS

XSS='XssProbe <script>alert(1)</script> "onmouseover=alert(2) x'
# no_raw NAME: the body holds no markup from the probe: no tag, and no quote
# that ends an attribute (\" inside JSON strings is the escaped form).
RAW='<script>alert|(^|[^\\])"onmouseover='
no_raw() {
	if grep -Eq "$RAW" "$TMP/body"; then
		t_fail "$1" "raw markup in the page: $(grep -Eo ".{0,40}($RAW).{0,20}" "$TMP/body" | head -n 1)"
	else
		t_pass "$1"
	fi
}
pslug=$(q "SELECT p.slug FROM performers p JOIN video_performers vp ON vp.performer_id = p.id
	JOIN videos v ON v.id = vp.video_id WHERE v.slug = '$vslug' AND p.deleted_at IS NULL LIMIT 1" 2>/dev/null)
if [ -n "$vslug" ]; then
	old=$(q "SELECT quote_literal(title) FROM videos WHERE slug = '$vslug'")
	undo "UPDATE videos SET title = $old WHERE slug = '$vslug'"
	q "UPDATE videos SET title = \$x\$$XSS\$x\$ WHERE slug = '$vslug'" >/dev/null
	if [ -n "$pslug" ]; then
		old=$(q "SELECT coalesce(quote_literal(bio), 'NULL') FROM performers WHERE slug = '$pslug'")
		undo "UPDATE performers SET bio = $old WHERE slug = '$pslug'"
		q "UPDATE performers SET bio = \$x\$$XSS\$x\$ WHERE slug = '$pslug'" >/dev/null
		pid=$(q "SELECT id FROM performers WHERE slug = '$pslug'")
		undo "DELETE FROM social_media_links WHERE performer_id = '$pid' AND handle = 'xssprobe'"
		q "INSERT INTO social_media_links (performer_id, platform, handle, url)
			SELECT '$pid', 'custom', 'xssprobe', 'javascript:alert(3)'
			WHERE NOT EXISTS (SELECT 1 FROM social_media_links
				WHERE performer_id = '$pid' AND platform = 'custom')" >/dev/null
	fi

	t_eq "XSS: video page 200" "$(get "/videos/$vslug")" 200
	no_raw "XSS: video page escapes the title"
	t_ok "XSS: video page shows the escaped title" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/body"
	if [ -n "$cslug" ]; then
		get "/collections/$cslug" >/dev/null
		no_raw "XSS: collection page escapes the title"
	fi
	get "/search?q=XssProbe" >/dev/null
	no_raw "XSS: search results escape the title"
	get "/search/suggest?q=XssProbe" >/dev/null
	no_raw "XSS: suggest JSON escapes < and > (no raw markup)"
	get "/sitemap.xml" >/dev/null
	cp "$TMP/body" "$TMP/sitemap"
	for n in $(grep -o 'sitemap.xml?page=[0-9]*' "$TMP/sitemap" | sed 's/.*=//'); do
		get "/sitemap.xml?page=$n" >/dev/null
		cat "$TMP/body" >>"$TMP/sitemap"
	done
	cp "$TMP/sitemap" "$TMP/body"
	no_raw "XSS: sitemap escapes the title"
	if [ -n "$pslug" ]; then
		t_eq "XSS: performer page 200" "$(get "/performers/$pslug")" 200
		no_raw "XSS: performer page escapes the bio"
		t_ok "XSS: performer page does not link javascript:" eval '! grep -qi "javascript:" "$TMP/body"'
	else
		t_skip "XSS: performer bio" "the video has no performer"
	fi
else
	t_skip "XSS" "no published video"
fi

# ------------------------------------------------------------------ internal endpoints, banners

t_eq "internal: /internal/hls-auth from outside is 404" "$(http_status "$URL/internal/hls-auth")" 404
t_eq "internal: a Marquee-Internal header opens nothing" \
	"$(http_status "$URL/internal/hls-auth" -H 'Marquee-Internal: 1')" 404
t_eq "internal: /_auth/hls from outside is 404" "$(http_status "$URL/_auth/hls")" 404
site=$MARQUEE_SRC/deploy/nginx/site.conf
t_ok "internal: nginx allows /healthz from loopback only" \
	eval 'sed -n "/location = \/healthz/,/}/p" "$site" | grep -q "deny  *all"'
hdr=$(curl -s -D - -o "$TMP/body" --max-time 10 -b marquee_age=1 "$URL/no-such-page-$$" | tr -d '\r')
t_match "banners: Server header carries no version" "$(printf '%s' "$hdr" | grep -i '^Server:')" '^Server: nginx$'
t_ok "banners: no X-Powered-By" eval '! printf "%s" "$hdr" | grep -qi "^X-Powered-By"'
curl -s -o "$TMP/body" --max-time 30 -H 'Expect:' --data-binary @"$TMP/big" "$URL/login"
t_ok "banners: nginx's own error page names no version" eval '! grep -q "nginx/[0-9]" "$TMP/body"'

# ------------------------------------------------------------------ nginx's own error pages

code=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' --max-time 30 -H 'Expect:' \
	--data-binary @"$TMP/big" "$URL/login")
t_eq "nginx's 413: status kept" "$code" 413
t_ok "nginx's 413: the site's own page (layout, what to do next)" \
	eval 'grep -q "class=\"error-page__code\">413<" "$TMP/body" && grep -q "Go back and send something smaller" "$TMP/body"'
t_match "nginx's 413: not cached" "$(tr -d '\r' <"$TMP/head" | grep -i '^Cache-Control:')" 'no-store'
t_eq "error pages are not reachable directly" "$(http_status "$URL/errors/413.html")" 404
if stack_app_stop; then
	code=$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 10 -b marquee_age=1 "$URL/?cb=down$$")
	t_eq "workers down: 502 from nginx" "$code" 502
	t_ok "workers down: the site's own page, not nginx's" \
		eval 'grep -q "class=\"error-page__code\">502<" "$TMP/body" && ! grep -q "<center>nginx</center>" "$TMP/body"'
	if ! { stack_app_start && stack_wait_healthy 20; }; then
		t_fail "workers restarted after the 502 check"
	fi
else
	t_fail "workers stopped for the 502 check"
fi
