#!/usr/bin/env bash
# test_accounts.sh - accounts, sessions, CSRF, throttling, the age gate,
# jurisdictions and the age-verification callback, through nginx with curl
# cookie jars (issue 6).
#
# Needs: curl, psql, openssl, b2sum, MARQUEE_TEST_URL and MARQUEE_DATABASE_URL
# (the owner role: the test reads and changes rows behind the app's back,
# e.g. to expire a session; run by hand, tests/lib/stack.sh finds both for
# the stack in $MARQUEE_VAR).  Uses tests/lib/stack.sh to give the app an
# age-verification secret when the stack has none (the local stack's
# generated config leaves it empty): it writes one into $MARQUEE_VAR's
# marquee.conf and restarts the app.
#
# Jurisdiction rules for the user-assigned country codes XB (block) and XV
# (verify, with region R1 click-through) are inserted and left in place:
# workers cache the rules for a minute, so removing them at the end would
# only make a rerun within that minute see stale rules.  Test visitors send
# their location as X-Geo-Country / X-Geo-Region, the headers nginx maps to
# GEO_COUNTRY / GEO_REGION (deploy/nginx/http.conf).
#
# Deleting an account tells the payment processor: the test gives the
# account a subscription through the simulator (MARQUEE_PAYSIM_URL, from
# tests/lib/stack.sh) and delivers the queued cancel with `marqueectl
# billing-send` (MARQUEE_BIN, the stack's marquee.conf in MARQUEE_VAR).
set -u
. "$(dirname "$0")/../lib/assert.sh"
. "$(dirname "$0")/../lib/stack.sh"

URL=${MARQUEE_TEST_URL:-}
DB=${MARQUEE_DATABASE_URL:-}
if [ -z "$URL" ] || [ -z "$DB" ]; then
	t_skip "accounts" "MARQUEE_TEST_URL or MARQUEE_DATABASE_URL is not set"
	exit 0
fi
S=$(mktemp -d /tmp/marquee-accounts-test.XXXXXX)
trap 'rm -rf "$S"' EXIT
N=$$-$RANDOM

sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

# req NAME JAR [curl args...] URL: status; headers in $S/NAME.h, body in
# $S/NAME.b.  The jar (a file) is read and written; every request carries
# the age cookie unless the jar says otherwise (jar "-": no cookies at all).
req() {
	local name=$1 jar=$2
	shift 2
	if [ "$jar" = - ]; then
		curl -s --max-time 20 -D "$S/$name.h" -o "$S/$name.b" -w '%{http_code}' "$@" || true
	else
		grep -q marquee_age "$jar" 2>/dev/null ||
			printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tmarquee_age\t1\n' >>"$jar"
		curl -s --max-time 20 -b "$jar" -c "$jar" -D "$S/$name.h" -o "$S/$name.b" \
			-w '%{http_code}' "$@" || true
	fi
}
hdr() { grep -i "^$1:" "$S/$2.h" | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'; }
body() { cat "$S/$1.b"; }
# The first form's CSRF token in a page.
csrf() { grep -o 'name="csrf" value="[^"]*"' "$S/$1.b" | head -n 1 | sed 's/.*value="//; s/"$//'; }
# The hex BLAKE2b-256 of a session token's bytes (what sessions.token_hash holds).
token_hash() { printf '%s=' "$1" | tr '_-' '/+' | base64 -d | b2sum -l 256 | cut -c1-64; }
# The value of cookie NAME in a jar.
jar_cookie() { awk -v n="$2" '$6 == n { v = $7 } END { print v }' "$1"; }
enc() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/../%&/g'; }
# post NAME JAR PATH FIELDS...: a same-origin form POST (fields already "k=v", values urlencoded).
post() {
	local name=$1 jar=$2 path=$3
	shift 3
	local data
	data=$(IFS='&'; printf '%s' "$*")
	# nginx allows these POSTs 1/s per address after a burst of 20 (limit_req):
	# pace them, or a fast machine meets nginx's 429 instead of the app's answer.
	case $path in /login | /signup) sleep 1 ;; esac
	req "$name" "$jar" -H "Origin: $URL" --data "$data" "$URL$path"
}

# signup_login JAR EMAIL USERNAME PASSWORD: sign up and log in; prints the login status.
signup_login() {
	local jar=$1 email=$2 user=$3 pw=$4
	req su_form "$jar" "$URL/signup" >/dev/null
	post su "$jar" /signup "csrf=$(csrf su_form)" "email=$(enc "$email")" "username=$(enc "$user")" \
		"password=$(enc "$pw")" >/dev/null
	req li_form "$jar" "$URL/login" >/dev/null
	post li "$jar" /login "csrf=$(csrf li_form)" "email=$(enc "$email")" "password=$(enc "$pw")"
}

sql "DELETE FROM login_attempts" >/dev/null
VIDEO=$(sql "SELECT slug FROM videos WHERE is_published AND deleted_at IS NULL ORDER BY slug LIMIT 1")

# ------------------------------------------------------------------ age gate

