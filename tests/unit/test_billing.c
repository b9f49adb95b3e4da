/*
 * test_billing.c - the subscriptions state machine: every event from every
 * state, out-of-order and stale events, and the event parser's checks; the
 * outbox's retry schedule and cancel request body.
 */
#include "t.h"

#include "billing.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400LL
#define T0 1760000000LL   /* the "current" period starts here */

static struct billing_sub
sub(enum billing_status st)
{
	struct billing_sub s = {st, T0, T0 + 30 * DAY, 0, T0 + 10};
	if (st == BILLING_CANCELED)
		s.canceled_at = T0 + 5;
	return s;
}

static struct billing_event
event(enum billing_event_type type, long long at)
{
	struct billing_event e = {0};
	e.id = "evt_1";
	e.type = type;
	e.type_name = billing_event_names[type];
	e.occurred_at = at;
	e.sub_id = "sub_1";
	e.plan = "monthly";
	e.period_start = T0;
	e.period_end = T0 + 30 * DAY;
	if (type == BILLING_EV_RENEWAL) {
		e.period_start = T0 + 30 * DAY;
		e.period_end = T0 + 60 * DAY;
	}
	return e;
}

/* The status reached from each state by each (newer) event. */
static void
test_transitions(void)
{
	static const enum billing_status want[BILLING_STATUS__MAX][BILLING_EV_UNKNOWN] = {
		[BILLING_NONE] = {
			[BILLING_EV_SALE] = BILLING_ACTIVE, [BILLING_EV_RENEWAL] = BILLING_ACTIVE,
			[BILLING_EV_RENEWAL_FAILURE] = BILLING_PAST_DUE,
			[BILLING_EV_CANCELLATION] = BILLING_CANCELED, [BILLING_EV_EXPIRY] = BILLING_EXPIRED,
			[BILLING_EV_REFUND] = BILLING_EXPIRED, [BILLING_EV_CHARGEBACK] = BILLING_EXPIRED,
		},
		[BILLING_ACTIVE] = {
			[BILLING_EV_SALE] = BILLING_ACTIVE, [BILLING_EV_RENEWAL] = BILLING_ACTIVE,
			[BILLING_EV_RENEWAL_FAILURE] = BILLING_PAST_DUE,
			[BILLING_EV_CANCELLATION] = BILLING_CANCELED, [BILLING_EV_EXPIRY] = BILLING_EXPIRED,
			[BILLING_EV_REFUND] = BILLING_EXPIRED, [BILLING_EV_CHARGEBACK] = BILLING_EXPIRED,
		},
		[BILLING_PAST_DUE] = {
			[BILLING_EV_SALE] = BILLING_ACTIVE, [BILLING_EV_RENEWAL] = BILLING_ACTIVE,
			[BILLING_EV_RENEWAL_FAILURE] = BILLING_PAST_DUE,
			[BILLING_EV_CANCELLATION] = BILLING_CANCELED, [BILLING_EV_EXPIRY] = BILLING_EXPIRED,
			[BILLING_EV_REFUND] = BILLING_EXPIRED, [BILLING_EV_CHARGEBACK] = BILLING_EXPIRED,
		},
		[BILLING_CANCELED] = {
			[BILLING_EV_SALE] = BILLING_CANCELED, [BILLING_EV_RENEWAL] = BILLING_CANCELED,
			[BILLING_EV_RENEWAL_FAILURE] = BILLING_CANCELED,
			[BILLING_EV_CANCELLATION] = BILLING_CANCELED, [BILLING_EV_EXPIRY] = BILLING_EXPIRED,
			[BILLING_EV_REFUND] = BILLING_EXPIRED, [BILLING_EV_CHARGEBACK] = BILLING_EXPIRED,
		},
		[BILLING_EXPIRED] = {
			[BILLING_EV_SALE] = BILLING_EXPIRED, [BILLING_EV_RENEWAL] = BILLING_EXPIRED,
			[BILLING_EV_RENEWAL_FAILURE] = BILLING_EXPIRED,
			[BILLING_EV_CANCELLATION] = BILLING_EXPIRED, [BILLING_EV_EXPIRY] = BILLING_EXPIRED,
			[BILLING_EV_REFUND] = BILLING_EXPIRED, [BILLING_EV_CHARGEBACK] = BILLING_EXPIRED,
		},
	};
	char name[128];

	for (int s = 0; s < BILLING_STATUS__MAX; s++)
		for (int e = 0; e < BILLING_EV_UNKNOWN; e++) {
			struct billing_sub cur = sub((enum billing_status)s), out;
			struct billing_event ev = event((enum billing_event_type)e, T0 + 20);
			enum billing_outcome oc = billing_apply(&cur, &ev, &out);
			snprintf(name, sizeof name, "%s + %s -> %s", billing_status_names[s],
			    billing_event_names[e], billing_status_names[want[s][e]]);
			T_CHECK(name, out.status == want[s][e]);
			snprintf(name, sizeof name, "%s + %s: outcome", billing_status_names[s],
			    billing_event_names[e]);
			if (s == BILLING_EXPIRED && e != BILLING_EV_REFUND && e != BILLING_EV_CHARGEBACK)
				T_CHECK(name, oc == BILLING_TERMINAL);
			else
				T_CHECK(name, oc == BILLING_APPLIED);
		}
}

