/*
 * billing.c - the subscriptions state machine and event parsing (billing.h).
 */
#include "billing.h"

#include <string.h>

#include "valid.h"
#include "webhook.h"

const char *const billing_status_names[BILLING_STATUS__MAX] = {
	[BILLING_NONE]     = "none",
	[BILLING_ACTIVE]   = "active",
	[BILLING_PAST_DUE] = "past_due",
	[BILLING_CANCELED] = "canceled",
	[BILLING_EXPIRED]  = "expired",
};

const char *const billing_event_names[BILLING_EV__MAX] = {
	[BILLING_EV_SALE]            = "sale",
	[BILLING_EV_RENEWAL]         = "renewal",
	[BILLING_EV_RENEWAL_FAILURE] = "renewal_failure",
	[BILLING_EV_CANCELLATION]    = "cancellation",
	[BILLING_EV_EXPIRY]          = "expiry",
	[BILLING_EV_REFUND]          = "refund",
	[BILLING_EV_CHARGEBACK]      = "chargeback",
	[BILLING_EV_UNKNOWN]         = "unknown",
};

const char *const billing_outcome_names[BILLING_OUTCOME__MAX] = {
	[BILLING_APPLIED]  = "applied",
	[BILLING_STALE]    = "stale",
	[BILLING_TERMINAL] = "terminal",
	[BILLING_IGNORED]  = "ignored",
};

/* Unix seconds an event may carry: 2000-01-01 .. 2100-01-01. */
#define T_MIN 946684800LL
#define T_MAX 4102444800LL

enum billing_status
billing_status_parse(const char *s)
{
	for (int i = BILLING_ACTIVE; i < BILLING_STATUS__MAX; i++)
		if (s && strcmp(s, billing_status_names[i]) == 0)
			return (enum billing_status)i;
	return BILLING_NONE;
}

const char *
billing_cycle(const char *plan)
{
	if (strcmp(plan, "monthly") == 0)
		return "monthly";
	if (strcmp(plan, "annual") == 0)
		return "yearly";
	return NULL;
}

/* 1..max printable ASCII characters: ids and tokens from the processor. */
static int
printable(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e || n >= max)
			return 0;
	return n > 0;
}

static int
type_shape(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > BILLING_TYPE_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* "19.99": 1-6 digits, a dot, 2 digits (DECIMAL(10,2)). */
static int
amount_shape(const char *s)
{
	size_t i = 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || i > 6 || s[i] != '.')
		return 0;
	return s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] == '\0';
}

static int
digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
upper3(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	    s[2] >= 'A' && s[2] <= 'Z';
}

static const char *
get_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
get_time(json_t *o, const char *key, long long *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < T_MIN || json_integer_value(v) > T_MAX)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

int
billing_event_parse(json_t *root, struct billing_event *ev, const char **why)
{
	json_t *sub;
	const char *s;

	memset(ev, 0, sizeof *ev);
	if (!json_is_object(root))
		return *why = "body is not a JSON object", -1;
	if (!(ev->id = get_str(root, "id")) || !printable(ev->id, BILLING_ID_MAX))
		return *why = "id: 1-255 printable characters required", -1;
	if (!(ev->type_name = get_str(root, "type")) || !type_shape(ev->type_name))
		return *why = "type: a lower-case event name required", -1;
	ev->type = BILLING_EV_UNKNOWN;
	for (int i = 0; i < BILLING_EV_UNKNOWN; i++)
		if (strcmp(ev->type_name, billing_event_names[i]) == 0)
			ev->type = (enum billing_event_type)i;
	if (get_time(root, "created", &ev->occurred_at) < 0)
		return *why = "created: unix seconds required", -1;
	if (ev->type == BILLING_EV_UNKNOWN)
		return 0;   /* stored as received, nothing else is needed */

	sub = json_object_get(root, "subscription");
	if (!json_is_object(sub))
		return *why = "subscription: object required", -1;
	if (!(ev->sub_id = get_str(sub, "id")) || !printable(ev->sub_id, BILLING_ID_MAX))
		return *why = "subscription.id: 1-255 printable characters required", -1;
	if (!(ev->member = get_str(sub, "member")) || !valid_uuid(ev->member, strlen(ev->member)))
		return *why = "subscription.member: a uuid required", -1;
	if (!(ev->plan = get_str(sub, "plan")) || !billing_cycle(ev->plan))
		return *why = "subscription.plan: monthly or annual required", -1;
	if (!(ev->amount = get_str(sub, "amount")) || !amount_shape(ev->amount))
		return *why = "subscription.amount: a decimal string like \"19.99\" required", -1;
	if (!(ev->currency = get_str(sub, "currency")) || !upper3(ev->currency))
		return *why = "subscription.currency: a 3-letter code required", -1;
	if (get_time(sub, "period_start", &ev->period_start) < 0 ||
	    get_time(sub, "period_end", &ev->period_end) < 0 || ev->period_end < ev->period_start)
		return *why = "subscription.period_start/period_end: unix seconds, start <= end", -1;
	if ((s = get_str(sub, "reference")) != NULL && !printable(s, BILLING_ID_MAX))
		return *why = "subscription.reference: printable characters", -1;
	ev->reference = s;
	if ((s = get_str(sub, "payment_token")) != NULL && !printable(s, BILLING_ID_MAX))
		return *why = "subscription.payment_token: printable characters", -1;
	ev->token = s;
	if ((s = get_str(sub, "last4")) != NULL && !digits(s, 4))
		return *why = "subscription.last4: 4 digits", -1;
	ev->last4 = s;
	return 0;
}