if [ -n "$VIDEO" ]; then
	code=$(req gate0 - "$URL/videos/$VIDEO?sort=x")
	t_eq "content page without the age cookie redirects" "$code" 302
	t_eq "... to the gate with next=" "$(hdr Location gate0)" "/age-gate?next=/videos/$VIDEO%3Fsort%3Dx"
else
	t_skip "age gate on a video page" "no published video in the database"
fi
t_eq "home page without the age cookie redirects" "$(req gate1 - "$URL/")" 302
for p in /2257 /terms /privacy /robots.txt /sitemap.xml /healthz /age-gate; do
	t_eq "exempt from the gate: $p" "$(req exempt - "$URL$p")" 200
done
code=$(req wh0 - -X POST --data '{}' -H 'Content-Type: application/json' "$URL/webhooks/age-verification")
t_match "the webhook is exempt from the gate (refused, not redirected: $code)" "$code" '^(401|503)$'

G=$S/gate.jar
: >"$G"
req gform "$G" "$URL/age-gate?next=%2Fperformers%3Fletter%3Da" >/dev/null
t_match "gate page offers the click-through" "$(body gform)" 'I am 18 or older'
t_match "gate page offers a way out" "$(body gform)" 'href="https://www.google.com/"'
t_match "gate form carries next" "$(body gform)" 'name="next" value="/performers\?letter=a"'
t_match "gate works without JavaScript (a plain form POST)" "$(body gform)" '<form class="age-gate__form" method="post" action="/age-gate">'
t_eq "gate POST without CSRF token is 403" "$(post gnocsrf "$G" /age-gate "next=/")" 403
t_eq "gate POST redirects" "$(post gpost "$G" /age-gate "csrf=$(csrf gform)" "next=$(enc /performers?letter=a)")" 303
t_eq "... back to next" "$(hdr Location gpost)" "/performers?letter=a"
t_match "... setting the age cookie (HttpOnly, SameSite=Lax)" "$(hdr Set-Cookie gpost)" '^marquee_age=1;.*HttpOnly.*SameSite=Lax'
t_eq "after the gate the page is served" "$(req gafter "$G" "$URL/performers?letter=a")" 200
# Encoded once more for the form body; the last decodes to //evil.example.
for evil in "$(enc //evil.example)" "$(enc https://evil.example)" "$(enc '/\evil.example')" %2F%2Fevil.example; do
	post gevil "$G" /age-gate "csrf=$(csrf gform)" "next=$evil" >/dev/null
	t_eq "gate next=$evil stays local" "$(hdr Location gevil)" /
done

# ------------------------------------------------------------------ sign up

A=$S/a.jar
EMAIL="o'brien.$N@example.com"
USERNAME="<i>o'k</i>\";--$RANDOM"
PW="correct horse $N"
req suf "$A" "$URL/signup" >/dev/null
t_match "signup form has a CSRF token" "$(csrf suf)" '^[A-Za-z0-9_-]{86}$'
t_match "anonymous CSRF cookie is HttpOnly" "$(hdr Set-Cookie suf)" '^marquee_csrf=.*HttpOnly'
t_match "signup form has a strength hint without JavaScript" "$(body suf)" 'Longer is stronger'

code=$(post su1 "$A" /signup "csrf=$(csrf suf)" "email=$(enc "$EMAIL")" "username=$(enc "$USERNAME")" "password=short")
t_eq "a short password is refused (422)" "$code" 422
t_match "... with a message next to the field" "$(body su1)" 'id="signup-password-error">Use at least 10 characters'
t_match "... keeping the e-mail typed (escaped)" "$(body su1)" "value=\"o&#39;brien.$N@example.com\"|value=\"o&#x27;brien.$N@example.com\""
t_ok "... and never the password" sh -c "! grep -q 'value=\"short\"' '$S/su1.b'"
code=$(post su2 "$A" /signup "csrf=$(csrf suf)" "email=$(enc "$EMAIL")" "username=$(enc "$USERNAME")" "password=$(enc "$EMAIL")")
t_eq "password equal to the e-mail is refused" "$code" 422
t_match "... saying why" "$(body su2)" 'must not be your e-mail address'
code=$(post su3 "$A" /signup "csrf=$(csrf suf)" "email=not-an-email" "username=$(enc "$USERNAME")" "password=$(enc "$PW")")
t_eq "a malformed e-mail is refused" "$code" 422
code=$(post su4 "$A" /signup "csrf=$(csrf suf)" "email=$(enc "$EMAIL")" "username=$(enc "$USERNAME")" "password=$(enc "$PW")")
t_eq "sign up redirects" "$code" 303
t_match "... to log in" "$(hdr Location su4)" '^/login\?created=1'
t_eq "the account exists, with the username as typed" \
	"$(sql "SELECT username FROM users WHERE email = '$(printf '%s' "$EMAIL" | sed "s/'/''/g")'")" "$USERNAME"
# shellcheck disable=SC2016  # the $ are the hash format's, not the shell's
t_match "the password is stored as an Argon2id hash" \
	"$(sql "SELECT password_hash FROM users WHERE lower(email) = lower('$(printf '%s' "$EMAIL" | sed "s/'/''/g")')")" '^\$argon2id\$v=19\$m=65536,t=2,p=1\$'
