/*
 * pages.h - the page handlers the route table (routes.c) points at.
 *
 * Each follows handler_fn (router.h): fill the response and return 0, or
 * return an HTTP status >= 400 for the standard error page.  One file per
 * page or resource under src/pages/.
 */
#ifndef MARQUEE_PAGES_H
#define MARQUEE_PAGES_H

struct app;
struct request;
struct response;
struct tval;

/* GET /healthz: 200 "ok" when the database answers, 503 otherwise (health.c). */
int page_healthz(struct app *app, struct request *req, struct response *resp);

/* GET /: collections, newest and most viewed rows (home.c). */
int page_home(struct app *app, struct request *req, struct response *resp);

/* ---- pages: catalog content pages (issue 5) ---- */

/*
 * Highest page number a catalog grid accepts (collection, filmography).
 * Why: far beyond any real listing (10,000 pages of 24 = 240,000 videos),
 * and a bound keeps OFFSET arithmetic small; larger numbers are a 400.
 */
#define PAGES_PAGE_MAX 10000

/* Sort orders of the collection grid, in the order of its route's V_ENUM (index = enum value). */
enum collection_sort { COLL_SORT_NEWEST, COLL_SORT_VIEWS, COLL_SORT_RATING, COLL_SORT_DURATION, COLL_SORT__MAX };
#define COLLECTION_SORTS "newest", "views", "rating", "duration"
#define COLLECTION_QUALITIES "4k", "1080p", "720p", "480p"
enum collection_param { COLLECTION_SORT, COLLECTION_QUALITY, COLLECTION_PAGE, COLLECTION__MAX };

/* Sort orders of a performer's filmography (index = enum value). */
enum performer_sort { PERF_SORT_NEWEST, PERF_SORT_VIEWS, PERF_SORT__MAX };
#define PERFORMER_SORTS "newest", "views"
enum performer_param { PERFORMER_SORT, PERFORMER_PAGE, PERFORMER__MAX };

/* GET /collections: every active collection, in sort_order (home.c). */
int page_collections(struct app *app, struct request *req, struct response *resp);

/* GET /collections/{slug}: header in the collection's colours, sortable, filterable grid (collection.c). */
int page_collection(struct app *app, struct request *req, struct response *resp);

/* GET /collections.css: one class per collection with its validated colours (collection.c). */
int page_collection_themes(struct app *app, struct request *req, struct response *resp);

/* GET /videos/{slug}: a live video, its performers, photos, related videos (video.c). */
int page_video(struct app *app, struct request *req, struct response *resp);

/* GET /performers/{slug}: profile, links, filmography, gallery (performer.c). */
int page_performer(struct app *app, struct request *req, struct response *resp);

/* ---- end pages ---- */

/* ---- discovery: lists, search, legal pages, crawler files (issue 5) ---- */

/* Keys of GET /performers; letter is one of PERFORMERS_LETTERS ("0": not a Latin letter). */
#define PERFORMERS_LETTERS "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", \
	"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "0"
enum performers_param { PERFORMERS_LETTER, PERFORMERS_PAGE, PERFORMERS__MAX };
/* Highest page of a letter: 1,000 pages of 48 is far beyond any catalog's performers. */
#define PERFORMERS_PAGE_MAX 1000
/* Keys of GET /search and GET /search/suggest. */
enum search_param { SEARCH_Q, SEARCH_PAGE, SEARCH__MAX };
enum suggest_param { SUGGEST_Q, SUGGEST__MAX };
/* Keys of GET /sitemap.xml. */
enum sitemap_param { SITEMAP_PAGE, SITEMAP__MAX };
/*
 * Longest search text, in characters.  Why: the box sends at most 200;
 * anything up to 4,096 (pasted text, junk) still gets a results page
 * instead of an error, and websearch_to_tsquery handles it in microseconds.
 */
#define SEARCH_Q_MAX 4096
/* Highest search results page: search.c ranks at most 480 matches, 24 a page. */
#define SEARCH_PAGE_MAX 20

/* GET /performers: top performers and A-Z browsing (performers.c). */
int page_performers(struct app *app, struct request *req, struct response *resp);

/* GET /search?q=&page=: videos and performers by full-text search (search.c). */
int page_search(struct app *app, struct request *req, struct response *resp);

/* GET /search/suggest?q=: JSON {videos, performers, collections} for the search box (search.c). */
int page_search_suggest(struct app *app, struct request *req, struct response *resp);

