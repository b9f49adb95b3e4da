#!/usr/bin/env bash
# test_billing.sh - subscriptions through nginx with the payment simulator
# (deploy/dev/paysim.py) playing the processor (issue 6).
#
# /join lists the configured plans; POST /join sends anonymous visitors to
# sign up and members to the processor with a signed URL; the full flow
# (sign up, log in, join, the hosted form, the sale webhook) makes the
# member entitled; renewal, renewal failure, cancellation (by the member and
# by the processor), expiry, refund and chargeback drive the state machine;
# forged, unsigned, stale and replayed webhooks, out-of-order events, a
# 10 MB body and SQL metacharacters in payload fields are refused or
# stored safely.  Entitlement is read through marquee_entitled() and the
# account page.
#
# Environment: MARQUEE_TEST_URL, MARQUEE_DATABASE_URL, MARQUEE_PAYSIM_URL
# (tests/lib/stack.sh derives it: deploy/local runs the simulator on PORT+1000).

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stack.sh"

URL=${MARQUEE_TEST_URL:-}
DB=${MARQUEE_DATABASE_URL:-}
if [ -z "$URL" ] || [ -z "$DB" ]; then
	t_skip "billing: all checks" "MARQUEE_TEST_URL or MARQUEE_DATABASE_URL is not set"
	exit 0
fi
PAYSIM=${MARQUEE_PAYSIM_URL:-}
if ! curl -sf -o /dev/null --max-time 5 "$PAYSIM/healthz"; then
	t_fail "billing: payment simulator answers" "no answer from $PAYSIM (deploy/local paysim-start)"
	exit 0
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
q() { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

# A fresh member per run: e-mail and name unique, password strong enough.
RUN=$(date +%s)$$
EMAIL="bill$RUN@example.test"
USERNAME="bill$RUN"
PASSWORD="correct horse battery $RUN"
JAR=$TMP/jar
ORIGIN=(-H "Origin: $URL")

# c ARGS...: curl with the member's cookie jar and the age-gate cookie.
c() { curl -s --max-time 20 -b "$JAR" -c "$JAR" -b marquee_age=1 "$@"; }
# csrf_of FILE: the first csrf hidden input's value.
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | tail -n 1; }
# admin ACTION QUERY: a simulator admin call; prints its JSON.
admin() { curl -s --max-time 30 -X POST "$PAYSIM/admin/$1?$2"; }
# jfield KEY: a string or number member of the simulator's flat JSON answer
# (sed, not python3: its start-up costs seconds on a loaded machine).
jfield() { sed -n 's/.*"'"$1"'": "\{0,1\}\([^"\\,}]*\).*/\1/p'; }

# ---------------------------------------------------------------- /join
c -o "$TMP/join" "$URL/join"
body=$(cat "$TMP/join")
t_match "join: lists the monthly plan with price and currency" "$body" 'Monthly.*19\.99 USD|19\.99 USD'
t_match "join: lists the annual plan" "$body" '149\.99 USD'
t_eq "join: anonymous POST -> 303 to signup" \
	"$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b marquee_age=1 "${ORIGIN[@]}" \
		-d plan=monthly "$URL/join")" "303 $URL/signup?next=/join"

# ---------------------------------------------------------------- sign up, log in
c -o "$TMP/signup" "$URL/signup?next=/join"
tok=$(csrf_of "$TMP/signup")
st=$(c -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" --data-urlencode "email=$EMAIL" \
	--data-urlencode "username=$USERNAME" --data-urlencode "password=$PASSWORD" \
	--data-urlencode "csrf=$tok" --data-urlencode "next=/join" "$URL/signup")
t_eq "signup: 303" "$st" 303
c -o "$TMP/login" "$URL/login"
tok=$(csrf_of "$TMP/login")
st=$(c -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" --data-urlencode "email=$EMAIL" \
	--data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$tok" \
	--data-urlencode "next=/join" "$URL/login")
t_eq "login: 303" "$st" 303
USER_ID=$(q "SELECT id FROM users WHERE email = '$EMAIL'")
t_match "member exists" "$USER_ID" '^[0-9a-f-]{36}$'
entitled() { q "SELECT marquee_entitled('$USER_ID')"; }
t_eq "before joining: not entitled" "$(entitled)" f

# ---------------------------------------------------------------- POST /join
c -o "$TMP/join" "$URL/join"
tok=$(csrf_of "$TMP/join")
t_match "join: member gets a form with a CSRF token" "$tok" '.{20,}'
t_eq "join: POST without CSRF token -> 403" \
	"$(c -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" -d plan=monthly "$URL/join")" 403
t_eq "join: POST from another origin -> 403" \
	"$(c -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example' \
		--data-urlencode "csrf=$tok" -d plan=monthly "$URL/join")" 403