code=$(post su5 "$A" /signup "csrf=$(csrf suf)" "email=$(enc "${EMAIL^^}")" "username=other$N" "password=$(enc "another password $N")")
t_eq "signing up with a taken e-mail answers the same" "$code $(hdr Location su5)" "303 $(hdr Location su4)"
t_eq "... and creates nothing" "$(sql "SELECT count(*) FROM users WHERE username = 'other$N'")" 0
code=$(post su6 "$A" /signup "csrf=$(csrf suf)" "email=x$N@example.com" "username=$(enc "$USERNAME")" "password=$(enc "$PW")")
t_eq "a taken username is refused (422)" "$code" 422
t_match "... saying so" "$(body su6)" 'That username is taken'
code=$(post su7 "$A" /signup "csrf=$(csrf suf)" "email=y$N@example.com" "username=$(enc "${USERNAME^^}")" "password=$(enc "$PW")")
t_eq "a username differing only in case is taken too" "$code" 422

# ------------------------------------------------------------------ log in

req lif "$A" "$URL/login" >/dev/null
code=$(post lbad "$A" /login "csrf=$(csrf lif)" "email=$(enc "$EMAIL")" "password=wrong-password-1")
t_eq "wrong password is refused" "$code" 422
code2=$(post lunk "$A" /login "csrf=$(csrf lif)" "email=nobody.$N@example.com" "password=wrong-password-1")
t_eq "unknown e-mail gets the same status" "$code2" "$code"
alert() { grep -o '<p class="form-alert"[^>]*>[^<]*</p>' "$S/$1.b"; }
t_eq "... and the same message" "$(alert lunk)" "$(alert lbad)"
t_match "the message does not say which part was wrong" "$(alert lbad)" 'The e-mail address or the password is wrong'
post lhtml "$A" /login "csrf=$(csrf lif)" "email=$(enc "<script>alert(1)</script>'--@x.example")" "password=x" >/dev/null
t_match "HTML typed into the login form comes back escaped" "$(body lhtml)" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;'
t_ok "... never raw" sh -c "! grep -q '<script>alert' '$S/lhtml.b'"
t_eq "login without the CSRF cookie is 403" \
	"$(req lnojar - -b marquee_age=1 -H "Origin: $URL" --data "csrf=$(csrf lif)&email=x@example.com&password=x" "$URL/login")" 403

code=$(post lok "$A" /login "csrf=$(csrf lif)" "email=$(enc "${EMAIL^^}")" "password=$(enc "$PW")" "next=/account")
t_eq "login redirects (e-mail in any case)" "$code" 303
t_eq "... to next" "$(hdr Location lok)" /account
sc=$(grep -i '^set-cookie: marquee_session=' "$S/lok.h" | tr -d '\r')
t_match "session cookie: 43-character token, HttpOnly, SameSite=Lax, Path=/" "$sc" 'marquee_session=[A-Za-z0-9_-]{43};.*Path=/.*HttpOnly.*SameSite=Lax'
t_ok "session cookie: no Secure on plain http to 127.0.0.1 (dev_mode)" sh -c "! printf '%s' '$sc' | grep -qi '; Secure'"
# Any other host name, even in dev_mode, gets Secure cookies (the CSRF
# cookie of a fresh login form comes from the same cookie_secure rule).
req lsec - -b marquee_age=1 -H 'Host: marquee.example' "$URL/login" >/dev/null
t_match "cookies are Secure for any host but this machine's own" \
	"$(grep -i '^set-cookie: ' "$S/lsec.h" | tr -d '\r')" '; Secure'
req lins - -b marquee_age=1 "$URL/login" >/dev/null
t_ok "... and not for 127.0.0.1 in dev_mode" sh -c "grep -i '^set-cookie: ' '$S/lins.h' | grep -q . && ! grep -i '^set-cookie: ' '$S/lins.h' | grep -qi '; Secure'"
tok=$(jar_cookie "$A" marquee_session)
t_eq "the session is stored under the token's BLAKE2b-256 hash" \
	"$(sql "SELECT count(*) FROM sessions WHERE token_hash = '\\x$(token_hash "$tok")'")" 1
t_eq "... never the token itself" \
	"$(sql "SELECT count(*) FROM sessions WHERE position(decode('$(printf '%s=' "$tok" | tr '_-' '/+' | base64 -d | od -An -tx1 | tr -d ' \n')', 'hex') IN token_hash) > 0")" 0
t_eq "account page for the member" "$(req acc "$A" "$URL/account")" 200
t_match "... shows the e-mail" "$(body acc)" "o&#39;brien.$N@example.com|o&#x27;brien.$N@example.com"
t_match "... shows the username escaped" "$(body acc)" '&lt;i&gt;o&#39;k&lt;/i&gt;&quot;;--|&lt;i&gt;o&#x27;k&lt;/i&gt;&quot;;--'
t_ok "... and never raw" sh -c "! grep -q '<i>o' '$S/acc.b'"
t_eq "member pages are private" "$(hdr Cache-Control acc)" "private, no-store"
t_match "the header offers log out" "$(body acc)" 'action="/logout"'
t_eq "anonymous /account redirects to log in" "$(req acc0 "$S/anon.jar" "$URL/account")" 303
t_eq "... with next" "$(hdr Location acc0)" "/login?next=/account"
for evil in "$(enc //evil.example)" "$(enc https://evil.example)" "$(enc '/\evil.example')" %2F%2Fevil.example \
	"$(enc 'javascript:alert(1)')"; do
	req lf2 "$A" "$URL/login" >/dev/null
	post lnext "$A" /login "csrf=$(csrf lf2)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")" "next=$evil" >/dev/null
	t_eq "login next=$evil stays local" "$(hdr Location lnext)" /
