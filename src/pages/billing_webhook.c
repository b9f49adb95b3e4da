/*
 * billing_webhook.c - POST /webhooks/billing: the payment processor's
 * signed events drive the subscriptions (billing.h has the rules).
 *
 * Order of checks, cheapest and safest first: the signature and timestamp
 * over the raw body (webhook.h; current and previous secret), then the JSON
 * shape (billing_event_parse), and only then the database.  A refused
 * request stores nothing.  Each accepted event is one transaction: insert it
 * into billing_events (a replay of a known event id inserts nothing and is
 * answered 200 without re-applying, so the processor stops retrying), lock
 * its subscription, apply the state machine, write the subscription, mark
 * the event processed with its outcome.  A database failure rolls all of it
 * back and answers 503: the processor retries later and the event applies
 * once.
 *
 * Answers are short text/plain bodies for the processor's logs, never
 * pages.  Not done here: talking back to the processor, e-mails.
 */
#include "pages/pages.h"

#include "app.h"
#include "arena.h"
#include "billing.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "webhook.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
reply(struct response *resp, int status, const char *text)
{
	resp_cache(resp, RESP_CACHE_NONE, 0);
	resp_text(resp, status, "text/plain; charset=utf-8", text);
	return 0;
}

/* A failed statement inside the event's transaction: roll back, 503 (retry) or 500. */
static int
db_fail(struct app *app, struct response *resp)
{
	/* 23505: a concurrent delivery created the same subscription first; a retry applies cleanly. */
	int unavailable = db_last_unavailable(app->db) || strcmp(db_last_sqlstate(app->db), "23505") == 0;
	db_rollback(app->db);
	return reply(resp, unavailable ? 503 : 500,
	    unavailable ? "database unavailable, retry later\n" : "internal error\n");
}

static const char *
num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

/*
 * Write the new state: insert the row for a first event, else update it.
 * Returns the subscription id, or NULL on failure.
 */
static const char *
store_sub(struct app *app, struct arena *a, const char *sub_row, const struct billing_event *ev,
    const struct billing_sub *st)
{
	PGresult *r;
	if (sub_row == NULL) {
		const char *p[13] = {ev->member, ev->plan, ev->amount, ev->currency,
		    billing_cycle(ev->plan), billing_status_names[st->status],
		    num(a, st->period_start), num(a, st->period_end), num(a, st->canceled_at),
		    ev->token, ev->last4, ev->sub_id, num(a, st->last_event_at)};
		r = db_exec(app->db, a, DB_BILLING_SUB_INSERT, 13, p);
		return r && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : NULL;
	}
	const char *p[8] = {sub_row, billing_status_names[st->status], num(a, st->period_start),
	    num(a, st->period_end), num(a, st->canceled_at), num(a, st->last_event_at),
	    ev->token, ev->last4};
	r = db_exec(app->db, a, DB_BILLING_SUB_UPDATE, 8, p);
	return r ? sub_row : NULL;
}

int
page_billing_webhook(struct app *app, struct request *req, struct response *resp)
{
	const struct config *cfg = app->cfg;
	const char *secrets[2] = {cfg->billing_webhook_secret, cfg->billing_webhook_secret_previous};
	const char *why = NULL, *event_row, *sub_row = NULL, *outcome;
	struct billing_event ev;
	struct billing_sub cur = {0}, next;
	json_error_t jerr;
	json_t *root;
	PGresult *r;

	if (!secrets[0][0] && !secrets[1][0]) {
		log_error("billing webhook: billing_webhook_secret is not configured; event refused");
		return reply(resp, 503, "webhooks are not configured\n");
	}
	if (webhook_verify(req_header(req, "marquee-signature"), req->body, req->body_len,
	    secrets, 2, (long long)time(NULL), cfg->webhook_tolerance, &why) < 0) {
		log_warn("billing webhook refused: %s", why);
		return reply(resp, 401, "bad signature\n");
	}
	root = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return reply(resp, 400, "body is not JSON\n");
	arena_defer(req->arena, (void (*)(void *))json_decref, root);
	if (billing_event_parse(root, &ev, &why) < 0) {
		log_warn("billing webhook: malformed event: %s", why);
		return reply(resp, 400, arena_printf(req->arena, "%s\n", why));
	}

	if (db_begin(app->db) < 0)
		return reply(resp, db_last_unavailable(app->db) ? 503 : 500, "database error\n");
	const char *ins[5] = {ev.id, ev.type_name, ev.member, num(req->arena, ev.occurred_at),
	    req->body};
	if ((r = db_exec(app->db, req->arena, DB_BILLING_EVENT_INSERT, 5, ins)) == NULL)
		return db_fail(app, resp);
	if (PQntuples(r) == 0) {
		db_rollback(app->db);
		log_info("billing webhook: event %s already received", ev.id);
		return reply(resp, 200, "duplicate\n");
	}
	event_row = PQgetvalue(r, 0, 0);

	if (ev.type == BILLING_EV_UNKNOWN) {
		outcome = billing_outcome_names[BILLING_IGNORED];
	} else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0) {
		outcome = "no_member";
	} else {
		const char *lk[1] = {ev.sub_id};
		if ((r = db_exec(app->db, req->arena, DB_BILLING_SUB_LOCK, 1, lk)) == NULL)
			return db_fail(app, resp);
		if (PQntuples(r) == 1) {
			sub_row = PQgetvalue(r, 0, 0);
			cur.status = billing_status_parse(PQgetvalue(r, 0, 1));
			cur.period_start = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
			cur.period_end = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
			cur.canceled_at = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
			cur.last_event_at = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
			if (cur.status == BILLING_NONE) {
				/* The CHECK constraint makes this impossible; refuse rather than guess. */
				log_error("billing webhook: subscription %s has an unknown status", sub_row);
				db_rollback(app->db);
				return reply(resp, 500, "internal error\n");
			}
		}
		enum billing_outcome oc = billing_apply(&cur, &ev, &next);
		outcome = billing_outcome_names[oc];
		if (oc == BILLING_APPLIED &&
		    (sub_row = store_sub(app, req->arena, sub_row, &ev, &next)) == NULL)
			return db_fail(app, resp);
	}
	const char *done[3] = {event_row, sub_row, outcome};
	if (db_exec(app->db, req->arena, DB_BILLING_EVENT_DONE, 3, done) == NULL)
		return db_fail(app, resp);
	if (db_commit(app->db) < 0)
		return reply(resp, db_last_unavailable(app->db) ? 503 : 500, "database error\n");
	log_info("billing webhook: event %s (%s) %s", ev.id, ev.type_name, outcome);
	return reply(resp, 200, arena_printf(req->arena, "%s\n", outcome));
}
