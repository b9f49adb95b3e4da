/*
 * routes.c - THE route table of the site, and http_serve bound to it.
 *
 * One line per route: methods, pattern (router.h), auth level, handler,
 * accepted keys (an enum-indexed `struct param` table next to the handler's
 * declaration in pages/pages.h).  Keep it sorted by path.
 */
#include "router.h"

#include "pages/pages.h"
#include "pages/playback.h"
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
static const struct param test_blob_params[TEST_BLOB__MAX] = {
	[TEST_BLOB_BYTES] = {"bytes", PARAM_QUERY, V_INT(0, 1048576), 1},
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

/* ---- playback ---- */
/* CSRF tokens are 86 characters; the bound only keeps junk out. */
#define CSRF_PARAM(src) {"csrf", src, V_STRING(0, 256), 0}
static const struct param progress_params[PROGRESS__MAX] = {
	/* A slug, or a video id (lowercase, as we print them: a valid slug too). */
	[PROGRESS_VIDEO]    = {"video", PARAM_FORM, V_SLUG, 1},
	[PROGRESS_POSITION] = {"position", PARAM_FORM, V_INT(0, PLAYBACK_SECONDS_MAX), 1},
	[PROGRESS_DURATION] = {"duration", PARAM_FORM, V_INT(1, PLAYBACK_SECONDS_MAX), 1},
	[PROGRESS_CSRF]     = CSRF_PARAM(PARAM_FORM),
};
static const struct param history_params[HISTORY__MAX] = {
	[HISTORY_PAGE] = {"page", PARAM_QUERY, V_INT(1, HISTORY_PAGE_MAX), 0},
};
static const struct param history_remove_params[HISTORY_REMOVE__MAX] = {
	[HISTORY_REMOVE_VIDEO] = {"video", PARAM_FORM, V_UUID, 1},
	[HISTORY_REMOVE_CSRF]  = CSRF_PARAM(PARAM_FORM),
};
static const struct param history_clear_params[HISTORY_CLEAR__MAX] = {
	[HISTORY_CLEAR_CSRF] = CSRF_PARAM(PARAM_FORM),
};
/* ---- end playback ---- */

/* ---- accounts ---- */
#define NEXT_PARAM(src) {"next", src, V_STRING(0, VALID_LOCAL_PATH_MAX), 0}
static const struct param auth_page_params[AUTH_PAGE__MAX] = {
	[AUTH_PAGE_NEXT]    = NEXT_PARAM(PARAM_QUERY),
	[AUTH_PAGE_CREATED] = {"created", PARAM_QUERY, V_BOOL, 0},
};
static const struct param account_page_params[ACCOUNT_PAGE__MAX] = {
	[ACCOUNT_PAGE_SAVED] = {"saved", PARAM_QUERY, V_ENUM(ACCOUNT_SAVED), 0},
};
static const struct param signup_params[SIGNUP__MAX] = {
	[SIGNUP_EMAIL]    = {"email", PARAM_FORM, V_EMAIL, 1},
	[SIGNUP_USERNAME] = {"username", PARAM_FORM,
	    V_STRING(ACCOUNT_USERNAME_MIN, ACCOUNT_USERNAME_MAX), 1},
	/* Bytes are checked by password_problem (at most ACCOUNT_PASSWORD_MAX). */
	[SIGNUP_PASSWORD] = {"password", PARAM_FORM, V_STRING(1, ACCOUNT_PASSWORD_MAX), 1},
	[SIGNUP_NEXT]     = NEXT_PARAM(PARAM_FORM),
	[SIGNUP_CSRF]     = CSRF_PARAM(PARAM_FORM),
};
static const struct param login_params[LOGIN__MAX] = {
	/* Not V_EMAIL: a mistyped address gets the same answer as a wrong password. */
	[LOGIN_EMAIL]    = {"email", PARAM_FORM, V_STRING(1, VALID_EMAIL_MAX), 1},
	[LOGIN_PASSWORD] = {"password", PARAM_FORM, V_STRING(1, ACCOUNT_PASSWORD_MAX), 1},
	[LOGIN_NEXT]     = NEXT_PARAM(PARAM_FORM),
	[LOGIN_CSRF]     = CSRF_PARAM(PARAM_FORM),
};
static const struct param csrf_only_params[CSRF_ONLY__MAX] = {
	[CSRF_ONLY_CSRF] = CSRF_PARAM(PARAM_FORM),
};
static const struct param prefs_params[PREFS__MAX] = {
	[PREFS_QUALITY]        = {"preferred_quality", PARAM_FORM, V_ENUM(ACCOUNT_QUALITIES), 1},
	[PREFS_AUTOPLAY]       = {"autoplay", PARAM_FORM, V_BOOL, 0},
	[PREFS_HISTORY_PAUSED] = {"history_paused", PARAM_FORM, V_BOOL, 0},
	[PREFS_CSRF]           = CSRF_PARAM(PARAM_FORM),
};
static const struct param password_params[PASSWORD__MAX] = {
	[PASSWORD_CURRENT] = {"current_password", PARAM_FORM, V_STRING(1, ACCOUNT_PASSWORD_MAX), 1},
	[PASSWORD_NEW]     = {"new_password", PARAM_FORM, V_STRING(1, ACCOUNT_PASSWORD_MAX), 1},
	[PASSWORD_CSRF]    = CSRF_PARAM(PARAM_FORM),
};
static const struct param delete_params[DELETE__MAX] = {
	[DELETE_PASSWORD] = {"password", PARAM_FORM, V_STRING(1, ACCOUNT_PASSWORD_MAX), 1},
	[DELETE_CONFIRM]  = {"confirm", PARAM_FORM, V_BOOL, 0},
	[DELETE_CSRF]     = CSRF_PARAM(PARAM_FORM),
};
static const struct param agegate_params[AGEGATE__MAX] = {
	[AGEGATE_NEXT] = NEXT_PARAM(PARAM_QUERY),
	[AGEGATE_CSRF] = CSRF_PARAM(PARAM_FORM),
};
static const struct param agegate_post_params[AGEGATE__MAX] = {
	[AGEGATE_NEXT] = NEXT_PARAM(PARAM_FORM),
	[AGEGATE_CSRF] = CSRF_PARAM(PARAM_FORM),
};
/* Forms re-render with the visitor's input and a message instead of a 400 page. */
#define FORM ROUTE_FORM_ERRORS
/* ---- end accounts ---- */

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
	{HTTP_M(HTTP_GET), "/2257", AUTH_NONE, page_2257, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/account", AUTH_NONE, page_account, account_page_params, ACCOUNT_PAGE__MAX, FORM},
	{HTTP_M(HTTP_POST), "/account/delete", AUTH_MEMBER, page_account_delete,
	    delete_params, DELETE__MAX, FORM},
	{HTTP_M(HTTP_GET), "/account/history", AUTH_NONE, page_history, history_params, HISTORY__MAX, 0},
	{HTTP_M(HTTP_POST), "/account/history/clear", AUTH_MEMBER, page_history_clear,
	    history_clear_params, HISTORY_CLEAR__MAX, 0},
	{HTTP_M(HTTP_POST), "/account/history/remove", AUTH_MEMBER, page_history_remove,
	    history_remove_params, HISTORY_REMOVE__MAX, 0},
	{HTTP_M(HTTP_POST), "/account/logout-all", AUTH_MEMBER, page_account_logout_all,
	    csrf_only_params, CSRF_ONLY__MAX, 0},
	{HTTP_M(HTTP_POST), "/account/password", AUTH_MEMBER, page_account_password,
	    password_params, PASSWORD__MAX, FORM},
	{HTTP_M(HTTP_POST), "/account/preferences", AUTH_MEMBER, page_account_prefs,
	    prefs_params, PREFS__MAX, FORM},
	{HTTP_M(HTTP_GET), "/age-gate", AUTH_NONE, page_agegate, agegate_params, AGEGATE__MAX,
	    FORM | ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_POST), "/age-gate", AUTH_NONE, page_agegate_post, agegate_post_params, AGEGATE__MAX,
	    FORM | ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_POST), "/api/progress", AUTH_MEMBER, page_progress, progress_params, PROGRESS__MAX, 0},
	{HTTP_M(HTTP_GET), "/collections", AUTH_NONE, page_collections, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/collections.css", AUTH_NONE, page_collection_themes, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/collections/{slug:slug}", AUTH_NONE, page_collection,
	    collection_params, COLLECTION__MAX, 0},
	{HTTP_M(HTTP_GET), "/healthz", AUTH_NONE, page_healthz, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/internal/hls-auth", AUTH_INTERNAL, page_hls_auth, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/login", AUTH_NONE, page_login, auth_page_params, AUTH_PAGE__MAX, FORM},
	{HTTP_M(HTTP_POST), "/login", AUTH_NONE, page_login_post, login_params, LOGIN__MAX, FORM},
	{HTTP_M(HTTP_POST), "/logout", AUTH_NONE, page_logout, csrf_only_params, CSRF_ONLY__MAX, 0},
	{HTTP_M(HTTP_GET), "/performers", AUTH_NONE, page_performers, performers_params, PERFORMERS__MAX, 0},
	{HTTP_M(HTTP_GET), "/performers/{slug:slug}", AUTH_NONE, page_performer,
	    performer_params, PERFORMER__MAX, 0},
	{HTTP_M(HTTP_GET), "/privacy", AUTH_NONE, page_privacy, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/robots.txt", AUTH_NONE, page_robots, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/search", AUTH_NONE, page_search, search_params, SEARCH__MAX, 0},
	{HTTP_M(HTTP_GET), "/search/suggest", AUTH_NONE, page_search_suggest, suggest_params, SUGGEST__MAX, 0},
	{HTTP_M(HTTP_GET), "/signup", AUTH_NONE, page_signup, auth_page_params, AUTH_PAGE__MAX, FORM},
	{HTTP_M(HTTP_POST), "/signup", AUTH_NONE, page_signup_post, signup_params, SIGNUP__MAX, FORM},
	{HTTP_M(HTTP_GET), "/sitemap.xml", AUTH_NONE, page_sitemap, sitemap_params, SITEMAP__MAX,
	    ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/terms", AUTH_NONE, page_terms, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/videos/{slug:slug}", AUTH_NONE, page_video, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/webhooks/age-verification", AUTH_NONE, page_age_webhook, NULL, 0,
	    ROUTE_NO_AGE_GATE},
	/* billing (pages/{join,subscription,billing_webhook}.c) */
	{HTTP_M(HTTP_POST), "/account/subscription/cancel", AUTH_MEMBER, page_subscription_cancel,
	    sub_cancel_params, SUB_CANCEL__MAX, 0},
	{HTTP_M(HTTP_GET), "/join", AUTH_NONE, page_join, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/join", AUTH_NONE, page_join_post, join_params, JOIN__MAX, 0},
	{HTTP_M(HTTP_POST), "/webhooks/billing", AUTH_NONE, page_billing_webhook, NULL, 0,
	    ROUTE_NO_AGE_GATE},
#ifdef MARQUEE_TEST_ROUTES
	{HTTP_M(HTTP_GET), "/__test/crash", AUTH_NONE, page_test_crash, NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET) | HTTP_M(HTTP_POST), "/__test/echo", AUTH_NONE, page_test_echo,
	    test_echo_params, TEST_ECHO__MAX, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/__test/forbidden-syscall", AUTH_NONE, page_test_forbidden_syscall,
	    NULL, 0, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/__test/sleep", AUTH_NONE, page_test_sleep,
	    test_sleep_params, TEST_SLEEP__MAX, ROUTE_NO_AGE_GATE},
	{HTTP_M(HTTP_GET), "/__test/blob", AUTH_NONE, page_test_blob,
	    test_blob_params, TEST_BLOB__MAX, ROUTE_NO_AGE_GATE},
#endif
};
const size_t routes_count = NELEM(routes_table);

void
http_serve(struct app *app, struct arena *a, const struct http_input *in, struct response *resp)
{
	http_serve_routes(routes_table, routes_count, app, a, in, resp);
}
