/*
 * billing.h - the subscriptions state machine and the payment processor's
 * event format.  Pure: no database, no I/O, no clock (times are passed in).
 *
 * States (subscriptions.status): active, past_due, canceled, expired.
 * Events (the processor's vocabulary): sale, renewal, renewal_failure,
 * cancellation, expiry, refund, chargeback.  Every event carries the whole
 * subscription as the processor sees it (id, member, plan, period, payment
 * token and last 4 digits), so an event that arrives before the sale still
 * creates a correct row.
 *
 * Ordering rules (events may arrive late, twice or out of order; replays of
 * the same event id are caught before this module by billing_events' UNIQUE
 * key):
 *  1. expired is terminal: nothing brings a subscription back (a new sale
 *     makes a new subscription with a new processor id).
 *  2. An event older than the newest applied one (occurred_at <
 *     last_event_at) is stale and changes nothing, except refund and
 *     chargeback: money returned always revokes access, whatever the order.
 *  3. The paid period only moves forward: a renewal whose period ends
 *     before the current end does not shorten it.
 *  4. canceled stays canceled (the member asked): a renewal that crossed
 *     the cancellation extends the paid period but does not reactivate;
 *     a renewal failure changes nothing (no further charge is expected).
 *  5. refund/chargeback end the period at the event time: access stops at
 *     once, not at the old period end.
 * Entitlement itself is the SQL function marquee_entitled (migration 013):
 * active or canceled with current_period_end in the future.
 */
#ifndef MARQUEE_BILLING_H
#define MARQUEE_BILLING_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

enum billing_status {
	BILLING_NONE,        /* no row yet */
	BILLING_ACTIVE,
	BILLING_PAST_DUE,
	BILLING_CANCELED,
	BILLING_EXPIRED,
	BILLING_STATUS__MAX
};

enum billing_event_type {
	BILLING_EV_SALE,
	BILLING_EV_RENEWAL,
	BILLING_EV_RENEWAL_FAILURE,
	BILLING_EV_CANCELLATION,
	BILLING_EV_EXPIRY,
	BILLING_EV_REFUND,
	BILLING_EV_CHARGEBACK,
	BILLING_EV_UNKNOWN,  /* well-formed but not ours to act on: stored, ignored */
	BILLING_EV__MAX
};

enum billing_outcome {
	BILLING_APPLIED,
	BILLING_STALE,       /* older than the newest applied event */
	BILLING_TERMINAL,    /* already expired */
	BILLING_IGNORED,     /* unknown type */
	BILLING_OUTCOME__MAX
};

/* The state of one subscription; times are unix seconds, 0 = none. */
struct billing_sub {
	enum billing_status status;
	long long period_start, period_end;
	long long canceled_at;
	long long last_event_at;
};

/* The processor's subscription object as an event carries it. */
struct billing_event {
	const char *id;               /* processor event id (1..255 printable ASCII) */
	enum billing_event_type type;
	const char *type_name;        /* as sent ([a-z][a-z0-9_.]*, <= 50) */
	long long occurred_at;        /* "created" */
	const char *sub_id;           /* subscription.id (1..255 printable ASCII) */
	const char *member;           /* subscription.member: users.id (uuid) */
	const char *reference;        /* subscription.reference: our /join nonce, may be NULL */
	const char *plan;             /* "monthly" | "annual" */
	const char *amount;           /* "19.99" */
	const char *currency;         /* "USD" */
	long long period_start, period_end;
	const char *token;            /* payment method token, may be NULL */
	const char *last4;            /* 4 digits, may be NULL */
};

/* Limits of the event fields.  Why: the columns' sizes (migration 001/007). */
#define BILLING_ID_MAX 255
#define BILLING_TYPE_MAX 50

/* Names, indexed by the enums (for SQL values and logs). */
extern const char *const billing_status_names[BILLING_STATUS__MAX];
extern const char *const billing_event_names[BILLING_EV__MAX];
extern const char *const billing_outcome_names[BILLING_OUTCOME__MAX];

/* "active" -> BILLING_ACTIVE; anything else -> BILLING_NONE. */
enum billing_status billing_status_parse(const char *s);

/*
 * Read and validate a processor event from its JSON object (root).  Strings
 * in *ev point into root (valid while root lives).  Returns 0, or -1 with
 * *why saying which field is missing or malformed.
 */
int billing_event_parse(json_t *root, struct billing_event *ev, const char **why);

/*
 * Apply ev to cur (cur->status BILLING_NONE for a subscription not seen
 * yet) following the rules above; *out is the new state (a copy of cur when
 * nothing changes).  Returns the outcome.
 */
enum billing_outcome billing_apply(const struct billing_sub *cur, const struct billing_event *ev,
    struct billing_sub *out);

/*
 * The processor's hosted-form URL for a checkout, appended to out:
 *   <processor_url>/pay?plan=P&amount=A&currency=C&member=M&reference=R
 *       &return_url=U&signature=S
 * every value percent-encoded; S is a Marquee-Signature value (webhook.h)
 * made with secret over the query string before "&signature=" at time t,
 * so the processor checks it exactly as we check its webhooks.
 */
void billing_checkout_url(struct buf *out, const char *processor_url, const char *secret,
    long long t, const char *plan, const char *amount, const char *currency, const char *member,
    const char *reference, const char *return_url);

/* Billing cycle column value of a plan: "monthly" -> "monthly", "annual" -> "yearly"; else NULL. */
const char *billing_cycle(const char *plan);

/*
 * The processor's cancel API (docs/BILLING.md, "Cancelling"): for one
 * billing_outbox row, marqueectl billing-send posts this body to
 * <processor_api_url>/api/subscriptions/cancel, signed like a webhook
 * (webhook.h) with processor_secret, Idempotency-Key = the row's id.
 * Appends to out, compact, in this key order:
 *   {"subscription":"<processor id>","reason":"<reason>","requested_at":<unix s>}
 * requested_at is the row's created_at, not the send time, so every retry
 * of a row sends the same bytes.  Returns 0, or -1 (nothing appended) when
 * sub_id or reason is not valid UTF-8.
 */
int billing_cancel_body(struct buf *out, const char *sub_id, const char *reason,
    long long requested_at);

/* Retry schedule of the outbox.  Why: a minute rides out a restart or a
 * deploy of the processor; doubling backs off from a longer outage without
 * hammering it; 6 h still retries a few times a day for as long as it takes. */
#define BILLING_RETRY_FIRST 60
#define BILLING_RETRY_MAX (6 * 3600)

/*
 * Seconds to wait before the next try of a request that has now failed
 * attempts times in a row: BILLING_RETRY_FIRST * 2^(attempts - 1), at most
 * BILLING_RETRY_MAX (60, 120, 240, ... 15360, then 21600 from the 10th
 * failure on).  attempts < 1 counts as 1.  Never overflows.
 */
long billing_retry_delay(int attempts);

#endif