t_eq "join: unknown plan -> 400" \
	"$(c -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" --data-urlencode "csrf=$tok" \
		-d plan=lifetime "$URL/join")" 400
loc=$(c -o /dev/null -w '%{http_code} %{redirect_url}' "${ORIGIN[@]}" --data-urlencode "csrf=$tok" \
	-d plan=monthly "$URL/join")
t_match "join: 303 to the processor's hosted form" "$loc" "^303 $PAYSIM/pay\\?plan=monthly&amount=19\\.99&currency=USD&member=$USER_ID&reference=[0-9a-f]{32}&return_url=.*&signature=t%3D[0-9]+%2Cv1%3D[0-9a-f]{64}$"
PAY=${loc#303 }

# The processor checks the signature: a tampered price is refused.
t_eq "processor: valid signature shows the form" "$(http_status "$PAY")" 200
t_eq "processor: tampered amount refused" "$(http_status "${PAY/amount=19.99/amount=0.01}")" 400

# ---------------------------------------------------------------- the hosted form
curl -s --max-time 10 -o "$TMP/pay" "$PAY"
checkout=$(sed -n 's/.*name="checkout" value="\([0-9a-f]*\)".*/\1/p' "$TMP/pay")
t_eq "processor: declined card -> 402, nothing stored" \
	"$(curl -s -o /dev/null -w '%{http_code}' -d "checkout=$checkout" -d card=4000000000000002 "$PAYSIM/pay")" 402
curl -s --max-time 10 -o "$TMP/pay" "$PAY"
checkout=$(sed -n 's/.*name="checkout" value="\([0-9a-f]*\)".*/\1/p' "$TMP/pay")
res=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -d "checkout=$checkout" \
	--data-urlencode "card=4242 4242 4242 4242" "$PAYSIM/pay")
t_eq "processor: paid, back to the account page" "$res" "303 $URL/account"
row=$(q "SELECT status, plan_name, billing_cycle, billing_amount, last_4_digits,
	payment_method_token LIKE 'tok_%', next_billing_at = current_period_end
	FROM subscriptions WHERE user_id = '$USER_ID'")
t_eq "sale: subscription active with plan, price, last 4 and token" "$row" "active|monthly|monthly|19.99|4242|t|t"
t_eq "sale: entitled" "$(entitled)" t
SUB=$(q "SELECT processor_subscription_id FROM subscriptions WHERE user_id = '$USER_ID'")
t_eq "sale: one billing event stored, applied" \
	"$(q "SELECT count(*), min(outcome) FROM billing_events WHERE user_id = '$USER_ID'")" "1|applied"
c -o "$TMP/account" "$URL/account"
acct=$(cat "$TMP/account")
t_match "account page: status active" "$acct" 'data-status="active"'
t_match "account page: next billing date" "$acct" 'Next billing date'
t_match "account page: card ending 4242" "$acct" 'ending in 4242'
t_match "account page: cancel button" "$acct" 'action="/account/subscription/cancel"'
t_eq "join again while entitled -> 303 /account" \
	"$(c -o /dev/null -w '%{http_code} %{redirect_url}' "${ORIGIN[@]}" \
		--data-urlencode "csrf=$(csrf_of "$TMP/account")" -d plan=annual "$URL/join")" "303 $URL/account"

# ---------------------------------------------------------------- renewal, failure
before=$(q "SELECT current_period_end FROM subscriptions WHERE user_id = '$USER_ID'")
r=$(admin renew "sub=$SUB")
t_eq "renewal: webhook 200" "$(jfield status <<<"$r")" 200
t_eq "renewal: the period moves to the next one" \
	"$(q "SELECT current_period_start = '$before' AND current_period_end = '$before'::timestamp + interval '30 days', status FROM subscriptions WHERE user_id = '$USER_ID'")" "t|active"
RENEW_EVENT=$(jfield event <<<"$r")

r=$(admin fail "sub=$SUB")
t_eq "renewal failure: past_due" \
	"$(q "SELECT status FROM subscriptions WHERE user_id = '$USER_ID'")" past_due
t_eq "renewal failure: not entitled" "$(entitled)" f
admin renew "sub=$SUB" >/dev/null
t_eq "renewal after failure: active again" \
	"$(q "SELECT status FROM subscriptions WHERE user_id = '$USER_ID'")" active

# ---------------------------------------------------------------- replay
n=$(q "SELECT count(*) FROM billing_events WHERE user_id = '$USER_ID'")
end=$(q "SELECT current_period_end FROM subscriptions WHERE user_id = '$USER_ID'")
r=$(admin replay "event=$RENEW_EVENT")
t_eq "replay: 200" "$(jfield status <<<"$r")" 200
t_eq "replay: answered as a duplicate" "$(jfield body <<<"$r")" duplicate
t_eq "replay: stored once, applied once" \
	"$(q "SELECT count(*) FROM billing_events WHERE user_id = '$USER_ID'"),$(q "SELECT current_period_end FROM subscriptions WHERE user_id = '$USER_ID'")" "$n,$end"

# ---------------------------------------------------------------- member cancels
c -o "$TMP/account" "$URL/account"
tok=$(csrf_of "$TMP/account")
t_eq "cancel without CSRF -> 403" \
	"$(c -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" -X POST "$URL/account/subscription/cancel")" 403