/* GET /2257, /terms, /privacy, /robots.txt (static_pages.c). */
int page_2257(struct app *app, struct request *req, struct response *resp);
int page_terms(struct app *app, struct request *req, struct response *resp);
int page_privacy(struct app *app, struct request *req, struct response *resp);
int page_robots(struct app *app, struct request *req, struct response *resp);

/* GET /sitemap.xml[?page=N]: URLs for crawlers, videos with the video extension (sitemap.c). */
int page_sitemap(struct app *app, struct request *req, struct response *resp);

/* ---- end discovery ---- */

/* ---- playback: HLS authorisation, watch progress, history (issue 6) ---- */

/* Keys of POST /api/progress (progress.c). */
enum progress_param { PROGRESS_VIDEO, PROGRESS_POSITION, PROGRESS_DURATION, PROGRESS_CSRF, PROGRESS__MAX };
/* Keys of GET /account/history and its two POST forms (history.c). */
enum history_param { HISTORY_PAGE, HISTORY__MAX };
enum history_remove_param { HISTORY_REMOVE_VIDEO, HISTORY_REMOVE_CSRF, HISTORY_REMOVE__MAX };
enum history_clear_param { HISTORY_CLEAR_CSRF, HISTORY_CLEAR__MAX };
/* Highest history page: 1,000 pages of 24 is far more than any member watches. */
#define HISTORY_PAGE_MAX 1000

/* GET /internal/hls-auth: nginx's auth_request for /hls/ (hls_auth.c). */
int page_hls_auth(struct app *app, struct request *req, struct response *resp);

/* POST /api/progress: the player's position, upserted into the watch history (progress.c). */
int page_progress(struct app *app, struct request *req, struct response *resp);

/* GET /account/history, POST /account/history/remove and /account/history/clear (history.c). */
int page_history(struct app *app, struct request *req, struct response *resp);
int page_history_remove(struct app *app, struct request *req, struct response *resp);
int page_history_clear(struct app *app, struct request *req, struct response *resp);

/* ---- end playback ---- */

/* ---- accounts: sign up, log in, account, age gate (issue 6) ---- */

/* Keys of each accounts form, in its route's param table (routes.c). */
enum auth_page_param { AUTH_PAGE_NEXT, AUTH_PAGE_CREATED, AUTH_PAGE__MAX };   /* GET /login, /signup */
enum account_page_param { ACCOUNT_PAGE_SAVED, ACCOUNT_PAGE__MAX };             /* GET /account */
#define ACCOUNT_SAVED "preferences", "password"
enum signup_param { SIGNUP_EMAIL, SIGNUP_USERNAME, SIGNUP_PASSWORD, SIGNUP_NEXT, SIGNUP_CSRF, SIGNUP__MAX };
enum login_param { LOGIN_EMAIL, LOGIN_PASSWORD, LOGIN_NEXT, LOGIN_CSRF, LOGIN__MAX };
enum csrf_only_param { CSRF_ONLY_CSRF, CSRF_ONLY__MAX };
enum prefs_param { PREFS_QUALITY, PREFS_AUTOPLAY, PREFS_HISTORY_PAUSED, PREFS_CSRF, PREFS__MAX };
enum password_param { PASSWORD_CURRENT, PASSWORD_NEW, PASSWORD_CSRF, PASSWORD__MAX };
enum delete_param { DELETE_PASSWORD, DELETE_CONFIRM, DELETE_CSRF, DELETE__MAX };
enum agegate_param { AGEGATE_NEXT, AGEGATE_CSRF, AGEGATE__MAX };
#define ACCOUNT_QUALITIES "480p", "720p", "1080p", "4k"
/* Username: 3..30 characters (shown on pages; longer ones break layouts). */
#define ACCOUNT_USERNAME_MIN 3
#define ACCOUNT_USERNAME_MAX 30
/*
 * Password: at least 10 characters (NIST SP 800-63B asks 8; 10 costs users
 * little), at most 1024 bytes (Argon2 hashes any length, but a megabyte of
 * "password" is a denial-of-service lever, not a password).
 */
#define ACCOUNT_PASSWORD_MIN 10
#define ACCOUNT_PASSWORD_MAX 1024