done
req lf3 - "$URL/login?next=//evil.example" -b marquee_age=1 >/dev/null
t_match "login form never carries a foreign next" "$(body lf3)" 'name="next" value="/"'

# ------------------------------------------------------------------ sessions

tok=$(jar_cookie "$A" marquee_session)
req lf4 "$A" "$URL/login" >/dev/null
post relog "$A" /login "csrf=$(csrf lf4)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")" >/dev/null
tok2=$(jar_cookie "$A" marquee_session)
t_ok "login rotates the token" test -n "$tok2" -a "$tok" != "$tok2"
t_eq "the old token no longer works" "$(req old - -b "marquee_age=1; marquee_session=$tok" "$URL/account")" 303
t_match "... and the browser is told to forget it" "$(hdr Set-Cookie old)" '^marquee_session=;.*Max-Age=0'
t_eq "the new token works" "$(req new - -b "marquee_age=1; marquee_session=$tok2" "$URL/account")" 200
bad=${tok2%?}$( [ "${tok2: -1}" = A ] && echo B || echo A)
t_eq "a tampered token is anonymous" "$(req tamper - -b "marquee_age=1; marquee_session=$bad" "$URL/account")" 303
t_eq "a malformed token is anonymous" "$(req junk - -b "marquee_age=1; marquee_session=%00'--" "$URL/account")" 303
USER_ID=$(sql "SELECT id FROM users WHERE lower(email) = lower('$(printf '%s' "$EMAIL" | sed "s/'/''/g")')")
t_eq "rotation leaves one session per browser" "$(sql "SELECT count(*) FROM sessions WHERE user_id = '$USER_ID'")" 1

B=$S/b.jar
: >"$B"
req lfb "$B" "$URL/login" >/dev/null
post lb "$B" /login "csrf=$(csrf lfb)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")" >/dev/null
tokb=$(jar_cookie "$B" marquee_session)
sql "UPDATE sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second'
	WHERE token_hash = '\\x$(token_hash "$tokb")'" >/dev/null
t_eq "a session past its absolute expiry is refused" "$(req expired - -b "marquee_age=1; marquee_session=$tokb" "$URL/account")" 303
t_eq "A's session still works" "$(req stillA "$A" "$URL/account")" 200
sql "UPDATE sessions SET last_seen_at = now() - interval '8 days', created_at = now() - interval '9 days',
	expires_at = now() + interval '1 day' WHERE user_id = '$USER_ID'" >/dev/null
t_eq "a session idle past the limit is refused" "$(req idle "$A" "$URL/account")" 303

# ------------------------------------------------------------------ CSRF

: >"$A"
req lf5 "$A" "$URL/login" >/dev/null
post l5 "$A" /login "csrf=$(csrf lf5)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")" >/dev/null
req acc2 "$A" "$URL/account" >/dev/null
T=$(csrf acc2)
t_match "member CSRF token" "$T" '^[A-Za-z0-9_-]{86}$'
t_eq "POST without a CSRF token is 403" "$(post c1 "$A" /account/preferences "preferred_quality=720p")" 403
t_eq "POST with a wrong CSRF token is 403" "$(post c2 "$A" /account/preferences "csrf=${T%?????}AAAAA" "preferred_quality=720p")" 403
t_eq "POST with another visitor's token is 403" "$(post c3 "$A" /account/preferences "csrf=$(csrf lf5)" "preferred_quality=720p")" 403
t_eq "cross-site Origin is 403" "$(req c4 "$A" -H 'Origin: https://evil.example' --data "csrf=$T&preferred_quality=720p" "$URL/account/preferences")" 403
t_eq "Origin: null is 403" "$(req c5 "$A" -H 'Origin: null' --data "csrf=$T&preferred_quality=720p" "$URL/account/preferences")" 403
t_eq "Sec-Fetch-Site: cross-site is 403" "$(req c6 "$A" -H 'Sec-Fetch-Site: cross-site' --data "csrf=$T&preferred_quality=720p" "$URL/account/preferences")" 403
t_eq "logout without a token is 403" "$(post c7 "$A" /logout "x=1")" 403
t_eq "preferences saved with a valid token" "$(post pref "$A" /account/preferences "csrf=$T" "preferred_quality=720p" "history_paused=1")" 303
t_eq "... stored" "$(sql "SELECT preferred_quality || ' ' || autoplay_videos || ' ' || history_paused FROM users WHERE id = '$USER_ID'")" "720p false true"
t_eq "an unknown quality is refused" "$(post pref2 "$A" /account/preferences "csrf=$T" "preferred_quality=%3Cscript%3E")" 422
t_eq "a token is good for several forms (masked differently each page)" \
	"$(post pref3 "$A" /account/preferences "csrf=$(csrf acc2)" "preferred_quality=1080p" "autoplay=1")" 303

