/*
 * join.c - GET /join (the plans from the configuration) and POST /join
 * (send a signed-in member to the processor's hosted payment form).
 *
 * Payment details never reach Marquee: POST /join answers 303 to
 * <processor_url>/pay with signed parameters (billing_checkout_url: plan,
 * price, currency, member id, a random reference, the return URL); the
 * processor shows its own form and reports the sale to /webhooks/billing.
 * Anonymous visitors are sent to /signup?next=/join first; a member who is
 * already entitled goes to the account page instead of paying twice.
 */
#include "pages/pages.h"

#include "app.h"
#include "arena.h"
#include "billing.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "session.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

/* The plans /join offers, in the order of JOIN_PLANS (the route's V_ENUM). */
static const char *
plan_price(const struct config *cfg, int plan)
{
	return plan == JOIN_PLAN_ANNUAL ? cfg->plan_annual_price : cfg->plan_monthly_price;
}

/* Append one plan to the list (strings borrowed: literals and configuration values). */
static void
add_plan(struct tval *plans, const char *key, const char *name, const char *price,
    const char *period, int checked)
{
	struct tval *p = tv_obj(plans->arena);
	tv_set_str(p, "key", key);
	tv_set_str(p, "name", name);
	tv_set_str(p, "price", price);
	tv_set_str(p, "period", period);
	tv_set_bool(p, "checked", checked);
	tv_push(plans, p);
}

static struct tval *
plans_values(struct arena *a, const struct config *cfg)
{
	struct tval *plans = tv_list(a);
	add_plan(plans, "monthly", "Monthly", cfg->plan_monthly_price, "month", 1);
	add_plan(plans, "annual", "Annual", cfg->plan_annual_price, "year", 0);
	return plans;
}

int
page_join(struct app *app, struct request *req, struct response *resp)
{
	const struct member *m = sess_member(req);
	struct tval *ctx = tv_obj(req->arena);
	tv_set(ctx, "plans", plans_values(req->arena, app->cfg));
	tv_set_str(ctx, "currency", app->cfg->currency);
	tv_set_bool(ctx, "available", app->cfg->processor_url[0] != '\0');

	if (m != NULL) {
		tv_set_bool(ctx, "signed_in", 1);
		tv_set_bool(ctx, "entitled", m->entitled);
		tv_set_str(ctx, "csrf", csrf_token(app, req, resp));
		resp_cache(resp, RESP_CACHE_PRIVATE, 0);
		/* The form's POST is answered with a redirect to the processor: CSP form-action must allow it. */
		const char *pu = app->cfg->processor_url, *host = strstr(pu, "://");
		if (host != NULL)
			resp_form_action(resp, arena_strndup(req->arena, pu, (size_t)(host + 3 - pu) +
			    strcspn(host + 3, "/?#")));
	}
	return resp_render(app, req, resp, "join", ctx) == 0 ? 0 : 500;
}

int
page_join_post(struct app *app, struct request *req, struct response *resp)
{
	const struct config *cfg = app->cfg;
	const struct member *m = sess_member(req);
	unsigned char nonce[16];
	char reference[sizeof nonce * 2 + 1];
	struct buf url = BUF_IN(req->arena);
	int status, plan;

	resp_cache(resp, RESP_CACHE_NONE, 0);
	if (m == NULL)
		return resp_redirect(resp, 303, "/signup?next=/join");
	if ((status = csrf_check(app, req)) != 0)
		return status;
	if (m->entitled)
		return resp_redirect(resp, 303, "/account");
	if (cfg->processor_url[0] == '\0' || cfg->processor_secret[0] == '\0') {
		log_error("join: processor_url or processor_secret is not configured");
		return 503;
	}
	plan = (int)req_num(req, JOIN_PLAN, JOIN_PLAN_MONTHLY);
	randombytes_buf(nonce, sizeof nonce);
	sodium_bin2hex(reference, sizeof reference, nonce, sizeof nonce);
	billing_checkout_url(&url, cfg->processor_url, cfg->processor_secret, (long long)time(NULL),
	    plan == JOIN_PLAN_ANNUAL ? "annual" : "monthly", plan_price(cfg, plan), cfg->currency,
	    m->user_id, reference, arena_printf(req->arena, "%s/account", cfg->base_url));
	log_info("join: member %s to the processor (plan %s, reference %s)", m->user_id,
	    plan == JOIN_PLAN_ANNUAL ? "annual" : "monthly", reference);
	return resp_redirect(resp, 303, url.data);
}
