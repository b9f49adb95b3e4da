#!/usr/bin/env bash
# test_stack.sh - the stack itself: what deploy/local and deploy/nginx
# promise (isolation, permissions, nginx limits and headers, HLS failing
# closed, idempotent `up`, a second stack side by side, the production
# nginx config).  Page behaviour is test_http.sh's, the process model
# test_process.sh's, the schema test_schema.sh's.
set -u
. "$(dirname "$0")/../lib/assert.sh"
. "$(dirname "$0")/../lib/stack.sh"

URL=$MARQUEE_TEST_URL
VAR=$MARQUEE_VAR
LOCAL=$MARQUEE_SRC/deploy/local
SCRATCH=$(mktemp -d /tmp/marquee-stack-test.XXXXXX)
chmod 0755 "$SCRATCH"
SECOND=
cleanup() {
	[ -s "$SCRATCH/prod/nginx.pid" ] && kill "$(cat "$SCRATCH/prod/nginx.pid")" 2>/dev/null
	[ -n "$SECOND" ] && MARQUEE_VAR=$SECOND "$LOCAL" down >/dev/null 2>&1
	rm -rf "$SCRATCH" ${SECOND:+"$SECOND"}
}
trap cleanup EXIT

# deploy/local up reads MARQUEE_DATABASE_URL as "use this external
# database": the owner URL tests/run exports for psql must not reach it.
local_up() {
	env -u MARQUEE_DATABASE_URL -u MARQUEE_APP_DATABASE_URL "$LOCAL" up
}

# header NAME FILE: the value of header NAME in a curl -D dump.
header() {
	grep -i "^$1:" "$2" | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'
}

# ------------------------------------------------------------------ basics

t_eq "healthz through nginx is 200" "$(http_status "$URL/healthz")" 200

curl -s -D "$SCRATCH/h" -o /dev/null "$URL/healthz"
rid=$(header X-Request-Id "$SCRATCH/h")
t_match "response carries X-Request-Id" "$rid" '^[0-9a-f]{32}$'
t_eq "nginx names no version" "$(header Server "$SCRATCH/h")" nginx
# nginx writes its access log line after the response.
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q "rid=$rid" "$(stack_nginx_log)" && break; sleep 0.2; done
t_ok "request id is in nginx's access log" grep -q "rid=$rid" "$(stack_nginx_log)"
t_eq "healthz is never cached" "$(header X-Cache-Status "$SCRATCH/h")" BYPASS

# ------------------------------------------------------------------ headers and limits

# Security headers on an app page, an nginx error page and a 403 from nginx.
head -c 2000000 /dev/zero >"$SCRATCH/big"
curl -s -D "$SCRATCH/413" -o /dev/null --data-binary @"$SCRATCH/big" "$URL/"
curl -s -D "$SCRATCH/404" -o /dev/null "$URL/no-such-page-$$"
curl -s -D "$SCRATCH/hls" -o /dev/null "$URL/hls/demo/master.m3u8"
for f in 413 404 hls; do
	for h in Content-Security-Policy X-Content-Type-Options Referrer-Policy X-Frame-Options; do
		t_match "$h on the $f response" "$(header "$h" "$SCRATCH/$f")" '.'
	done
	t_eq "no HSTS over plain http ($f)" "$(header Strict-Transport-Security "$SCRATCH/$f")" ""
done
t_match "a 2 MB body gets 413 from nginx" "$(head -n 1 "$SCRATCH/413")" ' 413 '
rid413=$(header X-Request-Id "$SCRATCH/413")
if [ -n "$rid413" ] && grep -q "$rid413" "$(stack_log)"; then
	t_fail "the app never sees an oversized body" "rid $rid413 in the app log"
else
	t_pass "the app never sees an oversized body"
fi

static=$(cd "$MARQUEE_SRC/static" 2>/dev/null && find . -type f ! -name '.*' | head -n 1)
if [ -n "$static" ]; then
	curl -s -D "$SCRATCH/static" -o /dev/null "$URL/static/${static#./}"
	t_match "static asset served" "$(head -n 1 "$SCRATCH/static")" ' 200 '
	t_match "static asset cached for a year, immutable" \
		"$(header Cache-Control "$SCRATCH/static")" 'max-age=31536000.*immutable'
	t_match "security headers on static assets" "$(header X-Content-Type-Options "$SCRATCH/static")" nosniff
else
	t_skip "static asset headers" "static/ is empty"
fi

curl -s -o /dev/null -b marquee_age=1 -H 'Accept-Encoding: gzip' -D "$SCRATCH/gz" "$URL/"
if [ "$(header Content-Type "$SCRATCH/gz" | cut -d';' -f1)" = text/html ]; then
	t_eq "pages are gzipped for clients that accept it" "$(header Content-Encoding "$SCRATCH/gz")" gzip
	t_match "gzip responses vary on Accept-Encoding" "$(header Vary "$SCRATCH/gz")" 'Accept-Encoding'