# ------------------------------------------------------------------ log out everywhere, change password

: >"$B"
req lfb2 "$B" "$URL/login" >/dev/null
post lb2 "$B" /login "csrf=$(csrf lfb2)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")" >/dev/null
t_eq "second device logged in" "$(req bacc "$B" "$URL/account")" 200
t_eq "change password: wrong current password" "$(post cp1 "$A" /account/password "csrf=$T" "current_password=nope-nope-nope" "new_password=$(enc "new password $N")")" 422
t_match "... says so" "$(body cp1)" 'Your current password is wrong'
t_eq "change password: too short" "$(post cp2 "$A" /account/password "csrf=$T" "current_password=$(enc "$PW")" "new_password=short")" 422
t_eq "change password" "$(post cp3 "$A" /account/password "csrf=$T" "current_password=$(enc "$PW")" "new_password=$(enc "new password $N")")" 303
t_eq "... back to the account page" "$(hdr Location cp3)" "/account?saved=password"
t_eq "... this device stays logged in" "$(req acc3 "$A" "$URL/account?saved=password")" 200
t_match "... and is told what happened" "$(body acc3)" 'Your password was changed'
t_eq "... the other device is logged out" "$(req bacc2 "$B" "$URL/account")" 303
req lf6 "$B" "$URL/login" >/dev/null
t_eq "the old password no longer works" "$(post l6 "$B" /login "csrf=$(csrf lf6)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")")" 422
PW="new password $N"
t_eq "the new one does" "$(post l7 "$B" /login "csrf=$(csrf lf6)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")")" 303
T=$(csrf acc3)
t_eq "log out everywhere" "$(post lo_all "$A" /account/logout-all "csrf=$T")" 303
t_eq "... ends this session" "$(req acc4 "$A" "$URL/account")" 303
t_eq "... and the other device's" "$(req bacc3 "$B" "$URL/account")" 303
t_eq "... none left" "$(sql "SELECT count(*) FROM sessions WHERE user_id = '$USER_ID'")" 0

req lf7 "$A" "$URL/login" >/dev/null
post l8 "$A" /login "csrf=$(csrf lf7)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")" >/dev/null
req acc5 "$A" "$URL/account" >/dev/null
t_eq "log out" "$(post lo "$A" /logout "csrf=$(csrf acc5)")" 303
t_eq "... session gone" "$(req acc6 "$A" "$URL/account")" 303

# ------------------------------------------------------------------ rehash on login
# A hash made with weaker Argon2id parameters than password.h's (here
# m=8 MiB, t=1, made once with crypto_pwhash_str for this password) is
# replaced by a current one at the next successful login.
R_EMAIL="rehash.$N@example.com"
: >"$S/r.jar"
signup_login "$S/r.jar" "$R_EMAIL" "rehash$N" "rehash password $N" >/dev/null
WEAK='$argon2id$v=19$m=8192,t=1,p=1$K8ZRu57leAkvQF6pGhuszw$rMjDwyPvEAd/fplKnjweErcO2ki2uvS3wG6I5Bn382Q'
sql "UPDATE users SET password_hash = '$WEAK' WHERE email = '$R_EMAIL'" >/dev/null
: >"$S/r2.jar"
req rlf "$S/r2.jar" "$URL/login" >/dev/null
t_eq "rehash: an old-parameter hash still logs in" \
	"$(post rli "$S/r2.jar" /login "csrf=$(csrf rlf)" "email=$(enc "$R_EMAIL")" "password=old-params-pass-1")" 303
t_match "rehash: ... and is stored again with the current parameters" \
	"$(sql "SELECT password_hash FROM users WHERE email = '$R_EMAIL'")" '^\$argon2id\$v=19\$m=65536,t=2,p=1\$'
: >"$S/r3.jar"
req rlf2 "$S/r3.jar" "$URL/login" >/dev/null
t_eq "rehash: the same password logs in with the new hash" \
	"$(post rli2 "$S/r3.jar" /login "csrf=$(csrf rlf2)" "email=$(enc "$R_EMAIL")" "password=old-params-pass-1")" 303

# ------------------------------------------------------------------ throttling

T_EMAIL="throttle.$N@example.com"
: >"$S/t.jar"
signup_login "$S/t.jar" "$T_EMAIL" "throttle$N" "throttle password $N" >/dev/null
: >"$S/t.jar"
req tf "$S/t.jar" "$URL/login" >/dev/null
for i in 1 2 3 4 5; do post tl "$S/t.jar" /login "csrf=$(csrf tf)" "email=$T_EMAIL" "password=wrong-$i-password" >/dev/null; done
code=$(post tl6 "$S/t.jar" /login "csrf=$(csrf tf)" "email=$T_EMAIL" "password=$(enc "throttle password $N")")
t_eq "after 5 failures the account is throttled, even with the right password (429)" "$code" 429
t_match "... with Retry-After" "$(hdr Retry-After tl6)" '^[0-9]+$'
t_match "... and a clear message" "$(body tl6)" 'too many failed log-in attempts.*wait [0-9]+ minute'
t_eq "another account from the same address is not throttled" \
	"$(post tl7 "$S/t.jar" /login "csrf=$(csrf tf)" "email=$(enc "$EMAIL")" "password=$(enc "$PW")")" 303