static long long
max_ll(long long a, long long b)
{
	return a > b ? a : b;
}

/* A new row from an event seen before any other event of its subscription. */
static void
first(const struct billing_event *ev, struct billing_sub *out)
{
	out->period_start = ev->period_start;
	out->period_end = ev->period_end;
	out->last_event_at = ev->occurred_at;
	switch (ev->type) {
	case BILLING_EV_SALE:
	case BILLING_EV_RENEWAL:
		out->status = BILLING_ACTIVE;
		break;
	case BILLING_EV_RENEWAL_FAILURE:
		out->status = BILLING_PAST_DUE;
		break;
	case BILLING_EV_CANCELLATION:
		out->status = BILLING_CANCELED;
		out->canceled_at = ev->occurred_at;
		break;
	case BILLING_EV_REFUND:
	case BILLING_EV_CHARGEBACK:
		out->period_end = ev->occurred_at < ev->period_end ? ev->occurred_at : ev->period_end;
		if (out->period_end < out->period_start)
			out->period_start = out->period_end;
		out->status = BILLING_EXPIRED;
		break;
	case BILLING_EV_EXPIRY:
	default:
		out->status = BILLING_EXPIRED;
		break;
	}
}

enum billing_outcome
billing_apply(const struct billing_sub *cur, const struct billing_event *ev, struct billing_sub *out)
{
	int revoke = ev->type == BILLING_EV_REFUND || ev->type == BILLING_EV_CHARGEBACK;

	*out = *cur;
	if (ev->type == BILLING_EV_UNKNOWN)
		return BILLING_IGNORED;
	if (cur->status == BILLING_NONE) {
		memset(out, 0, sizeof *out);
		first(ev, out);
		return BILLING_APPLIED;
	}
	if (cur->status == BILLING_EXPIRED) {
		/* A refund after expiry still ends the period at its time. */
		if (revoke && ev->occurred_at < cur->period_end) {
			out->period_end = max_ll(ev->occurred_at, cur->period_start);
			out->last_event_at = max_ll(cur->last_event_at, ev->occurred_at);
			return BILLING_APPLIED;
		}
		return BILLING_TERMINAL;
	}
	if (!revoke && ev->occurred_at < cur->last_event_at)
		return BILLING_STALE;

	out->last_event_at = max_ll(cur->last_event_at, ev->occurred_at);
	switch (ev->type) {
	case BILLING_EV_SALE:
	case BILLING_EV_RENEWAL:
		if (ev->period_end > cur->period_end) {
			out->period_start = ev->period_start;
			out->period_end = ev->period_end;
		}
		if (cur->status != BILLING_CANCELED)
			out->status = BILLING_ACTIVE;
		break;
	case BILLING_EV_RENEWAL_FAILURE:
		if (cur->status == BILLING_ACTIVE)
			out->status = BILLING_PAST_DUE;
		break;
	case BILLING_EV_CANCELLATION:
		out->status = BILLING_CANCELED;
		if (cur->canceled_at == 0 || cur->status != BILLING_CANCELED)
			out->canceled_at = ev->occurred_at;
		break;
	case BILLING_EV_EXPIRY:
		out->status = BILLING_EXPIRED;
		break;
	case BILLING_EV_REFUND:
	case BILLING_EV_CHARGEBACK:
		out->status = BILLING_EXPIRED;
		if (ev->occurred_at < cur->period_end)
			out->period_end = max_ll(ev->occurred_at, cur->period_start);
		break;
	default:
		return BILLING_IGNORED;
	}
	return BILLING_APPLIED;
}

/* Percent-encode everything but RFC 3986 unreserved characters. */
static void
put_enc(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void
billing_checkout_url(struct buf *out, const char *processor_url, const char *secret,
    long long t, const char *plan, const char *amount, const char *currency, const char *member,
    const char *reference, const char *return_url)
{
	const char *const kv[][2] = {{"plan", plan}, {"amount", amount}, {"currency", currency},
	    {"member", member}, {"reference", reference}, {"return_url", return_url}};
	struct buf q = BUF_INIT, sig = BUF_INIT;

	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
		if (i > 0)
			buf_putc(&q, '&');
		buf_puts(&q, kv[i][0]);
		buf_putc(&q, '=');
		put_enc(&q, kv[i][1]);
	}
	webhook_sign(&sig, secret, t, q.data, q.len);
	buf_puts(out, processor_url);
	buf_puts(out, "/pay?");
	buf_append(out, q.data, q.len);
	buf_puts(out, "&signature=");
	put_enc(out, sig.data);
	buf_free(&q);
	buf_free(&sig);
}

int
billing_cancel_body(struct buf *out, const char *sub_id, const char *reason, long long requested_at)
{
	json_t *o = json_pack("{s:s, s:s, s:I}", "subscription", sub_id, "reason", reason,
	    "requested_at", (json_int_t)requested_at);
	if (o == NULL)
		return -1;   /* json_pack refuses strings that are not UTF-8 */
	size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
	size_t n = json_dumpb(o, NULL, 0, flags);
	buf_grow(out, n);
	out->len += json_dumpb(o, out->data + out->len, n, flags);
	out->data[out->len] = '\0';
	json_decref(o);
	return 0;
}

long
billing_retry_delay(int attempts)
{
	long d = BILLING_RETRY_FIRST;
	for (int i = 1; i < attempts && d < BILLING_RETRY_MAX; i++)
		d *= 2;
	return d < BILLING_RETRY_MAX ? d : BILLING_RETRY_MAX;
}
