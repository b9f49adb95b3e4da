/*
 * routes.c - THE route table of the site, and http_serve bound to it.
 *
 * One line per route: methods, pattern (router.h), auth level, handler,
 * accepted keys (an enum-indexed `struct param` table next to the handler's
 * declaration in pages/pages.h).  Keep it sorted by path.
 */
#include "router.h"

#include "pages/pages.h"
#include "util.h"

#ifdef MARQUEE_TEST_ROUTES
static const struct param test_sleep_params[TEST_SLEEP__MAX] = {
	/* Up to 10 minutes: longer than any worker timeout the tests configure. */
	[TEST_SLEEP_MS] = {"ms", PARAM_QUERY, V_INT(0, 600000), 1},
};
static const struct param test_echo_params[TEST_ECHO__MAX] = {
	[TEST_ECHO_NAME]   = {"name", PARAM_QUERY, V_STRING(1, 100), 0},
	[TEST_ECHO_N]      = {"n", PARAM_FORM, V_INT(1, 100), 0},
	[TEST_ECHO_SORT]   = {"sort", PARAM_QUERY, V_ENUM("newest", "views"), 0},
	[TEST_ECHO_COOKIE] = {"mq_test", PARAM_COOKIE, V_SLUG, 0},
};
#endif

/* ---- pages ---- */
static const struct param collection_params[COLLECTION__MAX] = {
	[COLLECTION_SORT]    = {"sort", PARAM_QUERY, V_ENUM(COLLECTION_SORTS), 0},
	[COLLECTION_QUALITY] = {"quality", PARAM_QUERY, V_ENUM(COLLECTION_QUALITIES), 0},
	[COLLECTION_PAGE]    = {"page", PARAM_QUERY, V_INT(1, PAGES_PAGE_MAX), 0},
};
static const struct param performer_params[PERFORMER__MAX] = {
	[PERFORMER_SORT] = {"sort", PARAM_QUERY, V_ENUM(PERFORMER_SORTS), 0},
	[PERFORMER_PAGE] = {"page", PARAM_QUERY, V_INT(1, PAGES_PAGE_MAX), 0},
};
/* ---- end pages ---- */

/* ---- discovery ---- */
static const struct param performers_params[PERFORMERS__MAX] = {
	[PERFORMERS_LETTER] = {"letter", PARAM_QUERY, V_ENUM(PERFORMERS_LETTERS), 0},
	[PERFORMERS_PAGE]   = {"page", PARAM_QUERY, V_INT(1, PERFORMERS_PAGE_MAX), 0},
};
static const struct param search_params[SEARCH__MAX] = {
	[SEARCH_Q]    = {"q", PARAM_QUERY, V_STRING(0, SEARCH_Q_MAX), 0},
	[SEARCH_PAGE] = {"page", PARAM_QUERY, V_INT(1, SEARCH_PAGE_MAX), 0},
};
static const struct param suggest_params[SUGGEST__MAX] = {
	[SUGGEST_Q] = {"q", PARAM_QUERY, V_STRING(0, SEARCH_Q_MAX), 0},
};
static const struct param sitemap_params[SITEMAP__MAX] = {
	/* 10,000 files of 10,000 videos: a catalog of 100 million. */
	[SITEMAP_PAGE] = {"page", PARAM_QUERY, V_INT(1, 10000), 0},
};
/* ---- end discovery ---- */

/* ---- billing ---- */
static const struct param join_params[JOIN__MAX] = {
	[JOIN_PLAN] = {"plan", PARAM_FORM, V_ENUM(JOIN_PLANS), 1},
	[JOIN_CSRF] = {"csrf", PARAM_FORM, V_STRING(0, 256), 0},
};
static const struct param sub_cancel_params[SUB_CANCEL__MAX] = {
	[SUB_CANCEL_CSRF] = {"csrf", PARAM_FORM, V_STRING(0, 256), 0},
};
/* ---- end billing ---- */

const struct route routes_table[] = {
	{HTTP_M(HTTP_GET), "/", AUTH_NONE, page_home, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/2257", AUTH_NONE, page_2257, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/collections", AUTH_NONE, page_collections, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/collections.css", AUTH_NONE, page_collection_themes, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/collections/{slug:slug}", AUTH_NONE, page_collection,
	    collection_params, COLLECTION__MAX, 0},
	{HTTP_M(HTTP_GET), "/healthz", AUTH_NONE, page_healthz, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/performers", AUTH_NONE, page_performers, performers_params, PERFORMERS__MAX, 0},
	{HTTP_M(HTTP_GET), "/privacy", AUTH_NONE, page_privacy, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/robots.txt", AUTH_NONE, page_robots, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/search", AUTH_NONE, page_search, search_params, SEARCH__MAX, 0},
	{HTTP_M(HTTP_GET), "/search/suggest", AUTH_NONE, page_search_suggest, suggest_params, SUGGEST__MAX, 0},
	{HTTP_M(HTTP_GET), "/sitemap.xml", AUTH_NONE, page_sitemap, sitemap_params, SITEMAP__MAX, 0},
	{HTTP_M(HTTP_GET), "/terms", AUTH_NONE, page_terms, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/performers/{slug:slug}", AUTH_NONE, page_performer,
	    performer_params, PERFORMER__MAX, 0},
	{HTTP_M(HTTP_GET), "/videos/{slug:slug}", AUTH_NONE, page_video, NULL, 0, 0},
	/* billing (pages/{join,subscription,billing_webhook}.c) */
	{HTTP_M(HTTP_POST), "/account/subscription/cancel", AUTH_MEMBER, page_subscription_cancel,
	    sub_cancel_params, SUB_CANCEL__MAX, 0},
	{HTTP_M(HTTP_GET), "/join", AUTH_NONE, page_join, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/join", AUTH_NONE, page_join_post, join_params, JOIN__MAX, 0},
	{HTTP_M(HTTP_POST), "/webhooks/billing", AUTH_NONE, page_billing_webhook, NULL, 0,
	    ROUTE_NO_AGE_GATE},
#ifdef MARQUEE_TEST_ROUTES
	{HTTP_M(HTTP_GET), "/__test/crash", AUTH_NONE, page_test_crash, NULL, 0, 0},
	{HTTP_M(HTTP_GET) | HTTP_M(HTTP_POST), "/__test/echo", AUTH_NONE, page_test_echo,
	    test_echo_params, TEST_ECHO__MAX, 0},
	{HTTP_M(HTTP_GET), "/__test/sleep", AUTH_NONE, page_test_sleep,
	    test_sleep_params, TEST_SLEEP__MAX, 0},
#endif
};
const size_t routes_count = NELEM(routes_table);

void
http_serve(struct app *app, struct arena *a, const struct http_input *in, struct response *resp)
{
	http_serve_routes(routes_table, routes_count, app, a, in, resp);
}