sql "INSERT INTO login_attempts (key, count) VALUES ('login:ip:127.0.0.1', 20)
	ON CONFLICT (key) DO UPDATE SET count = 20, window_start = now()" >/dev/null
: >"$S/t2.jar"
req tf2 "$S/t2.jar" "$URL/login" >/dev/null
t_eq "an address with 20 failures is throttled for every account" \
	"$(post tl8 "$S/t2.jar" /login "csrf=$(csrf tf2)" "email=someone.$N@example.com" "password=whatever-password")" 429
sql "INSERT INTO login_attempts (key, count) VALUES ('signup:ip:127.0.0.1', 20)
	ON CONFLICT (key) DO UPDATE SET count = 20, window_start = now()" >/dev/null
req tsf "$S/t2.jar" "$URL/signup" >/dev/null
t_eq "an address with 20 sign-ups in the hour is throttled" \
	"$(post ts "$S/t2.jar" /signup "csrf=$(csrf tsf)" "email=many.$N@example.com" "username=many$N" "password=$(enc "$PW")")" 429
t_match "... saying so" "$(body ts)" 'too many sign-ups'
sql "DELETE FROM login_attempts" >/dev/null
t_ok "no e-mail address is kept in the throttling table" \
	test "$(sql "SELECT count(*) FROM login_attempts WHERE key LIKE '%@%'")" = 0

# ------------------------------------------------------------------ jurisdictions

sql "INSERT INTO jurisdiction_rules (country_code, region, rule, note) VALUES
	('XB', '', 'block', 'test_accounts.sh'), ('XV', '', 'verify', 'test_accounts.sh'),
	('XV', 'R1', 'click_through', 'test_accounts.sh') ON CONFLICT DO NOTHING" >/dev/null
if [ -n "$VIDEO" ]; then
	t_eq "blocked jurisdiction: content is 451" "$(req jb - -b marquee_age=1 -H 'X-Geo-Country: XB' "$URL/videos/$VIDEO")" 451
	t_match "... with a page saying why" "$(body jb)" 'not available in your location'
	t_eq "blocked jurisdiction: legal pages stay" "$(req jbt - -H 'X-Geo-Country: XB' "$URL/terms")" 200
	t_eq "verify jurisdiction: the page is served" "$(req jv - -b marquee_age=1 -H 'X-Geo-Country: XV' "$URL/videos/$VIDEO")" 200
	t_match "... with the notice" "$(body jv)" 'restricted-notice'
	t_match "... and placeholders" "$(body jv)" 'placeholder-media'
	t_ok "... and no stills or posters" sh -c "! grep -Eq '<img|poster=' '$S/jv.b'"
	t_eq "home page in a verify jurisdiction" "$(req jvh - -b marquee_age=1 -H 'X-Geo-Country: XV' "$URL/")" 200
	t_ok "... shows no images" sh -c "! grep -q '<img' '$S/jvh.b'"
	# Every listing in a verify jurisdiction: performers (top and A-Z), search.
	word=$(sql "SELECT lower(substring(title from '[A-Za-z]{4,}')) FROM videos WHERE slug = '$VIDEO'")
	letter=$(sql "SELECT lower(left(name, 1)) FROM performers WHERE deleted_at IS NULL AND name ~ '^[A-Za-z]' LIMIT 1")
	for p in /performers "/performers?letter=${letter:-a}" "/search?q=${word:-video}"; do
		t_eq "verify jurisdiction: $p is served" "$(req jl - -b marquee_age=1 -H 'X-Geo-Country: XV' "$URL$p")" 200
		t_ok "... with no pictures" sh -c "! grep -q '<img' '$S/jl.b'"
	done
	t_ok "... and no description snippets in search" sh -c "! tr -d '\\n' <'$S/jl.b' | grep -q '</h3>[[:space:]]*<p>'"
	req jr - -b marquee_age=1 -H 'X-Geo-Country: XV' -H 'X-Geo-Region: R1' "$URL/videos/$VIDEO" >/dev/null
	t_ok "a region rule overrides its country's" sh -c "! grep -q 'restricted-notice' '$S/jr.b'"
	req jn - -b marquee_age=1 "$URL/videos/$VIDEO" >/dev/null
	t_ok "no location: click-through" sh -c "! grep -q 'restricted-notice' '$S/jn.b'"
	t_eq "a malformed location is ignored" "$(req jm - -b marquee_age=1 -H "X-Geo-Country: xb'" "$URL/videos/$VIDEO")" 200
else
	t_skip "jurisdictions" "no published video in the database"
fi

# ------------------------------------------------------------------ age-verification callback

