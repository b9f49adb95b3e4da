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
# account page.  The member's cancellation reaches the processor through
# billing_outbox and `marqueectl billing-send` (its cancel API, signed,
# idempotent), including while the simulator is down and after it is back;
# forged calls to that API are refused by the simulator.
#
# Environment: MARQUEE_TEST_URL, MARQUEE_DATABASE_URL, MARQUEE_PAYSIM_URL
# (tests/lib/stack.sh derives it: deploy/local runs the simulator on PORT+1000),
# MARQUEE_VAR (the stack: marquee.conf, paysim.env), MARQUEE_BIN (marqueectl).

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
# send: marqueectl billing-send as the owner role, with the stack's
# marquee.conf (processor_api_url, processor_secret); prints its output.
send() {
	MARQUEE_CONFIG=$MARQUEE_VAR/marquee.conf MARQUEE_DATABASE_URL=$DB \
		"$MARQUEE_BIN/marqueectl" billing-send "$@" 2>&1
}
# apireq KEY: what the simulator's API did with Idempotency-Key KEY.
apireq() { curl -s --max-time 10 "$PAYSIM/admin/api-request?key=$1"; }
# cancellations SUB: cancellation webhooks stored for processor subscription SUB.
cancellations() {
	q "SELECT count(*) FROM billing_events WHERE type = 'cancellation'
	   AND payload->'subscription'->>'id' = '$1'"
}
has_cancellation() { [ "$(cancellations "$1")" -ge 1 ]; }
# sim_sub SUB: "status" of SUB in the simulator's own records.
sim_sub() {
	curl -s --max-time 10 "$PAYSIM/admin/subs?member=$USER_ID" |
		grep -o "\"id\": \"$1\"[^}]*" | sed -n 's/.*"status": "\([a-z_]*\)".*/\1/p'
}

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

# ---------------------------------------------------------------- the processor is told (outbox)
ob() { q "SELECT $1 FROM billing_outbox WHERE processor_subscription_id = '$SUB'"; }
t_eq "cancel: one cancel request queued with it" \
	"$(ob "count(*), min(kind), min(reason), bool_and(sent_at IS NULL), min(attempts)")" "1|cancel|member|t|0"
OB=$(ob id)
t_eq "before billing-send: the simulator still has it active" "$(sim_sub "$SUB")" active
out=$(send)
rc=$?
t_eq "billing-send: exit 0" "$rc" 0
t_match "billing-send: logs the row as sent" "$out" "#$OB cancel $SUB sent \(HTTP 200, attempt 1\)"
t_match "billing-send: summary line" "$out" '^billing-send: [1-9][0-9]* sent, 0 failed'
t_eq "outbox: row sent after one attempt, no error" "$(ob "sent_at IS NOT NULL, attempts, last_error IS NULL")" "t|1|t"
r=$(apireq "$OB")
t_eq "simulator: got the cancel once, under Idempotency-Key = outbox id, answered 200" \
	"$(jfield sub <<<"$r"),$(jfield received <<<"$r"),$(jfield status <<<"$r")" "$SUB,1,200"
t_eq "simulator: the subscription is canceled there" "$(sim_sub "$SUB")" canceled
t_ok "the simulator's cancellation webhook arrived" wait_until 20 has_cancellation "$SUB"
t_eq "cancellation webhook: applied once" \
	"$(q "SELECT count(*), min(outcome) FROM billing_events WHERE type = 'cancellation'
	      AND payload->'subscription'->>'id' = '$SUB'")" "1|applied"
t_eq "processor's cancellation confirms: canceled_at kept, entitled" \
	"$(q "SELECT status, canceled_at = '$canceled_at' FROM subscriptions WHERE user_id = '$USER_ID'"),$(entitled)" "canceled|t,t"
out=$(send)
rc=$?
t_eq "second billing-send: exit 0, the row is not sent again" "$rc,$(grep -c "#$OB " <<<"$out")" "0,0"
t_eq "second billing-send: the simulator got nothing more" "$(jfield received <<<"$(apireq "$OB")")" 1

# A sender that died after the processor answered but before its COMMIT
# leaves the row pending: it is sent again under the same key, and the
# processor carries it out once.
q "UPDATE billing_outbox SET sent_at = NULL WHERE id = $OB" >/dev/null
out=$(send)
t_match "redelivery: the row is sent again" "$out" "#$OB cancel $SUB sent \(HTTP 200, attempt 2\)"
r=$(apireq "$OB")
t_eq "redelivery: the simulator saw the key twice, same answer" \
	"$(jfield received <<<"$r"),$(jfield status <<<"$r")" "2,200"
sleep 1 # a second webhook, if one were sent, would have arrived by now
t_eq "redelivery: carried out once (no second cancellation webhook)" "$(cancellations "$SUB")" 1


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

# ---------------------------------------------------------------- the processor's API refuses forgeries
r=$(admin subscribe "member=$USER_ID")
SUBB=$(jfield sub <<<"$r")
t_eq "second subscription (simulator's admin): sale webhook 200" "$(jfield status <<<"$r")" 200
t_eq "second subscription: active here" \
	"$(q "SELECT status FROM subscriptions WHERE processor_subscription_id = '$SUBB'")" active