/* GET/POST /signup, GET/POST /login, POST /logout (account.c). */
int page_signup(struct app *app, struct request *req, struct response *resp);
int page_signup_post(struct app *app, struct request *req, struct response *resp);
int page_login(struct app *app, struct request *req, struct response *resp);
int page_login_post(struct app *app, struct request *req, struct response *resp);
int page_logout(struct app *app, struct request *req, struct response *resp);
/* GET /account; POST /account/preferences, /account/password, /account/delete, /account/logout-all (account.c). */
int page_account(struct app *app, struct request *req, struct response *resp);
int page_account_prefs(struct app *app, struct request *req, struct response *resp);
int page_account_password(struct app *app, struct request *req, struct response *resp);
int page_account_delete(struct app *app, struct request *req, struct response *resp);
int page_account_logout_all(struct app *app, struct request *req, struct response *resp);

/* GET/POST /age-gate, POST /webhooks/age-verification (agegate.c). */
int page_agegate(struct app *app, struct request *req, struct response *resp);
int page_agegate_post(struct app *app, struct request *req, struct response *resp);
int page_age_webhook(struct app *app, struct request *req, struct response *resp);

/* agegate_check's "the response is complete" (a redirect to the gate). */
#define AGEGATE_SENT 1
/* The age cookie, "1" once the visitor clicked "I am 18 or older". */
#define AGEGATE_COOKIE "marquee_age"

/*
 * Run by http_serve for every routed request, after sess_load: look up the
 * jurisdiction rule, set req->restricted, and for gated routes (no
 * ROUTE_NO_AGE_GATE in flags) answer 451 where the rule blocks, or send a
 * visitor without the age cookie to /age-gate?next=<this page>.
 * Returns 0 (go on), AGEGATE_SENT (redirected), or a status (451, 503).
 */
int agegate_check(struct app *app, struct request *req, struct response *resp, unsigned flags);

/* ---- end accounts ---- */

/* ---- billing: plans, checkout, processor webhooks, the account's subscription (issue 6) ---- */

/* Keys of POST /join; plan is one of JOIN_PLANS (index = enum join_plan). */
enum join_plan { JOIN_PLAN_MONTHLY, JOIN_PLAN_ANNUAL, JOIN_PLAN__MAX };
#define JOIN_PLANS "monthly", "annual"
enum join_param { JOIN_PLAN, JOIN_CSRF, JOIN__MAX };
enum sub_cancel_param { SUB_CANCEL_CSRF, SUB_CANCEL__MAX };

/* GET /join: the plans from the configuration; a form for members (join.c). */
int page_join(struct app *app, struct request *req, struct response *resp);

/*
 * POST /join: anonymous -> 303 /signup?next=/join; entitled -> 303 /account;
 * else 303 to the processor's hosted form with signed parameters (join.c).
 */
int page_join_post(struct app *app, struct request *req, struct response *resp);

/* POST /webhooks/billing: the processor's signed events (billing_webhook.c). */
int page_billing_webhook(struct app *app, struct request *req, struct response *resp);

/* POST /account/subscription/cancel: canceled now, access until the period ends (subscription.c). */
int page_subscription_cancel(struct app *app, struct request *req, struct response *resp);

/*
 * For the account page: set ctx.subscription (template values, tval.h,
 * built in the request's arena) to the member's newest subscription
 * {plan, status, status_label, amount, currency, period_start, period_end,
 * next_billing?, canceled_on?, last4?, entitled, cancelable, canceled,
 * past_due, expired}, or null with ctx.no_subscription = true; the partial
 * templates/account-subscription.mustache renders it (it needs ctx.csrf).
 * Returns 0, or 503/500 when the database fails (subscription.c).
 */
int subscription_account_ctx(struct app *app, struct request *req, struct tval *ctx);

/* ---- end billing ---- */

#ifdef MARQUEE_TEST_ROUTES
/*
 * Fault-injection routes for the test suite (testroutes.c), compiled only
 * with ./configure --enable-test-routes, never in production.
 */
enum test_sleep_param { TEST_SLEEP_MS, TEST_SLEEP__MAX };
enum test_echo_param { TEST_ECHO_NAME, TEST_ECHO_N, TEST_ECHO_SORT, TEST_ECHO_COOKIE, TEST_ECHO__MAX };
int page_test_sleep(struct app *app, struct request *req, struct response *resp);
int page_test_crash(struct app *app, struct request *req, struct response *resp);
int page_test_forbidden_syscall(struct app *app, struct request *req, struct response *resp);
int page_test_echo(struct app *app, struct request *req, struct response *resp);
enum test_blob_param { TEST_BLOB_BYTES, TEST_BLOB__MAX };
int page_test_blob(struct app *app, struct request *req, struct response *resp);
#endif

#endif