CONF=${MARQUEE_VAR:-}/marquee.conf
SECRET=$(sed -n 's/^age_verification_secret[[:space:]]*=[[:space:]]*//p' "$CONF" 2>/dev/null)
if [ -z "$SECRET" ] && [ -w "$CONF" ]; then
	SECRET=$(openssl rand -hex 32)
	sed -i "s/^age_verification_secret[[:space:]]*=.*/age_verification_secret = $SECRET/" "$CONF"
	grep -q '^age_verification_secret = ' "$CONF" || printf 'age_verification_secret = %s\n' "$SECRET" >>"$CONF"
	if ! { stack_app_stop && stack_app_start && stack_wait_healthy 20; }; then
		t_fail "app restarted with an age-verification secret"
	fi
fi
# sign BODY [T]: the Marquee-Signature header value.
sign() {
	local t=${2:-$(date +%s)}
	printf 't=%s,v1=%s' "$t" "$(printf '%s.%s' "$t" "$1" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)"
}
hook() { req "$1" - -H 'Content-Type: application/json' -H "Marquee-Signature: $3" --data "$2" "$URL/webhooks/age-verification"; }
if [ -z "$SECRET" ]; then
	t_skip "age-verification callback" "no age_verification_secret and no local stack config to set one"
else
	V_EMAIL="verify.$N@example.com"
	: >"$S/v.jar"
	signup_login "$S/v.jar" "$V_EMAIL" "verify$N" "verify password $N" >/dev/null
	V_ID=$(sql "SELECT id FROM users WHERE email = '$V_EMAIL'")
	EV="evt-$N"
	BODY="{\"event_id\":\"$EV\",\"user_id\":\"$V_ID\",\"result\":\"approved\",\"method\":\"id_document\",\"document_number\":\"P1234567$N\",\"date_of_birth\":\"1990-01-01\"}"
	t_eq "forged signature is refused" "$(hook wf "$BODY" "t=$(date +%s),v1=$(printf '%064d' 0)")" 401
	t_eq "signature with another secret is refused" \
		"$(hook wf2 "$BODY" "$(SECRET=not-the-secret-not-the-secret-xx sign "$BODY")")" 401
	t_eq "stale timestamp is refused" "$(hook ws "$BODY" "$(sign "$BODY" $(($(date +%s) - 3600)))")" 401
	t_eq "a timestamp 1 h in the future is refused" "$(hook wf "$BODY" "$(sign "$BODY" $(($(date +%s) + 3600)))")" 401
	t_eq "missing signature is refused" "$(req wn - -H 'Content-Type: application/json' --data "$BODY" "$URL/webhooks/age-verification")" 401
	t_eq "... and nothing was marked" "$(sql "SELECT age_verified FROM users WHERE id = '$V_ID'")" f
	t_eq "an unknown method is refused" \
		"$(B2=${BODY/id_document/passport_scan}; hook wm "$B2" "$(sign "$B2")")" 400
	t_eq "valid callback is accepted" "$(hook wv "$BODY" "$(sign "$BODY")")" 200
	t_match "... as new" "$(body wv)" '"processed"'
	t_eq "... the member is verified, with the method" \
		"$(sql "SELECT age_verified || ' ' || age_verification_method || ' ' || (age_verified_at IS NOT NULL) FROM users WHERE id = '$V_ID'")" "true id_document true"
	t_eq "replayed event id is idempotent" "$(hook wr "$BODY" "$(sign "$BODY")")" 200
	t_match "... and reported as a duplicate" "$(body wr)" '"duplicate"'
	t_eq "... stored once" "$(sql "SELECT count(*) FROM age_verification_events WHERE vendor_event_id = '$EV'")" 1
	t_eq "no identity data is stored" "$(sql "SELECT count(*) FROM age_verification_events e, users u
		WHERE u.id = '$V_ID' AND (row_to_json(e)::text LIKE '%P1234567%' OR row_to_json(u)::text LIKE '%P1234567%'
		OR row_to_json(e)::text LIKE '%1990-01-01%')")" 0
	if [ -n "$VIDEO" ]; then
		req jvv "$S/v.jar" -H 'X-Geo-Country: XV' "$URL/videos/$VIDEO" >/dev/null
		t_ok "verified member in a verify jurisdiction sees the real page" sh -c "! grep -q 'restricted-notice' '$S/jvv.b'"
	fi
fi

# ------------------------------------------------------------------ delete account

D=$S/d.jar
: >"$D"
D_EMAIL="delete.$N@example.com"
signup_login "$D" "$D_EMAIL" "delete$N" "delete password $N" >/dev/null
D_ID=$(sql "SELECT id FROM users WHERE email = '$D_EMAIL'")
sql "INSERT INTO user_watch_history (user_id, video_id, watch_position_seconds)
	SELECT '$D_ID', id, 42 FROM videos ORDER BY id LIMIT 2;
	INSERT INTO subscriptions (user_id, plan_name, billing_amount, status, started_at, current_period_start,
	current_period_end, payment_method_token, last_4_digits)
	VALUES ('$D_ID', 'monthly', 9.99, 'active', now(), now(), now() + interval '30 days', 'tok_x', '4242')" >/dev/null
# A second subscription the processor knows (the simulator's sale webhook makes it).
PAYSIM=${MARQUEE_PAYSIM_URL:-}
D_SUB=$(curl -s --max-time 30 -X POST "$PAYSIM/admin/subscribe?member=$D_ID" | sed -n 's/.*"sub": "\([^"]*\)".*/\1/p')
t_eq "... (setup) a subscription from the processor" \
	"$(sql "SELECT status FROM subscriptions WHERE processor_subscription_id = '${D_SUB:-none}'")" active