static void
test_periods(void)
{
	struct billing_sub cur = sub(BILLING_ACTIVE), out;
	struct billing_event ev = event(BILLING_EV_RENEWAL, T0 + 30 * DAY);

	billing_apply(&cur, &ev, &out);
	T_CHECK("renewal: period moves forward", out.period_start == T0 + 30 * DAY &&
	    out.period_end == T0 + 60 * DAY);
	T_CHECK("renewal: last_event_at advances", out.last_event_at == T0 + 30 * DAY);

	/* a newer renewal carrying an older period does not shorten it */
	cur = out;
	ev = event(BILLING_EV_SALE, T0 + 31 * DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("period never shrinks", out.period_end == T0 + 60 * DAY);

	cur = sub(BILLING_CANCELED);
	ev = event(BILLING_EV_RENEWAL, T0 + 20);
	billing_apply(&cur, &ev, &out);
	T_CHECK("canceled + renewal: paid period extended", out.period_end == T0 + 60 * DAY);
	T_CHECK("canceled + renewal: canceled_at kept", out.canceled_at == T0 + 5);

	cur = sub(BILLING_ACTIVE);
	ev = event(BILLING_EV_CANCELLATION, T0 + 20);
	billing_apply(&cur, &ev, &out);
	T_CHECK("cancellation: canceled_at = event time", out.canceled_at == T0 + 20);
	T_CHECK("cancellation: access until period end", out.period_end == T0 + 30 * DAY);

	cur = sub(BILLING_CANCELED);
	billing_apply(&cur, &ev, &out);
	T_CHECK("cancellation confirming a member's cancel keeps its time", out.canceled_at == T0 + 5);

	cur = sub(BILLING_ACTIVE);
	ev = event(BILLING_EV_REFUND, T0 + 2 * DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("refund: period ends at the refund", out.period_end == T0 + 2 * DAY);
	ev = event(BILLING_EV_CHARGEBACK, T0 + 3 * DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("chargeback: period ends at the chargeback", out.period_end == T0 + 3 * DAY);

	ev = event(BILLING_EV_EXPIRY, T0 + 2 * DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("expiry: period kept (status decides)", out.period_end == T0 + 30 * DAY);

	/* refund before the period started: end clamps to start (CHECK end >= start) */
	ev = event(BILLING_EV_REFUND, T0 - DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("refund before period start clamps", out.period_end == T0 &&
	    out.status == BILLING_EXPIRED);

	memset(&cur, 0, sizeof cur);
	ev = event(BILLING_EV_REFUND, T0 + DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("first event refund: expired, period ends at it", out.status == BILLING_EXPIRED &&
	    out.period_end == T0 + DAY && out.period_start == T0);
	ev = event(BILLING_EV_CANCELLATION, T0 + DAY);
	billing_apply(&cur, &ev, &out);
	T_CHECK("first event cancellation: canceled_at set", out.canceled_at == T0 + DAY);
}

static void
test_order(void)
{
	struct billing_sub cur, out;
	struct billing_event ev;

	/* expiry then a late renewal with an older timestamp: stays expired */
	cur = sub(BILLING_EXPIRED);
	cur.last_event_at = T0 + 100;
	ev = event(BILLING_EV_RENEWAL, T0 + 50);
	T_CHECK("late renewal after expiry: terminal", billing_apply(&cur, &ev, &out) == BILLING_TERMINAL);
	T_CHECK("late renewal after expiry: still expired", out.status == BILLING_EXPIRED &&
	    out.period_end == cur.period_end);

	/* cancellation then an older renewal_failure: stale */
	cur = sub(BILLING_CANCELED);
	cur.last_event_at = T0 + 100;
	ev = event(BILLING_EV_RENEWAL_FAILURE, T0 + 50);
	T_CHECK("older failure after cancel: stale", billing_apply(&cur, &ev, &out) == BILLING_STALE);
	T_CHECK("stale: state unchanged", memcmp(&cur, &out, sizeof cur) == 0);

	/* past_due, then an older renewal (retry that crossed): stale */
	cur = sub(BILLING_PAST_DUE);
	cur.last_event_at = T0 + 100;
	ev = event(BILLING_EV_RENEWAL, T0 + 99);
	T_CHECK("older renewal: stale", billing_apply(&cur, &ev, &out) == BILLING_STALE &&
	    out.status == BILLING_PAST_DUE);

	/* equal timestamps apply (seconds resolution: arrival order decides) */
	ev = event(BILLING_EV_RENEWAL, T0 + 100);
	T_CHECK("same-second event applies", billing_apply(&cur, &ev, &out) == BILLING_APPLIED &&
	    out.status == BILLING_ACTIVE);

	/* an older expiry after a newer renewal: stale, stays active */
	cur = sub(BILLING_ACTIVE);
	cur.last_event_at = T0 + 100;
	ev = event(BILLING_EV_EXPIRY, T0 + 50);
	T_CHECK("older expiry after renewal: stale", billing_apply(&cur, &ev, &out) == BILLING_STALE &&
	    out.status == BILLING_ACTIVE);

	/* refund revokes even when older than the newest event */
	ev = event(BILLING_EV_REFUND, T0 + 50);
	T_CHECK("older refund still revokes", billing_apply(&cur, &ev, &out) == BILLING_APPLIED &&
	    out.status == BILLING_EXPIRED && out.period_end == T0 + 50);
	T_CHECK("older refund keeps last_event_at", out.last_event_at == T0 + 100);

	/* refund after expiry shortens the period */
	cur = sub(BILLING_EXPIRED);
	ev = event(BILLING_EV_CHARGEBACK, T0 + 60);
	T_CHECK("chargeback after expiry: applied", billing_apply(&cur, &ev, &out) == BILLING_APPLIED &&
	    out.period_end == T0 + 60 && out.status == BILLING_EXPIRED);

	ev = event(BILLING_EV_UNKNOWN, T0 + 200);
	cur = sub(BILLING_ACTIVE);
	T_CHECK("unknown type ignored", billing_apply(&cur, &ev, &out) == BILLING_IGNORED &&
	    memcmp(&cur, &out, sizeof cur) == 0);
}

static int
parse(const char *text, const char **why)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	struct billing_event ev;
	int rc;
	*why = NULL;
	if (j == NULL)
		return -2;
	rc = billing_event_parse(j, &ev, why);
	json_decref(j);
	return rc < 0 && *why == NULL ? -3 : rc;
}

#define SUB(extra) "{\"id\":\"sub_1\",\"member\":\"6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c\"," \
	"\"plan\":\"monthly\",\"amount\":\"19.99\",\"currency\":\"USD\"," \
	"\"period_start\":1760000000,\"period_end\":1762592000" extra "}"

static void
test_parse(void)
{
	const char *why;
	json_t *j;
	struct billing_event ev;

	j = json_loads("{\"id\":\"evt_1\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":"
	    SUB(",\"payment_token\":\"tok_x\",\"last4\":\"4242\",\"reference\":\"r1\"") "}", 0, NULL);
	T_CHECK("parse: sale", j && billing_event_parse(j, &ev, &why) == 0);
	T_CHECK("parse: fields", ev.type == BILLING_EV_SALE && strcmp(ev.sub_id, "sub_1") == 0 &&
	    strcmp(ev.last4, "4242") == 0 && ev.period_end == 1762592000 &&
	    strcmp(ev.reference, "r1") == 0);
	json_decref(j);

	T_CHECK("parse: unknown type needs no subscription",
	    parse("{\"id\":\"e\",\"type\":\"invoice.created\",\"created\":1760000000}", &why) == 0);
	T_CHECK("parse: SQL metacharacters in ids are fine", parse("{\"id\":\"e'; DROP TABLE x;--\","
	    "\"type\":\"sale\",\"created\":1760000000,\"subscription\":" SUB("") "}", &why) == 0);

	static const char *const bad[] = {
		"[]",
		"{\"type\":\"sale\",\"created\":1760000000}",
		"{\"id\":\"\",\"type\":\"sale\",\"created\":1760000000}",
		"{\"id\":\"e\\n\",\"type\":\"sale\",\"created\":1760000000}",
		"{\"id\":\"e\",\"type\":\"Sale\",\"created\":1760000000}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":\"1760000000\"}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":{}}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":" SUB(",\"last4\":\"42a2\"") "}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":" SUB(",\"last4\":\"42424\"") "}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":"
		    "{\"id\":\"s\",\"member\":\"x\",\"plan\":\"monthly\",\"amount\":\"1.00\",\"currency\":\"USD\","
		    "\"period_start\":1760000000,\"period_end\":1760000001}}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":"
		    "{\"id\":\"s\",\"member\":\"6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c\",\"plan\":\"weekly\","
		    "\"amount\":\"1.00\",\"currency\":\"USD\",\"period_start\":1760000000,\"period_end\":1760000001}}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":"
		    "{\"id\":\"s\",\"member\":\"6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c\",\"plan\":\"monthly\","
		    "\"amount\":\"1.0\",\"currency\":\"USD\",\"period_start\":1760000000,\"period_end\":1760000001}}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":"
		    "{\"id\":\"s\",\"member\":\"6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c\",\"plan\":\"monthly\","
		    "\"amount\":\"1.00\",\"currency\":\"usd\",\"period_start\":1760000000,\"period_end\":1760000001}}",
		"{\"id\":\"e\",\"type\":\"sale\",\"created\":1760000000,\"subscription\":"
		    "{\"id\":\"s\",\"member\":\"6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c\",\"plan\":\"monthly\","
		    "\"amount\":\"1.00\",\"currency\":\"USD\",\"period_start\":1760000002,\"period_end\":1760000001}}",
	};
	char name[64];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(name, sizeof name, "parse: bad #%zu refused with a reason", i);
		T_CHECK(name, parse(bad[i], &why) == -1);
	}
	{
		char id[300], text[600];
		memset(id, 'a', 255);
		id[255] = '\0';
		snprintf(text, sizeof text, "{\"id\":\"%s\",\"type\":\"x\",\"created\":1760000000}", id);
		T_CHECK("parse: 255-char id ok", parse(text, &why) == 0);
		memset(id, 'a', 256);
		id[256] = '\0';
		snprintf(text, sizeof text, "{\"id\":\"%s\",\"type\":\"x\",\"created\":1760000000}", id);
		T_CHECK("parse: 256-char id refused", parse(text, &why) == -1);
	}
	T_CHECK("status parse", billing_status_parse("past_due") == BILLING_PAST_DUE &&
	    billing_status_parse("bogus") == BILLING_NONE && billing_status_parse(NULL) == BILLING_NONE);
	T_CHECK("cycle", strcmp(billing_cycle("annual"), "yearly") == 0 && billing_cycle("x") == NULL);
}

static void
test_checkout_url(void)
{
	struct buf b = BUF_INIT;
	billing_checkout_url(&b, "http://127.0.0.1:9000", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", 1760000000,
	    "monthly", "19.99", "USD", "6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c", "r 1",
	    "http://127.0.0.1:8080/account");
	/* signature checked against Python's hmac over the same query string */
	T_STREQ("checkout url", b.data, "http://127.0.0.1:9000/pay?plan=monthly&amount=19.99&currency=USD"
	    "&member=6f1c2a5e-0b7d-4c1e-9a55-2d3e4f5a6b7c&reference=r%201"
	    "&return_url=http%3A%2F%2F127.0.0.1%3A8080%2Faccount"
	    "&signature=t%3D1760000000%2Cv1%3Dbacd633a5ef60d835fb4df0e4bc21831fe17bd1b666afd11f740da3df7a2b6a7");
	buf_free(&b);
}

/* The outbox's retry schedule at its boundaries: first try, doubling, the cap. */
static void
test_retry_delay(void)
{
	T_CHECK("retry: after the 1st failure, 1 minute", billing_retry_delay(1) == 60);
	T_CHECK("retry: after the 2nd, 2 minutes", billing_retry_delay(2) == 120);
	T_CHECK("retry: after the 3rd, 4 minutes", billing_retry_delay(3) == 240);
	T_CHECK("retry: 9th, 15360 s (last below the cap)", billing_retry_delay(9) == 15360);
	T_CHECK("retry: 10th, capped at 6 h", billing_retry_delay(10) == BILLING_RETRY_MAX);
	T_CHECK("retry: cap is 6 h", BILLING_RETRY_MAX == 21600);
	T_CHECK("retry: 11th, still 6 h", billing_retry_delay(11) == 21600);
	T_CHECK("retry: 64th (2^63 would overflow), 6 h", billing_retry_delay(64) == 21600);
	T_CHECK("retry: INT_MAX attempts, 6 h", billing_retry_delay(INT_MAX) == 21600);
	T_CHECK("retry: 0 counts as 1", billing_retry_delay(0) == 60);
	T_CHECK("retry: negative counts as 1", billing_retry_delay(-5) == 60);
	long prev = 0;
	int monotonic = 1;
	for (int a = 1; a <= 40; a++) {
		long d = billing_retry_delay(a);
		if (d < prev || d > BILLING_RETRY_MAX)
			monotonic = 0;
		prev = d;
	}
	T_CHECK("retry: never shrinks, never above the cap (1..40)", monotonic);
}

/* The cancel API's body: fixed bytes for a row, JSON-escaped, UTF-8 only. */
static void
test_cancel_body(void)
{
	struct buf b = BUF_INIT;
	T_CHECK("cancel body: built", billing_cancel_body(&b, "sub_1", "member", 1760000000) == 0);
	T_STREQ("cancel body: compact, fixed key order", b.data,
	    "{\"subscription\":\"sub_1\",\"reason\":\"member\",\"requested_at\":1760000000}");
	buf_reset(&b);
	billing_cancel_body(&b, "sub_\"x\\", "account deleted", 0);
	T_STREQ("cancel body: quotes and backslashes escaped", b.data,
	    "{\"subscription\":\"sub_\\\"x\\\\\",\"reason\":\"account deleted\",\"requested_at\":0}");
	buf_reset(&b);
	buf_puts(&b, "keep");
	T_CHECK("cancel body: invalid UTF-8 refused", billing_cancel_body(&b, "sub_\xff", "member", 1) == -1);
	T_STREQ("cancel body: nothing appended on refusal", b.data, "keep");
	billing_cancel_body(&b, "s", "m", 2);
	T_STREQ("cancel body: appends", b.data, "keep{\"subscription\":\"s\",\"reason\":\"m\",\"requested_at\":2}");
	buf_free(&b);
}

int
main(void)
{
	test_checkout_url();
	test_transitions();
	test_periods();
	test_order();
	test_parse();
	test_retry_delay();
	test_cancel_body();
	return t_done("test_billing");
}
