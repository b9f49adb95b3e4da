/*
 * agegate.c - the age gate (an interstitial every visitor passes before
 * content), the jurisdiction check in front of every page, and the age-
 * verification vendor's signed callback.
 *
 * The gate is a plain form: GET /age-gate?next=/videos/x shows "I am 18 or
 * older" (a POST with a CSRF token) and "Leave"; the POST sets the cookie
 * marquee_age=1 and sends the visitor back to next, a local path only.
 * No JavaScript anywhere.  Exempt routes carry ROUTE_NO_AGE_GATE
 * (routes.c).  nginx's micro-cache keys on the cookie (deploy/nginx/app.conf)
 * so a gated visitor never gets a page cached for one who passed.
 *
 * The callback (POST /webhooks/age-verification) is signed like every
 * webhook (webhook.h) with config age_verification_secret (and the
 * previous secret while rotating).  Its JSON body:
 *   {"event_id": "...", "user_id": "<uuid>", "result": "approved"|"rejected"|"pending",
 *    "method": one of AGE_METHODS}
 * Anything else in it (the vendor may send document details) is ignored
 * and never stored.  Each event id is applied once (age_verification_events).
 */
#include "pages/pages.h"

#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "juris.h"
#include "log.h"
#include "router.h"
#include "session.h"
#include "valid.h"
#include "webhook.h"

/* The gate is remembered for 30 days: long enough not to annoy, short enough to ask again now and then. */
#define AGE_COOKIE_MAX_AGE (30L * 24 * 3600)
/* Where "Leave" goes: a neutral site. */
#define AGE_LEAVE_URL "https://www.google.com/"
/* The vendor's method names we accept (stored in users.age_verification_method, VARCHAR(50)). */
#define AGE_METHODS "id_document", "facial_estimation", "credit_card", "digital_id", \
	"mobile_operator", "open_banking"
/* Vendor event ids are opaque; the column is VARCHAR(255). */
#define AGE_EVENT_ID_MAX 255

/* ---------------------------------------------------------------- the gate */

static int
has_age_cookie(const struct request *req)
{
	for (size_t i = 0; i < req->cookies.n; i++)
		if (strcmp(req->cookies.v[i].key, AGEGATE_COOKIE) == 0)
			return req->cookies.v[i].vlen == 1 && req->cookies.v[i].val[0] == '1';
	return 0;
}