else
	t_skip "gzip" "the home page is not HTML yet"
fi

curl -s -o /dev/null -b 'marquee_session=not-a-session; marquee_age=1' -D "$SCRATCH/sess" "$URL/"
t_eq "a session cookie bypasses the micro-cache" "$(header X-Cache-Status "$SCRATCH/sess")" BYPASS

# ------------------------------------------------------------------ HLS and internal endpoints

t_eq "HLS without a session is 403" "$(http_status "$URL/hls/demo/master.m3u8")" 403
t_eq "HLS with a forged session is 403" \
	"$(http_status "$URL/hls/demo/master.m3u8" -b 'marquee_session=forged')" 403
t_eq "streams are not served as plain media" "$(http_status "$URL/media/hls/demo/master.m3u8")" 404
t_eq "the app's internal endpoints are not reachable" "$(http_status "$URL/internal/hls-auth")" 404
t_eq "the auth subrequest location is internal" "$(http_status "$URL/_auth/hls")" 404
origin=$VAR/run/hls-origin.sock
t_eq "the local HLS origin answers nginx (root)" \
	"$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$origin" http://origin/nothing)" 404
if runuser -u nobody -- curl -s -o /dev/null --max-time 5 --unix-socket "$origin" http://origin/ 2>/dev/null; then
	t_fail "the HLS origin is out of reach of other users" "user nobody reached $origin"
else
	t_pass "the HLS origin is out of reach of other users"
fi

# ------------------------------------------------------------------ processes and permissions

t_eq "FastCGI socket mode and owner" "$(stat -c '%a %U %G' "$VAR/run/marquee.sock")" "660 marquee www-data"
if runuser -u nobody -- test -r "$VAR/run/marquee.sock" 2>/dev/null; then
	t_fail "FastCGI socket out of reach of other users" "nobody reaches it"
else
	t_pass "FastCGI socket out of reach of other users"
fi
master=$(stack_master_pid)
t_eq "master runs as marquee" "$(ps -o user= -p "$master" 2>/dev/null | tr -d ' ')" marquee
workers=$(stack_worker_pids | tr '\n' ' ')
t_match "master has workers" "$workers" '[0-9]'
bad=
for w in $workers; do
	u=$(ps -o user= -p "$w" | tr -d ' ')
	[ "$u" = marquee ] || bad="$bad $w:$u"
done
t_eq "every worker runs as marquee" "$bad" ""

if [ -f "$VAR/pg/postmaster.pid" ]; then
	t_eq "PostgreSQL listens on no TCP address" \
		"$(psql -X -At "$MARQUEE_DATABASE_URL" -c 'SHOW listen_addresses')" ""
	t_eq "PostgreSQL runs as marqueedb" \
		"$(ps -o user= -p "$(head -n 1 "$VAR/pg/postmaster.pid")" | tr -d ' ')" marqueedb
	if runuser -u marquee -- psql -X -At "$MARQUEE_DATABASE_URL" -c 'SELECT 1' >/dev/null 2>&1; then
		t_fail "the workers' user cannot log in as the owner role" "it can"
	else
		t_pass "the workers' user cannot log in as the owner role"
	fi
	t_eq "the workers' user logs in as the app role" \
		"$(runuser -u marquee -- psql -X -At "$MARQUEE_APP_DATABASE_URL" -c 'SELECT current_user' 2>&1)" marquee_app
	if runuser -u www-data -- psql -X -At "$MARQUEE_APP_DATABASE_URL" -c 'SELECT 1' >/dev/null 2>&1; then
		t_fail "nginx's user cannot reach PostgreSQL" "it can"
	else
		t_pass "nginx's user cannot reach PostgreSQL"
	fi
else
	t_skip "private PostgreSQL checks" "external database"
fi

# ------------------------------------------------------------------ deploy/local itself

nginx_pid=$(head -n 1 "$VAR/run/nginx.pid")
built=$(stat -c %Y "$MARQUEE_BIN/marquee-fcgi")
if local_up >"$SCRATCH/up2" 2>&1; then t_pass "a second 'up' succeeds"; else t_fail "a second 'up' succeeds" "$(tail -n 3 "$SCRATCH/up2")"; fi
# `up` restarts the workers when marquee-fcgi was rebuilt, which happens
# here only when someone edits the sources during the run.
if [ "$(stat -c %Y "$MARQUEE_BIN/marquee-fcgi")" = "$built" ]; then
	t_eq "a second 'up' keeps the master" "$(stack_master_pid)" "$master"
else
	t_skip "a second 'up' keeps the master" "sources changed during the run: rebuilt and restarted"
