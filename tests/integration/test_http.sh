#!/usr/bin/env bash
# test_http.sh - the HTTP core through the real nginx: strict decoding (400),
# 404, 405 + Allow, HEAD, canonical redirects (301), ETag + If-None-Match
# (304), caching headers, security and Rating headers, request ids (header
# and app log), body limits (413), cookie limits (431), the parser through
# the /__test/echo route when the build has test routes.
#
# Needs: curl, and MARQUEE_TEST_URL (e.g. http://127.0.0.1:18080).
# Uses tests/lib/stack.sh for the app's log when the stack is ours.
set -u
. "$(dirname "$0")/../lib/assert.sh"

URL=${MARQUEE_TEST_URL:?MARQUEE_TEST_URL is not set}
SCRATCH=$(mktemp -d /tmp/marquee-http-test.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT

# fetch NAME [curl args...] URL: headers to $SCRATCH/NAME.h, body to NAME.b;
# prints the status code.  Past the age gate (marquee_age=1; a -H Cookie
# argument replaces it, so those carry it themselves).
fetch() {
	local name=$1; shift
	curl -s --max-time 10 -b marquee_age=1 -D "$SCRATCH/$name.h" -o "$SCRATCH/$name.b" -w '%{http_code}' "$@" || true
}

# header NAME FILE-STEM: the value of the first header NAME of a fetch.
header() {
	grep -i "^$1:" "$SCRATCH/$2.h" | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'
}

body() { cat "$SCRATCH/$1.b"; }

# ------------------------------------------------------------------ strict decoding: 400

# nginx itself refuses some of these in the path (its own 400 page); the
# query string reaches the app untouched, so the app's messages are checked there.
t_eq "bad percent-escape in the path is 400" "$(fetch esc --path-as-is "$URL/videos/%zz")" 400
t_eq "truncated escape is 400" "$(fetch esc2 --path-as-is "$URL/abc%4")" 400
t_eq "encoded NUL in the path is 400" "$(fetch nul --path-as-is "$URL/a%00b")" 400
t_eq "invalid UTF-8 in the path is 400" "$(fetch utf --path-as-is "$URL/caf%E9")" 400
t_match "400 page names UTF-8" "$(body utf)" 'UTF-8'
t_eq "overlong UTF-8 is 400" "$(fetch overlong --path-as-is "$URL/%C0%AF")" 400
t_eq "bad escape in the query is 400" "$(fetch qesc "$URL/?q=%G0")" 400
t_match "400 page says what was wrong" "$(body qesc)" 'percent-escape'
t_eq "encoded NUL in the query is 400" "$(fetch qnul "$URL/?q=a%00")" 400
t_eq "invalid UTF-8 in the query is 400" "$(fetch qutf "$URL/?q=%FF%FE")" 400
t_match "400 carries X-Request-Id" "$(header X-Request-Id qutf)" '^[0-9a-f]{32}$'
t_eq "400 is not cached" "$(header Cache-Control qutf)" "no-store"

# ------------------------------------------------------------------ 404

t_eq "unknown path is 404" "$(fetch nf "$URL/no-such-page-$$")" 404
t_match "404 page in the layout" "$(body nf)" '<main id="content"'
t_match "404 page says what to do next" "$(body nf)" 'home page'
t_match "404 page links the stylesheet" "$(body nf)" '/static/css/site\.css'
t_match "404 page carries the RTA meta tag" "$(body nf)" 'name="rating" content="RTA-5042-1996-1400-1577-RTA"'
t_eq "dot segments are not resolved into a route" "$(fetch dots --path-as-is "$URL/x/../healthz")" 404

# ------------------------------------------------------------------ 405

t_eq "POST on a GET route is 405" "$(fetch m405 -X POST --data 'a=1' "$URL/healthz")" 405
t_eq "405 carries Allow" "$(header Allow m405)" "GET, HEAD"
t_eq "DELETE on a GET route is 405" "$(fetch m405d -X DELETE "$URL/")" 405

# ------------------------------------------------------------------ HEAD

fetch get "$URL/" >/dev/null
t_eq "HEAD answers where GET does" "$(fetch head -I "$URL/")" 200
t_eq "HEAD has no body" "$(curl -s -I -b marquee_age=1 -o /dev/null -w '%{size_download}' "$URL/")" 0
t_eq "HEAD has the GET's Content-Length" "$(header Content-Length head)" "$(wc -c <"$SCRATCH/get.b" | tr -d ' ')"
t_eq "HEAD has the GET's ETag" "$(header ETag head)" "$(header ETag get)"

# ------------------------------------------------------------------ canonical redirects

t_eq "trailing slash is 301" "$(fetch slash "$URL/healthz/")" 301
t_eq "trailing slash location" "$(header Location slash)" "/healthz"
t_eq "uppercase is 301" "$(fetch upper "$URL/HealthZ?x=1&y=%C3%A9")" 301
t_eq "uppercase location keeps the query" "$(header Location upper)" "/healthz?x=1&y=%C3%A9"
code=$(fetch open --path-as-is "$URL//evil.example/")
loc=$(header Location open)
t_ok "no open redirect from //host/ ($code ${loc:-no Location})" test "${loc#//}" = "$loc"
t_eq "POST is never redirected" "$(fetch pslash -X POST --data '' "$URL/healthz/")" 404

# ------------------------------------------------------------------ caching, ETag, 304

etag=$(header ETag get)
t_match "anonymous page has a strong ETag" "$etag" '^"[0-9a-f]{16}"$'
t_eq "anonymous page is public, short-lived" "$(header Cache-Control get)" "public, max-age=60"
t_eq "If-None-Match gives 304" "$(fetch inm -H "If-None-Match: $etag" "$URL/")" 304
t_ok "304 has no body" test ! -s "$SCRATCH/inm.b"
t_eq "a stale tag gives 200" "$(fetch inm2 -H 'If-None-Match: "0000"' "$URL/")" 200
t_eq "a session cookie makes it personal (200)" "$(fetch sess -H 'Cookie: marquee_session=abc; marquee_age=1' "$URL/")" 200
t_eq "personalised responses are private, no-store" "$(header Cache-Control sess)" "private, no-store"
t_eq "healthz is no-store" "$(fetch hz "$URL/healthz")" 200
t_match "healthz Cache-Control" "$(header Cache-Control hz)" 'no-store'

# ------------------------------------------------------------------ security headers, Rating, request id

csp=$(header Content-Security-Policy get)
t_match "CSP: default-src self" "$csp" "default-src 'self'"
t_match "CSP: scripts only from self" "$csp" "script-src 'self'(;|$)"
t_match "CSP: frame-ancestors none" "$csp" "frame-ancestors 'none'"
t_ok "CSP: no unsafe-inline" test -z "$(printf '%s' "$csp" | grep -F unsafe-inline)"
t_eq "X-Content-Type-Options" "$(header X-Content-Type-Options get)" nosniff
t_eq "Referrer-Policy" "$(header Referrer-Policy get)" strict-origin-when-cross-origin
t_eq "X-Frame-Options" "$(header X-Frame-Options get)" DENY
t_eq "Rating header on a page" "$(header Rating get)" RTA-5042-1996-1400-1577-RTA
t_eq "Rating header on an error page" "$(header Rating nf)" RTA-5042-1996-1400-1577-RTA
t_eq "Rating header on a redirect" "$(header Rating slash)" RTA-5042-1996-1400-1577-RTA
t_eq "one CSP header, not two" "$(grep -ci '^Content-Security-Policy:' "$SCRATCH/get.h")" 1
t_eq "one X-Request-Id header, not two" "$(grep -ci '^X-Request-Id:' "$SCRATCH/get.h")" 1
rid=$(header X-Request-Id nf)
t_match "X-Request-Id is nginx's request id" "$rid" '^[0-9a-f]{32}$'
t_match "the error page shows the request id" "$(body nf)" "$rid"

# The app's access line carries the same id (when this is a local stack we can read).
if [ -n "${MARQUEE_VAR:-}" ] && . "$(dirname "$0")/../lib/stack.sh" 2>/dev/null && [ -r "$(stack_log)" ]; then
	log=$(stack_log)
	for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q "rid=$rid" "$log" && break; sleep 0.2; done
	t_match "access line with method, path, status and request id" \
		"$(grep "rid=$rid" "$log" | grep access | head -n 1)" "rid=$rid access method=GET path=/no-such-page-$$ status=404 bytes=[0-9]+ us=[0-9]+"
else
	t_skip "access line with the request id" "app log not readable here"
fi

# ------------------------------------------------------------------ limits: 413, 431

head -c 100000 /dev/zero | tr '\0' 'a' >"$SCRATCH/100k"
t_eq "a body over the app's 64 KB limit is 413" \
	"$(fetch big -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$SCRATCH/100k" "$URL/")" 413
