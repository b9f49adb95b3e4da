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

/* GET /healthz: 200 "ok" when the database answers, 503 otherwise (health.c). */
int page_healthz(struct app *app, struct request *req, struct response *resp);

/* GET /: the home page (home.c). */
int page_home(struct app *app, struct request *req, struct response *resp);

#ifdef MARQUEE_TEST_ROUTES
/*
 * Fault-injection routes for the test suite (testroutes.c), compiled only
 * with ./configure --enable-test-routes, never in production.
 */
enum test_sleep_param { TEST_SLEEP_MS, TEST_SLEEP__MAX };
enum test_echo_param { TEST_ECHO_NAME, TEST_ECHO_N, TEST_ECHO_SORT, TEST_ECHO_COOKIE, TEST_ECHO__MAX };
int page_test_sleep(struct app *app, struct request *req, struct response *resp);
int page_test_crash(struct app *app, struct request *req, struct response *resp);
int page_test_echo(struct app *app, struct request *req, struct response *resp);
#endif

#endif
