/*
 * test_router.c - route matching: literals, typed captures, methods (405 +
 * Allow, HEAD for GET), canonical redirects, and router_check on bad tables
 * and on the site's own table.
 */
#include "t.h"

#include "arena.h"
#include "http.h"
#include "router.h"
#include "util.h"

#include <string.h>

static int
h1(struct app *app, struct request *req, struct response *resp)
{
	return 0;
}

static int
h2(struct app *app, struct request *req, struct response *resp)
{
	return 0;
}

static const struct route table[] = {
	{HTTP_M(HTTP_GET), "/", AUTH_NONE, h1, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/healthz", AUTH_NONE, h1, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/videos/{slug:slug}", AUTH_NONE, h1, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/videos/{slug:slug}", AUTH_NONE, h2, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/u/{id:uuid}/p/{n:int}", AUTH_NONE, h1, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/logout", AUTH_NONE, h2, NULL, 0, 0},
	{HTTP_M(HTTP_GET) | HTTP_M(HTTP_DELETE), "/a/b", AUTH_NONE, h1, NULL, 0, 0},
};

static struct arena *A;
static struct request *R;
static struct route_match M;

static enum router_result
route(const char *method, const char *uri)
{
	char *env[3];
	arena_reset(A);
	env[0] = arena_printf(A, "REQUEST_METHOD=%s", method);
	env[1] = arena_printf(A, "REQUEST_URI=%s", uri);
	env[2] = NULL;
	if (req_parse(A, env, NULL, 0, &R) != 0)
		return (enum router_result)-1;
	return router_match(table, NELEM(table), R, &M);
}

static void
test_match(void)
{
	T_CHECK("root", route("GET", "/") == ROUTER_FOUND && M.route == &table[0]);
	T_CHECK("literal", route("GET", "/healthz") == ROUTER_FOUND && M.route == &table[1]);
	T_CHECK("request remembers its route", R->route == &table[1]);
	T_CHECK("unknown path 404", route("GET", "/nope") == ROUTER_NOT_FOUND);
	T_CHECK("prefix is not a match", route("GET", "/health") == ROUTER_NOT_FOUND);
	T_CHECK("longer is not a match", route("GET", "/healthz/x") == ROUTER_NOT_FOUND);
	T_CHECK("slug capture", route("GET", "/videos/my-video") == ROUTER_FOUND &&
	    strcmp(req_capture(R, "slug")->value, "my-video") == 0);
	T_CHECK("unknown capture name", req_capture(R, "id") == NULL);
	T_CHECK("bad slug is 404", route("GET", "/videos/bad_slug") == ROUTER_NOT_FOUND);
	T_CHECK("empty capture is 404", route("GET", "/videos/") != ROUTER_FOUND);
	T_CHECK("encoded slash is not a separator", route("GET", "/videos%2Fmy-video") == ROUTER_NOT_FOUND);
	T_CHECK("encoded slash in a capture is 404", route("GET", "/videos/a%2Fb") == ROUTER_NOT_FOUND);
	T_CHECK("percent-encoded literal decodes", route("GET", "/health%7A") == ROUTER_FOUND);
	T_CHECK("uuid + int captures", route("GET", "/u/123e4567-e89b-12d3-a456-426614174000/p/42") ==
	    ROUTER_FOUND && req_capture(R, "n")->num == 42 && R->ncaptures == 2);
	T_CHECK("int capture bounds: 2147483647", route("GET",
	    "/u/123e4567-e89b-12d3-a456-426614174000/p/2147483647") == ROUTER_FOUND);
	T_CHECK("int capture bounds: 2147483648 is 404", route("GET",
	    "/u/123e4567-e89b-12d3-a456-426614174000/p/2147483648") == ROUTER_NOT_FOUND);
	T_CHECK("int capture negative is 404", route("GET",
	    "/u/123e4567-e89b-12d3-a456-426614174000/p/-1") == ROUTER_NOT_FOUND);
	T_CHECK("bad uuid is 404", route("GET", "/u/123/p/1") == ROUTER_NOT_FOUND);
	T_CHECK("dot segments are not resolved", route("GET", "/videos/../healthz") == ROUTER_NOT_FOUND);
	T_CHECK("double slash is 404", route("GET", "//healthz") == ROUTER_NOT_FOUND);
}

static void
test_methods(void)
{
	T_CHECK("HEAD answers where GET does", route("HEAD", "/healthz") == ROUTER_FOUND &&
	    M.route == &table[1]);
	T_CHECK("POST on GET route 405", route("POST", "/healthz") == ROUTER_BAD_METHOD);
	T_STREQ("Allow for GET route", router_allow_header(A, M.allow), "GET, HEAD");
	T_CHECK("same pattern, method picks the route", route("POST", "/videos/x") == ROUTER_FOUND &&
	    M.route == &table[3]);
	T_CHECK("same pattern, GET", route("GET", "/videos/x") == ROUTER_FOUND && M.route == &table[2]);
	T_CHECK("PUT on shared pattern 405", route("PUT", "/videos/x") == ROUTER_BAD_METHOD);
	T_STREQ("Allow unions the entries", router_allow_header(A, M.allow), "GET, HEAD, POST");
	T_CHECK("GET on POST-only route 405", route("GET", "/logout") == ROUTER_BAD_METHOD);
	T_STREQ("Allow POST only", router_allow_header(A, M.allow), "POST");
	T_CHECK("HEAD on POST-only route 405", route("HEAD", "/logout") == ROUTER_BAD_METHOD);
	T_CHECK("unknown method 405", route("BREW", "/healthz") == ROUTER_BAD_METHOD);
	T_CHECK("DELETE route", route("DELETE", "/a/b") == ROUTER_FOUND);
	T_CHECK("OPTIONS on DELETE route 405", route("OPTIONS", "/a/b") == ROUTER_BAD_METHOD);
	T_STREQ("Allow GET HEAD DELETE", router_allow_header(A, M.allow), "GET, HEAD, DELETE");
	T_CHECK("405 leaves no captures", route("PUT", "/videos/x") == ROUTER_BAD_METHOD &&
	    R->ncaptures == 0);
}

static void
test_canonical(void)
{
	T_CHECK("trailing slash 301", route("GET", "/healthz/") == ROUTER_REDIRECT);
	T_STREQ("trailing slash location", M.location, "/healthz");
	T_CHECK("several trailing slashes", route("GET", "/healthz///") == ROUTER_REDIRECT &&
	    strcmp(M.location, "/healthz") == 0);
	T_CHECK("uppercase 301", route("GET", "/HealthZ") == ROUTER_REDIRECT &&
	    strcmp(M.location, "/healthz") == 0);
	T_CHECK("uppercase capture 301", route("GET", "/Videos/My-Video/?page=2&q=A+B") == ROUTER_REDIRECT);
	T_STREQ("query kept as is", M.location, "/videos/my-video?page=2&q=A+B");
	T_CHECK("HEAD redirects too", route("HEAD", "/healthz/") == ROUTER_REDIRECT);
	T_CHECK("POST is not redirected", route("POST", "/logout/") == ROUTER_NOT_FOUND);
	T_CHECK("redirect only to a matching route", route("GET", "/Nope/") == ROUTER_NOT_FOUND);
	T_CHECK("root is canonical", route("GET", "/") == ROUTER_FOUND);
	T_CHECK("no open redirect from //host/", route("GET", "//evil.example/") == ROUTER_NOT_FOUND);
	T_CHECK("no open redirect from //HEALTHZ", route("GET", "//HEALTHZ") == ROUTER_NOT_FOUND);
	T_CHECK("raw utf8 in query percent-encoded", route("GET", "/healthz/?q=\xc3\xa9") ==
	    ROUTER_REDIRECT && strcmp(M.location, "/healthz?q=%C3%A9") == 0);
	T_CHECK("location is a local path", route("GET", "/HEALTHZ?x=1") == ROUTER_REDIRECT &&
	    valid_local_path(M.location, strlen(M.location)));
}

/* V_ENUM's compound literal needs file scope to be a constant. */
static const struct param good_params[] = {{"s", PARAM_QUERY, V_ENUM("a", "b"), 0}};

static int
check(const struct route *t, size_t n)
{
	char err[256];
	return router_check(t, n, err, sizeof err);
}

static void
test_check(void)
{
	T_CHECK("check good table", check(table, NELEM(table)) == 0);
	struct route bad = {HTTP_M(HTTP_GET), "/ok", AUTH_NONE, h1, NULL, 0, 0};
	T_CHECK("check good route", check(&bad, 1) == 0);
	bad.pattern = "ok";
	T_CHECK("check no leading slash", check(&bad, 1) == -1);
	bad.pattern = "/ok/";
	T_CHECK("check trailing slash", check(&bad, 1) == -1);
	bad.pattern = "/OK";
	T_CHECK("check uppercase literal", check(&bad, 1) == -1);
	bad.pattern = "/a//b";
	T_CHECK("check empty segment", check(&bad, 1) == -1);
	bad.pattern = "/x/{id:number}";
	T_CHECK("check unknown capture type", check(&bad, 1) == -1);
	bad.pattern = "/x/{id}";
	T_CHECK("check capture without type", check(&bad, 1) == -1);
	bad.pattern = "/x/{:int}";
	T_CHECK("check unnamed capture", check(&bad, 1) == -1);
	bad.pattern = "/{a:int}/{b:int}/{c:int}/{d:int}/{e:int}";
	T_CHECK("check too many captures", check(&bad, 1) == -1);
	bad.pattern = "/{a:int}/{b:int}/{c:int}/{d:int}";
	T_CHECK("check captures at max", check(&bad, 1) == 0);
	bad.pattern = "/ok";
	bad.methods = 0;
	T_CHECK("check no methods", check(&bad, 1) == -1);
	bad.methods = HTTP_M(HTTP_OTHER);
	T_CHECK("check OTHER is not routable", check(&bad, 1) == -1);
	bad.methods = HTTP_M(HTTP_GET);
	bad.handler = NULL;
	T_CHECK("check no handler", check(&bad, 1) == -1);
	bad.handler = h1;
	static const struct param noname[] = {{NULL, PARAM_QUERY, V_INT(0, 1), 0}};
	bad.params = noname;
	bad.nparams = 1;
	T_CHECK("check param without name", check(&bad, 1) == -1);
	static const struct param nomembers[] = {{"s", PARAM_QUERY, {.kind = VALID_ENUM}, 0}};
	bad.params = nomembers;
	T_CHECK("check enum without members", check(&bad, 1) == -1);
	bad.params = good_params;
	T_CHECK("check good params", check(&bad, 1) == 0);

	char err[256];
	int rc = router_check(routes_table, routes_count, err, sizeof err);
	T_CHECK("the site's route table is well-formed", rc == 0);
	if (rc)
		printf("# %s\n", err);
}

int
main(void)
{
	A = arena_new();
	test_match();
	test_methods();
	test_canonical();
	test_check();
	arena_free(A);
	return t_done("test_router");
}