fi
t_eq "a second 'up' keeps nginx" "$(head -n 1 "$VAR/run/nginx.pid")" "$nginx_pid"
t_ok "status reports a running stack" "$LOCAL" status

# The periodic job (tests/run turns it off; started here for a moment).
: >>"$VAR/log/maintain.log"
mlines=$(wc -l <"$VAR/log/maintain.log")
if MARQUEE_MAINTAIN_EVERY=1 "$LOCAL" maintain-start >"$SCRATCH/maint" 2>&1; then
	for ((i = 0; i < 50; i++)); do
		tail -n +"$((mlines + 1))" "$VAR/log/maintain.log" | grep -q 'views folded: [0-9]' && break
		sleep 0.2
	done
	t_match "the local stack runs marqueectl maintain periodically" \
		"$(tail -n +"$((mlines + 1))" "$VAR/log/maintain.log" | head -n 3 | tr '\n' ' ')" 'views folded: [0-9]+'
	t_match "status shows the periodic job" "$(MARQUEE_MAINTAIN_EVERY=1 "$LOCAL" status)" 'maintain: +every 1 s'
	mpid=$(cat "$VAR/run/maintain.pid")
	MARQUEE_MAINTAIN_EVERY=1 "$LOCAL" maintain-stop
	sleep 0.3
	# Gone or a zombie (whoever adopted it may reap it late): not running.
	mstate=$(sed -n 's/^[0-9]* ([^)]*) \([A-Z]\).*/\1/p' "/proc/$mpid/stat" 2>/dev/null)
	t_match "maintain-stop ends the loop" "${mstate:-gone}" '^(gone|Z|X)$'
	t_match "status then shows it stopped" "$(MARQUEE_MAINTAIN_EVERY=1 "$LOCAL" status)" 'maintain: +stopped'
else
	t_fail "the local stack runs marqueectl maintain periodically" "$(tail -n 3 "$SCRATCH/maint")"
fi

# A second stack side by side (sharing this one's build): up, both serve,
# down stops all of the second and nothing of the first.
SECOND=$(mktemp -d /tmp/marquee-second.XXXXXX)
chmod 0755 "$SECOND"
port2=
for ((p = 19000 + RANDOM % 500; p < 19600; p++)); do
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { port2=$p; break; }
done
if MARQUEE_VAR=$SECOND MARQUEE_PORT=$port2 MARQUEE_SEED=0 \
	MARQUEE_BUILD=$MARQUEE_BIN MARQUEE_INSTALL=$(. "$VAR/stack.env" && echo "$INSTALL") \
	local_up >"$SCRATCH/second" 2>&1; then
	t_pass "a second stack comes up beside the first"
	t_eq "second stack serves" "$(http_status "http://127.0.0.1:$port2/healthz")" 200
	t_eq "first stack still serves" "$(http_status "$URL/healthz")" 200
	pids2="postgres:$(head -n 1 "$SECOND/pg/postmaster.pid") master:$(head -n 1 "$SECOND/run/marquee.pid") nginx:$(head -n 1 "$SECOND/run/nginx.pid")"
	MARQUEE_VAR=$SECOND "$LOCAL" down >/dev/null 2>&1
	left=
	for p in $pids2; do
		st=$(ps -o stat= -p "${p#*:}" 2>/dev/null)
		case $st in '' | Z*) ;; *) left="$left $p($st)" ;; esac
	done
	t_eq "down stops every process of the second stack" "$left" ""
	t_eq "second stack's port is closed" "$(http_status "http://127.0.0.1:$port2/healthz")" 000
	t_eq "first stack unaffected by the second's down" "$(http_status "$URL/healthz")" 200
else
	t_fail "a second stack comes up beside the first" "$(tail -n 5 "$SCRATCH/second" | tr '\n' ' ')"
fi

# ------------------------------------------------------------------ production nginx config

# deploy/nginx/marquee.conf inside Debian's own nginx.conf, with a
# throwaway certificate in place of the real one.
P=$SCRATCH/prod
mkdir -p "$P/cache"