/* s percent-encoded for a query value (unreserved characters and '/' kept). */
static void
put_query_value(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_putc(b, (char)*p);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

int
agegate_check(struct app *app, struct request *req, struct response *resp, unsigned flags)
{
	int rule = juris_rule(app, req);
	if (rule < 0)
		return 503;
	const struct member *m = sess_member(req);
	req->restricted = rule == JURIS_VERIFY && !(m && m->age_verified);
	if (flags & ROUTE_NO_AGE_GATE)
		return 0;
	if (rule == JURIS_BLOCK)
		return 451;
	if (has_age_cookie(req))
		return 0;

	struct buf b = BUF_IN(req->arena);
	buf_puts(&b, "/age-gate?next=");
	put_query_value(&b, req->raw_path ? req->raw_path : "/");
	if (req->raw_query[0]) {
		put_query_value(&b, "?");
		put_query_value(&b, req->raw_query);
	}
	const char *loc = b.data;
	/* 303 after a POST (the browser must not repost to the gate); 302 for GET/HEAD. */
	int st = req->method == HTTP_GET || req->method == HTTP_HEAD ? 302 : 303;
	if (resp_redirect(resp, st, loc) != 0)
		return 500;
	return AGEGATE_SENT;
}

/* The validated next= of a form or query, or "/" when absent or not a local path. */
static const char *
local_next(const struct request *req, size_t i)
{
	const char *n = req_str(req, i);
	return n && n[0] && valid_local_path(n, strlen(n)) ? n : "/";
}

int
page_agegate(struct app *app, struct request *req, struct response *resp)
{
	struct tval *ctx = tv_obj(req->arena);
	tv_set_str(ctx, "next", local_next(req, AGEGATE_NEXT));
	tv_set_str(ctx, "csrf", csrf_token(app, req, resp));
	tv_set_str(ctx, "leave_url", AGE_LEAVE_URL);
	tv_set_bool(ctx, "verify_required", juris_rule(app, req) == JURIS_VERIFY);
	resp_cache(resp, RESP_CACHE_PRIVATE, 0);
	return resp_render(app, req, resp, "age-gate", ctx) ? 500 : 0;
}

int
page_agegate_post(struct app *app, struct request *req, struct response *resp)
{
	int st = csrf_check(app, req);
	if (st)
		return st;
	struct cookie_opts o = {
		.max_age = AGE_COOKIE_MAX_AGE, .http_only = 1,
		.secure = !(app->cfg->dev_mode && sess_host_is_local(req_header(req, "host"))),
		.same_site = SAMESITE_LAX, .path = "/",
	};
	if (resp_cookie(resp, AGEGATE_COOKIE, "1", &o) != 0)
		return 500;
	return resp_redirect(resp, 303, local_next(req, AGEGATE_NEXT)) ? 500 : 0;
}

/* ---------------------------------------------------------------- vendor callback */

static const char *const age_methods[] = {AGE_METHODS, NULL};
static const char *const age_results[] = {"approved", "rejected", "pending", NULL};

/* json's string member key if it passes the rule, else NULL. */
static const char *
member_str(json_t *j, const char *key, const struct valid_rule *rule)
{
	json_t *v = json_object_get(j, key);
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	long long num;
	return valid_check(rule, s, json_string_length(v), &num) ? s : NULL;
}

static int
webhook_answer(struct response *resp, int status, const char *outcome)
{
	resp_cache(resp, RESP_CACHE_NONE, 0);
	return resp_json(resp, status, json_pack("{s:s}", "status", outcome));
}

int
page_age_webhook(struct app *app, struct request *req, struct response *resp)
{
	const struct config *cfg = app->cfg;
	const char *secrets[2] = {cfg->age_verification_secret, cfg->age_verification_secret_previous};
	if (!secrets[0] || !secrets[0][0]) {
		log_warn("age-verification callback refused: age_verification_secret is not configured");
		return 503;
	}
	const char *why = NULL;
	if (webhook_verify(req_header(req, "marquee-signature"), req->body, req->body_len, secrets, 2,
	    (long long)time(NULL), cfg->webhook_tolerance, &why) != 0) {
		log_warn("age-verification callback refused: %s", why ? why : "bad signature");
		return webhook_answer(resp, 401, "bad signature");
	}

	json_error_t jerr;
	json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		return webhook_answer(resp, 400, "body must be a JSON object");
	}
	arena_defer(req->arena, (void (*)(void *))json_decref, j);
	static const struct valid_rule id_rule = V_STRING(1, AGE_EVENT_ID_MAX);
	static const struct valid_rule uuid_rule = V_UUID;
	static const struct valid_rule result_rule = {.kind = VALID_ENUM, .members = age_results};
	static const struct valid_rule method_rule = {.kind = VALID_ENUM, .members = age_methods};
	const char *p[4] = {
		member_str(j, "event_id", &id_rule), member_str(j, "user_id", &uuid_rule),
		member_str(j, "result", &result_rule), member_str(j, "method", &method_rule),
	};
	if (!p[0] || !p[1] || !p[2] || !p[3])
		return webhook_answer(resp, 400, "event_id, user_id, result and method are required");

	PGresult *r = db_exec(app->db, req->arena, DB_AGE_EVENT, 4, p);
	if (r == NULL)
		return db_last_unavailable(app->db) ? 503 : 500;
	int fresh = PQgetvalue(r, 0, 0)[0] == '1';
	int marked = PQgetvalue(r, 0, 1)[0] == '1';
	log_info("age-verification event %s: %s%s", fresh ? "applied" : "replayed",
	    p[2], marked ? ", account marked verified" : "");
	return webhook_answer(resp, 200, fresh ? "processed" : "duplicate");
}