t_match "413 page says what to do" "$(body big)" 'Send less'
cookie="Cookie: a=$(head -c 5000 /dev/zero | tr '\0' 'c')"
# Unique queries: nginx's micro-cache must not answer for the app here.
t_eq "cookies over 4 KB are 431" "$(fetch c431 -H "$cookie" "$URL/?c431=$$")" 431
t_match "431 page says to clear cookies" "$(body c431)" 'cookies'
t_eq "a junk cookie does not break pages" "$(fetch junk -H 'Cookie: other=%zz%00%ff; marquee_age=1' "$URL/?junk=$$")" 200

# ------------------------------------------------------------------ the parser, through /__test/echo

if [ "$(fetch echo0 "$URL/__test/echo")" != 200 ]; then
	t_skip "parser through /__test/echo" "build without --enable-test-routes"
	exit 0
fi
e=$(fetch echo1 -H 'Cookie: mq_test=first; mq_test=second; x=1' "$URL/__test/echo?name=J%C3%B6rg+B&sort=views&unknown=1")
t_eq "echo 200" "$e" 200
t_match "query decoded (+ and UTF-8)" "$(body echo1)" '"name":\{"state":"valid","value":"Jörg B"'
t_match "enum bound to its index" "$(body echo1)" '"sort":\{"state":"valid","value":"views","num":1'
t_match "cookie: first one wins" "$(body echo1)" '"mq_test":\{"state":"valid","value":"first"'
t_match "unknown keys ignored but parsed" "$(body echo1)" '\["unknown", *"1"\]'
t_eq "echo is not cached" "$(header Cache-Control echo1)" "no-store"
t_eq "repeated declared key is 400" "$(fetch rep "$URL/__test/echo?sort=views&sort=newest")" 400
t_match "400 says which key and why" "$(body rep)" 'sort.*more than once'
t_eq "invalid enum is 400" "$(fetch badenum "$URL/__test/echo?sort=drop+table")" 400
t_match "400 lists the allowed values" "$(body badenum)" 'one of: newest, views'
t_eq "control character in a string is 400" "$(fetch ctl "$URL/__test/echo?name=a%0Ab")" 400
t_eq "form body parsed" "$(fetch form --data 'n=7&other=x' "$URL/__test/echo")" 200
t_match "form field bound" "$(body form)" '"n":\{"state":"valid","value":"7","num":7'
t_eq "JSON body parsed" "$(fetch json -H 'Content-Type: application/json' --data '{"n":42,"x":[1]}' "$URL/__test/echo")" 200
t_match "JSON member bound" "$(body json)" '"n":\{"state":"valid","value":"42","num":42'
t_eq "JSON duplicate keys are 400" "$(fetch jdup -H 'Content-Type: application/json' --data '{"n":1,"n":2}' "$URL/__test/echo")" 400
t_eq "JSON that is not an object is 400" "$(fetch jarr -H 'Content-Type: application/json' --data '[1]' "$URL/__test/echo")" 400
t_eq "malformed JSON is 400" "$(fetch jbad -H 'Content-Type: application/json' --data '{"n":' "$URL/__test/echo")" 400
t_eq "out-of-range form value is 400" "$(fetch frange --data 'n=101' "$URL/__test/echo")" 400
t_match "400 says the range" "$(body frange)" 'from 1 to 100'
t_eq "multipart is 415" "$(fetch mp -F 'n=1' "$URL/__test/echo")" 415
t_eq "sleep needs its ms parameter" "$(fetch sl "$URL/__test/sleep")" 400
t_eq "sleep ms out of range is 400" "$(fetch sl2 "$URL/__test/sleep?ms=600001")" 400
t_eq "sleep ms=0 is 200" "$(fetch sl3 "$URL/__test/sleep?ms=0")" 200