# A port nothing listens on (from 19100 up: tests/run's own are below 19000).
unused_port() {
	local p
	for ((p = 19100 + RANDOM % 800; p < 20000; p++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

# Run the production config for real, on loopback ports, in front of this
# stack's workers: the HTTPS server must send HSTS, refuse TLS 1.1, hide
# its version, and the plain-HTTP server must only redirect.
prod_serve() {
	local p80 p443 h
	p80=$(unused_port) && p443=$(unused_port) && [ "$p80" != "$p443" ] ||
		{ t_skip "production nginx serves" "no free port"; return; }
	sed -i -e "s#listen 80;#listen 127.0.0.1:$p80;#" -e "s#listen 443 ssl http2;#listen 127.0.0.1:$p443 ssl http2;#" \
		-e '/listen \[::\]/d' -e "s#unix:/run/marquee/marquee.sock#unix:$VAR/run/marquee.sock#" \
		-e "s#root /srv/marquee;#root $VAR/www;#" "$P/site.conf"
	if ! nginx -c "$P/nginx.conf" -p "$P/" -e "$P/error.log" >"$P/start.out" 2>&1; then
		t_fail "production nginx starts" "$(tr '\n' ' ' <"$P/start.out")"
		return
	fi
	curl -sk -D "$P/h" -o "$P/body" --max-time 10 "https://127.0.0.1:$p443/robots.txt"
	t_eq "production https serves the site" "$(head -n 1 "$P/h" | tr -d '\r' | cut -d' ' -f2)" 200
	h=$(header Strict-Transport-Security "$P/h")
	t_match "production https sends HSTS for at least 180 days" "$h" '^max-age=(1[5-9][0-9]{6}|[2-9][0-9]{7}|[0-9]{9,})'
	t_eq "production https hides nginx's version" "$(header Server "$P/h")" nginx
	curl -sk -D "$P/h2" -o /dev/null --max-time 10 "https://127.0.0.1:$p443/"
	t_match "HSTS on app pages too" "$(header Strict-Transport-Security "$P/h2")" '^max-age='
	curl -s -D "$P/h3" -o /dev/null --max-time 10 "http://127.0.0.1:$p80/videos/x?y=1"
	t_eq "production http redirects" "$(head -n 1 "$P/h3" | tr -d '\r' | cut -d' ' -f2)" 301
	t_eq "to the same URL over https" "$(header Location "$P/h3")" "https://127.0.0.1/videos/x?y=1"
	t_ok "production https speaks TLS 1.2" openssl s_client -connect "127.0.0.1:$p443" -tls1_2 </dev/null
	if openssl s_client -connect "127.0.0.1:$p443" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >"$P/tls11" 2>&1; then
		t_fail "production https refuses TLS 1.1" "handshake succeeded"
	else
		t_match "production https refuses TLS 1.1" "$(tr '\n' ' ' <"$P/tls11")" 'alert protocol version|no protocols available|unsupported protocol|wrong version'
	fi
	nginx -c "$P/nginx.conf" -p "$P/" -e "$P/error.log" -s stop >/dev/null 2>&1
}
ln -s "$MARQUEE_SRC/deploy/nginx" "$P/marquee"
if openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=marquee.example.com -days 1 \
	-keyout "$P/key.pem" -out "$P/cert.pem" >/dev/null 2>&1; then
	sed -e "s#include /etc/nginx/sites-enabled/\*;#include $P/site.conf;#" \
		-e "s#include /etc/nginx/conf.d/\*.conf;##" -e "s#^pid .*#pid $P/nginx.pid;#" \
		/etc/nginx/nginx.conf >"$P/nginx.conf"
	sed -e "s#/etc/ssl/marquee/fullchain.pem#$P/cert.pem#" -e "s#/etc/ssl/marquee/privkey.pem#$P/key.pem#" \
		-e "s#/var/lib/nginx/#$P/cache/#" -e "s#/var/log/nginx/#$P/#" \
		"$MARQUEE_SRC/deploy/nginx/marquee.conf" >"$P/site.conf"
	if nginx -t -q -c "$P/nginx.conf" -p "$P/" -e "$P/error.log" >"$P/t.out" 2>&1; then
		t_pass "production nginx config passes nginx -t under Debian's nginx.conf"
	else
		t_fail "production nginx config passes nginx -t under Debian's nginx.conf" "$(tr '\n' ' ' <"$P/t.out")"
	fi
	t_match "production config allows TLS 1.2+ only" \
		"$(grep -E '^\s*ssl_protocols' "$MARQUEE_SRC/deploy/nginx/marquee.conf")" 'ssl_protocols TLSv1.2 TLSv1.3;'
	prod_serve
else
	t_skip "production nginx config" "openssl could not make a certificate"
fi

# ------------------------------------------------------------------ one security policy

# nginx's fallback Content-Security-Policy (static files, its own error
# pages) is the app's RESP_CSP, not a second policy drifting apart.
app_csp=$(sed -n '/^#define RESP_CSP/,/^$/p' "$MARQUEE_SRC/src/response.c" | grep -o '"[^"]*"' | tr -d '"' | tr -d '\n')
ngx_csp=$(grep -A2 'map $upstream_http_content_security_policy' "$MARQUEE_SRC/deploy/nginx/http.conf" |
	sed -n 's/^ *"" *"\(.*\)";$/\1/p')
t_eq "nginx's fallback CSP is the app's" "$ngx_csp" "$app_csp"
hdr=$(curl -s -D - -o /dev/null --max-time 10 "$URL/static/css/site.css" | tr -d '\r' | sed -n 's/^Content-Security-Policy: //p')
t_eq "a static file carries that policy" "$hdr" "$app_csp"