req dacc "$D" "$URL/account" >/dev/null
t_eq "delete without the confirmation box is refused" "$(post del0 "$D" /account/delete "csrf=$(csrf dacc)" "password=$(enc "delete password $N")")" 422
t_eq "delete with a wrong password is refused" "$(post del1 "$D" /account/delete "csrf=$(csrf dacc)" "password=wrong-password" "confirm=1")" 422
t_eq "delete account" "$(post del2 "$D" /account/delete "csrf=$(csrf dacc)" "password=$(enc "delete password $N")" "confirm=1")" 200
t_match "... says so" "$(body del2)" 'Your account has been deleted'
t_eq "... no account has the e-mail any more" "$(sql "SELECT count(*) FROM users WHERE email = '$D_EMAIL' OR username = 'delete$N'")" 0
t_eq "... the row keeps nothing personal" "$(sql "SELECT (email LIKE 'deleted-%@deleted.invalid') || ' ' || (username IS NULL) || ' ' || password_hash || ' ' || (deleted_at IS NOT NULL) FROM users WHERE id = '$D_ID'")" "true true ! true"
t_eq "... history removed" "$(sql "SELECT count(*) FROM user_watch_history WHERE user_id = '$D_ID'")" 0
t_eq "... subscriptions canceled, payment details gone" "$(sql "SELECT string_agg(status || ' ' || coalesce(last_4_digits, '-') || ' ' || coalesce(payment_method_token, '-') || ' ' || canceled_reason, ',') FROM subscriptions WHERE user_id = '$D_ID'")" "canceled - - account deleted,canceled - - account deleted"
t_eq "... the processor's subscription (only) gets a cancel request, in the same statement" \
	"$(sql "SELECT count(*) || ' ' || min(processor_subscription_id) || ' ' || min(reason) || ' ' || bool_and(sent_at IS NULL) FROM billing_outbox WHERE subscription_id IN (SELECT id FROM subscriptions WHERE user_id = '$D_ID')")" \
	"1 $D_SUB account deleted true"
D_OB=$(sql "SELECT id FROM billing_outbox WHERE processor_subscription_id = '$D_SUB'")
t_eq "... the request outlives the account's rows (no cascade)" \
	"$(printf "BEGIN; DELETE FROM users WHERE id = '%s';\nSELECT count(*) || ' ' || bool_and(subscription_id IS NULL) FROM billing_outbox WHERE id = %s;\nROLLBACK;\n" "$D_ID" "${D_OB:-0}" | psql "$DB" -XAtq -v ON_ERROR_STOP=1 2>&1)" "1 true"
out=$(MARQUEE_CONFIG=$MARQUEE_VAR/marquee.conf MARQUEE_DATABASE_URL=$DB "$MARQUEE_BIN/marqueectl" billing-send 2>&1)
t_match "... billing-send delivers it" "$out" "#$D_OB cancel $D_SUB sent \(HTTP 200"
t_eq "... marked sent" "$(sql "SELECT sent_at IS NOT NULL FROM billing_outbox WHERE id = ${D_OB:-0}")" t
t_match "... the simulator canceled it, once" "$(curl -s --max-time 10 "$PAYSIM/admin/api-request?key=$D_OB")" \
	"\"sub\": \"$D_SUB\", \"status\": 200, \"received\": 1"
d_cancel() { [ "$(sql "SELECT count(*) FROM billing_events WHERE type = 'cancellation' AND payload->'subscription'->>'id' = '$D_SUB'")" = 1 ]; }
t_ok "... its cancellation webhook arrived" wait_until 20 d_cancel
t_eq "... and was stored without a member (the account is gone)" \
	"$(sql "SELECT outcome || ' ' || (user_id IS NULL) FROM billing_events WHERE type = 'cancellation' AND payload->'subscription'->>'id' = '$D_SUB'")" "no_member true"
t_eq "... sessions gone" "$(sql "SELECT count(*) FROM sessions WHERE user_id = '$D_ID'")" 0
t_eq "... logged out" "$(req dacc2 "$D" "$URL/account")" 303
req dlf "$D" "$URL/login" >/dev/null
t_eq "... cannot log in" "$(post dl "$D" /login "csrf=$(csrf dlf)" "email=$D_EMAIL" "password=$(enc "delete password $N")")" 422
sql "DELETE FROM login_attempts" >/dev/null

# ------------------------------------------------------------------ nginx limit_req on /login

# Last: it fills this address's bucket (1/s, burst 20) for ~20 s.
n429=0
for i in $(seq 1 30); do
	c=$(req flood - -X POST --data x=1 "$URL/login")
	[ "$c" = 429 ] && n429=$((n429 + 1))
done
t_ok "nginx limits POST /login per address (got $n429 429s of 30)" test "$n429" -gt 0
t_ok "... nginx's 429 carries no Retry-After from the app" test -z "$(hdr Retry-After flood)"
# Let the bucket refill (1/s up to 20) so the scripts after this one can log in.
sleep 22