t_eq "cancel anonymous -> 403" \
	"$(curl -s -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" -b marquee_age=1 -d csrf=x "$URL/account/subscription/cancel")" 403
t_eq "cancel: 303 back to the account" \
	"$(c -o /dev/null -w '%{http_code} %{redirect_url}' "${ORIGIN[@]}" --data-urlencode "csrf=$tok" \
		"$URL/account/subscription/cancel")" "303 $URL/account"
t_eq "cancel: canceled, canceled_at set, no next billing" \
	"$(q "SELECT status, canceled_at IS NOT NULL, next_billing_at IS NULL FROM subscriptions WHERE user_id = '$USER_ID'")" "canceled|t|t"
t_eq "cancel: still entitled until the period ends" "$(entitled)" t
c -o "$TMP/account" "$URL/account"
t_match "account page: canceled, access until the period end" "$(cat "$TMP/account")" 'You keep access until [0-9]{4}-[0-9]{2}-[0-9]{2}'
canceled_at=$(q "SELECT canceled_at FROM subscriptions WHERE user_id = '$USER_ID'")
admin cancel "sub=$SUB" >/dev/null
t_eq "processor's cancellation confirms: canceled_at kept, entitled" \
	"$(q "SELECT status, canceled_at = '$canceled_at' FROM subscriptions WHERE user_id = '$USER_ID'"),$(entitled)" "canceled|t,t"

# ---------------------------------------------------------------- expiry, out of order
admin expire "sub=$SUB" >/dev/null
t_eq "expiry: expired, not entitled" \
	"$(q "SELECT status FROM subscriptions WHERE user_id = '$USER_ID'"),$(entitled)" "expired,f"
c -o "$TMP/account" "$URL/account"
t_match "account page: expired" "$(cat "$TMP/account")" 'data-status="expired"'
r=$(admin renew "sub=$SUB&at=$(($(date +%s) - 3600))")
t_eq "late renewal (older timestamp) after expiry: 200" "$(jfield status <<<"$r")" 200
t_eq "late renewal after expiry: stays expired" \
	"$(q "SELECT status FROM subscriptions WHERE user_id = '$USER_ID'"),$(entitled)" "expired,f"
t_eq "late renewal: stored, not applied" \
	"$(q "SELECT outcome FROM billing_events WHERE processor_event_id = '$(jfield event <<<"$r")'")" terminal
admin renew "sub=$SUB" >/dev/null
t_eq "newer renewal after expiry: still expired (terminal)" "$(entitled)" f

# ---------------------------------------------------------------- refund and chargeback
# Raw events for a fresh subscription of the same member (the simulator
# signs them): sale, then refund -> access revoked at once.
now=$(($(date +%s) - 5)) # in the past: the refund's time is already over when the test reads it
ev() { # ev ID TYPE CREATED SUB_ID [LAST4]
	printf '{"id":"%s","type":"%s","created":%s,"subscription":{"id":"%s","member":"%s","reference":"r","plan":"annual","amount":"149.99","currency":"USD","period_start":%s,"period_end":%s,"payment_token":"tok_t","last4":"%s"}}' \
		"$1" "$2" "$3" "$4" "$USER_ID" "$now" $((now + 365 * 86400)) "${5:-1111}"
}
raw() { curl -s --max-time 30 -X POST --data-binary "$1" "$PAYSIM/admin/send-raw${2:+?$2}"; }
sub2="sub_refund_$RUN"
raw "$(ev "evt_s_$RUN" sale "$now" "$sub2")" >/dev/null
t_eq "second sale: entitled again" "$(entitled)" t
raw "$(ev "evt_r_$RUN" refund $((now + 1)) "$sub2")" >/dev/null
t_eq "refund: expired at once, not entitled" \
	"$(q "SELECT status, current_period_end <= now() AT TIME ZONE 'UTC' FROM subscriptions WHERE processor_subscription_id = '$sub2'"),$(entitled)" "expired|t,f"