SECRET=$(. "$MARQUEE_VAR/paysim.env" && printf '%s' "$PAYSIM_PROCESSOR_SECRET")
# sig SECRET T BODY: a Marquee-Signature value.
sig() {
	printf 't=%s,v1=%s' "$2" "$(printf '%s.%s' "$2" "$3" | openssl dgst -sha256 -hmac "$1" -r | cut -d' ' -f1)"
}
# api KEY SIGNATURE BODY: POST to the simulator's cancel API ("" leaves a header out); the status.
api() {
	local h=()
	[ -n "$1" ] && h+=(-H "Idempotency-Key: $1")
	[ -n "$2" ] && h+=(-H "Marquee-Signature: $2")
	curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${h[@]}" -H 'Content-Type: application/json' \
		--data-binary "$3" "$PAYSIM/api/subscriptions/cancel"
}
now=$(date +%s)
fbody="{\"subscription\":\"$SUBB\",\"reason\":\"member\",\"requested_at\":$now}"
t_eq "processor API: right signature, no Idempotency-Key -> 400 (the test's signer is right)" \
	"$(api "" "$(sig "$SECRET" "$now" "$fbody")" "$fbody")" 400
t_eq "processor API: forged signature -> 401" \
	"$(api "forged-$RUN" "$(sig not-the-secret-not-the-secret-not-the "$now" "$fbody")" "$fbody")" 401
t_eq "processor API: unsigned -> 401" "$(api "unsigned-$RUN" "" "$fbody")" 401
t_eq "processor API: right secret, 1 h old -> 401" \
	"$(api "stale-$RUN" "$(sig "$SECRET" $((now - 3600)) "$fbody")" "$fbody")" 401
t_eq "processor API: signature of another body -> 401" \
	"$(api "swapped-$RUN" "$(sig "$SECRET" "$now" '{}')" "$fbody")" 401
t_eq "processor API: refused requests did nothing" \
	"$(http_status "$PAYSIM/admin/api-request?key=forged-$RUN"),$(sim_sub "$SUBB"),$(cancellations "$SUBB")" "404,active,0"

# ---------------------------------------------------------------- processor down, then back
c -o "$TMP/account" "$URL/account"
t_eq "cancel the second subscription: 303" \
	"$(c -o /dev/null -w '%{http_code}' "${ORIGIN[@]}" --data-urlencode "csrf=$(csrf_of "$TMP/account")" \
		"$URL/account/subscription/cancel")" 303
OB2=$(q "SELECT id FROM billing_outbox WHERE processor_subscription_id = '$SUBB'")
t_match "second cancel queued" "$OB2" '^[0-9]+$'
row2() { q "SELECT sent_at IS NOT NULL, attempts FROM billing_outbox WHERE id = ${OB2:-0}"; }
if stack_paysim_stop; then
	out=$(send)
	rc=$?
	t_eq "processor down: billing-send exits 1" "$rc" 1
	t_match "processor down: logs the failure and when it retries" "$out" \
		"#$OB2 cancel $SUBB failed \(attempt 1\): .*; retry in 60 s, at [0-9-]+T[0-9:]+Z"
	t_eq "processor down: pending, attempts 1, next try in a minute, error kept" \
		"$(q "SELECT sent_at IS NULL, attempts, next_attempt_at > now() + interval '50 seconds',
		      next_attempt_at <= now() + interval '61 seconds', last_error <> ''
		      FROM billing_outbox WHERE id = ${OB2:-0}")" "t|1|t|t|t"
	send >/dev/null
	t_eq "processor down, retry not due yet: not tried again" "$(row2)" "f|1"
	stack_paysim_start || t_fail "processor back: simulator restarted" "deploy/local paysim-start failed"
	out=$(send)
	rc=$?
	t_eq "processor back, retry not due yet: still pending (exit 0)" "$rc,$(row2)" "0,f|1"
	q "UPDATE billing_outbox SET next_attempt_at = now() WHERE id = ${OB2:-0}" >/dev/null
	out=$(send)
	rc=$?
	t_eq "processor back, retry due: sent (exit 0, attempt 2)" "$rc,$(row2)" "0,t|2"
	t_match "processor back: logged as sent" "$out" "#$OB2 cancel $SUBB sent \(HTTP 200, attempt 2\)"
	r=$(apireq "$OB2")
	t_eq "processor back: the simulator carried it out once" \
		"$(jfield received <<<"$r"),$(jfield status <<<"$r"),$(sim_sub "$SUBB")" "1,200,canceled"
	t_ok "processor back: its cancellation webhook arrived" wait_until 20 has_cancellation "$SUBB"
else
	t_fail "processor down: simulator stopped" "deploy/local paysim-stop failed"
	stack_paysim_start
fi
out=$(MARQUEE_CONFIG=$MARQUEE_VAR/marquee.conf MARQUEE_DATABASE_URL=$DB "$MARQUEE_BIN/marqueectl" maintain 2>&1)
rc=$?
t_eq "maintain: exit 0 and runs billing-send" "$rc,$(grep -c '^billing-send: .* sent, 0 failed' <<<"$out")" "0,1"
# The second subscription ends here: the member is entitled by nothing again.
admin expire "sub=$SUBB" >/dev/null

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
