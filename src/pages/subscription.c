/*
 * subscription.c - the subscription section of the account page and the
 * member's own cancellation (POST /account/subscription/cancel).
 *
 * Cancelling sets status canceled and canceled_at at once; access stays
 * until current_period_end (marquee_entitled).  The same statement queues
 * the request to the processor's cancel API in billing_outbox (migration
 * 017): this handler never calls the processor, so a slow or absent
 * processor costs the member nothing, and the cancellation and the request
 * commit together.  `marqueectl billing-send` delivers it; the processor
 * then confirms with a `cancellation` webhook, which the state machine
 * accepts on an already canceled subscription without changing its
 * canceled_at (billing.h rule 4).
 */
#include "pages/pages.h"

#include "app.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "session.h"

#include <string.h>

static const char *
status_label(const char *status)
{
	static const char *const labels[][2] = {{"active", "Active"}, {"past_due", "Payment failed"},
	    {"canceled", "Canceled"}, {"expired", "Expired"}};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(status, labels[i][0]) == 0)
			return labels[i][1];
	return status;
}

int
subscription_account_ctx(struct app *app, struct request *req, struct tval *ctx)
{
	const struct member *m = sess_member(req);
	const char *p[1];
	PGresult *r;

	if (m == NULL)
		return 0;
	p[0] = m->user_id;
	if ((r = db_exec(app->db, req->arena, DB_BILLING_ACCOUNT, 1, p)) == NULL)
		return db_last_unavailable(app->db) ? 503 : 500;
	if (PQntuples(r) == 0) {
		tv_set(ctx, "subscription", tv_null());
		tv_set_bool(ctx, "no_subscription", 1);
		return 0;
	}
	/* The values borrow r's strings: db_exec clears r only at the arena reset. */
	const char *status = PQgetvalue(r, 0, 1);
	struct tval *s = tv_obj(req->arena);
	tv_set_str(s, "plan", PQgetvalue(r, 0, 0));
	tv_set_str(s, "status", status);
	tv_set_str(s, "amount", PQgetvalue(r, 0, 2));
	tv_set_str(s, "currency", PQgetvalue(r, 0, 3));
	tv_set_str(s, "period_start", PQgetvalue(r, 0, 4));
	tv_set_str(s, "period_end", PQgetvalue(r, 0, 5));
	tv_set_bool(s, "entitled", strcmp(PQgetvalue(r, 0, 9), "t") == 0);
	tv_set_bool(s, "cancelable", strcmp(status, "active") == 0 || strcmp(status, "past_due") == 0);
	tv_set_bool(s, "canceled", strcmp(status, "canceled") == 0);
	if (!PQgetisnull(r, 0, 6))
		tv_set_str(s, "next_billing", PQgetvalue(r, 0, 6));
	if (!PQgetisnull(r, 0, 7))
		tv_set_str(s, "canceled_on", PQgetvalue(r, 0, 7));
	if (!PQgetisnull(r, 0, 8))
		tv_set_str(s, "last4", PQgetvalue(r, 0, 8));
	tv_set_str(s, "status_label", status_label(status));
	tv_set_bool(s, "past_due", strcmp(status, "past_due") == 0);
	tv_set_bool(s, "expired", strcmp(status, "expired") == 0);
	tv_set(ctx, "subscription", s);
	return 0;
}

int
page_subscription_cancel(struct app *app, struct request *req, struct response *resp)
{
	const struct member *m = sess_member(req);
	const char *p[1];
	PGresult *r;
	int status;

	if ((status = csrf_check(app, req)) != 0)
		return status;
	if (m == NULL)
		return 403;
	p[0] = m->user_id;
	if ((r = db_exec(app->db, req->arena, DB_BILLING_CANCEL, 1, p)) == NULL)
		return db_last_unavailable(app->db) ? 503 : 500;
	for (int i = 0; i < PQntuples(r); i++)
		log_info("subscription %s canceled by member %s (cancel queued for the processor)",
		    PQgetvalue(r, i, 0), m->user_id);
	resp_cache(resp, RESP_CACHE_NONE, 0);
	return resp_redirect(resp, 303, "/account");
}