sub3="sub_cb_$RUN"
raw "$(ev "evt_s3_$RUN" sale "$now" "$sub3")" >/dev/null
raw "$(ev "evt_cb_$RUN" chargeback $((now + 1)) "$sub3")" >/dev/null
t_eq "chargeback: expired, not entitled" \
	"$(q "SELECT status FROM subscriptions WHERE processor_subscription_id = '$sub3'"),$(entitled)" "expired,f"

# ---------------------------------------------------------------- refused webhooks
count() { q "SELECT count(*) FROM billing_events"; }
n=$(count)
sub4="sub_forged_$RUN"
r=$(raw "$(ev "evt_f_$RUN" sale "$now" "$sub4")" "secret=not-the-secret-not-the-secret-not-the")
t_eq "forged signature: 401" "$(jfield status <<<"$r")" 401
r=$(raw "$(ev "evt_u_$RUN" sale "$now" "$sub4")" "unsigned=1")
t_eq "unsigned: 401" "$(jfield status <<<"$r")" 401
r=$(raw "$(ev "evt_o_$RUN" sale "$now" "$sub4")" "t=$((now - 3600))")
t_eq "stale timestamp (1 h old): 401" "$(jfield status <<<"$r")" 401
r=$(raw "$(ev "evt_fu_$RUN" sale "$now" "$sub4")" "t=$((now + 3600))")
t_eq "timestamp 1 h in the future: 401" "$(jfield status <<<"$r")" 401
r=$(raw '{"id":"evt_bad","type":"sale","created":1}')
t_eq "signed but malformed event: 400" "$(jfield status <<<"$r")" 400
r=$(raw 'not json')
t_eq "signed non-JSON: 400" "$(jfield status <<<"$r")" 400
t_eq "refused webhooks stored nothing" "$(count),$(q "SELECT count(*) FROM subscriptions WHERE processor_subscription_id = '$sub4'")" "$n,0"
t_eq "direct forged POST (no simulator): 401" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "Marquee-Signature: t=$now,v1=$(printf '%064d' 0)" --data-binary "$(ev "evt_d_$RUN" sale "$now" "$sub4")" \
		"$URL/webhooks/billing")" 401
head -c 10485760 /dev/zero | tr '\0' a >"$TMP/big"
t_eq "10 MB webhook body: 413 from nginx" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary @"$TMP/big" "$URL/webhooks/billing")" 413
t_eq "10 MB POST /join: 413" \
	"$(curl -s -o /dev/null -w '%{http_code}' -b marquee_age=1 --data-binary @"$TMP/big" "$URL/join")" 413

# ---------------------------------------------------------------- SQL metacharacters
evil="evt_'; DROP TABLE billing_events; --\"\\\\ $RUN"
sub5="sub_'); DELETE FROM subscriptions; -- $RUN"
body=$(python3 -c 'import json,sys
print(json.dumps({"id": sys.argv[1], "type": "sale", "created": int(sys.argv[3]),
  "subscription": {"id": sys.argv[2], "member": sys.argv[4], "reference": "<script>x</script>",
  "plan": "monthly", "amount": "19.99", "currency": "USD", "period_start": int(sys.argv[3]),
  "period_end": int(sys.argv[3]) + 60, "payment_token": "tok_\u0027\"", "last4": "0000"}}))' \
	"$evil" "$sub5" "$now" "$USER_ID")
r=$(raw "$body")
t_eq "metacharacters: 200" "$(jfield status <<<"$r")" 200
# psql variables (:'e') are interpolated only in scripts read from stdin, not in -c.
got=$(psql "$DB" -X -q -A -t -v "e=$evil" -v "s=$sub5" <<'SQL'
SELECT count(*) FROM billing_events WHERE processor_event_id = :'e' AND payload->'subscription'->>'id' = :'s';
SELECT payment_method_token FROM subscriptions WHERE processor_subscription_id = :'s';
SQL
)
t_eq "metacharacters: event id and subscription id stored verbatim" "$(printf '%s' "$got" | tr '\n' '|')" "1|tok_'\""
t_ok "metacharacters: tables intact" q "SELECT 1 FROM billing_events, subscriptions LIMIT 1"
r=$(raw "$body")
t_eq "metacharacters: replay is a duplicate" "$(jfield body <<<"$r")" duplicate

# ---------------------------------------------------------------- unknown types, GET
r=$(raw "{\"id\":\"evt_unk_$RUN\",\"type\":\"invoice.created\",\"created\":$now}")
t_eq "unknown event type: 200, stored as ignored" \
	"$(jfield status <<<"$r"),$(q "SELECT outcome FROM billing_events WHERE processor_event_id = 'evt_unk_$RUN'")" "200,ignored"
t_eq "GET /webhooks/billing: 405" "$(http_status "$URL/webhooks/billing")" 405
