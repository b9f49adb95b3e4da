/*
 * test_response.c - the whole pipeline through http_serve_routes with a test
 * route table: status lines, error pages (built-in and from the real
 * templates), 404/405/301/304/413/503, HEAD, caching headers, ETag,
 * security headers, cookies, and the response helpers' refusals.
 */
#include "t.h"

#include "app.h"
#include "arena.h"
#include "config.h"
#include "http.h"
#include "router.h"
#include "tmpl.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- handlers */

static int
h_page(struct app *app, struct request *req, struct response *resp)
{
	resp_text(resp, 200, "text/html; charset=utf-8", "<p>hello</p>");
	return 0;
}

static int
h_503(struct app *app, struct request *req, struct response *resp)
{
	return 503;
}

static int
h_500(struct app *app, struct request *req, struct response *resp)
{
	resp_text(resp, 200, "text/plain", "secret internals: password=hunter2");
	return 500;
}

/* A page whose form leads elsewhere (like /join to the processor); bad origins are refused. */
static int
h_form_action(struct app *app, struct request *req, struct response *resp)
{
	int bad = resp_form_action(resp, "javascript:x") + resp_form_action(resp, "https://a.test/pay") +
	    resp_form_action(resp, "https://a.test:") + resp_form_action(resp, "https://a.test:123456") +
	    resp_form_action(resp, "https://a b.test") + resp_form_action(resp, "https://a.test;script-src *") +
	    resp_form_action(resp, "https://");
	resp_text(resp, 200, "text/html; charset=utf-8", bad == -7 ? "refused" : "accepted");
	return resp_form_action(resp, "http://127.0.0.1:9000") == 0 ? 0 : 500;
}

static int
h_weird(struct app *app, struct request *req, struct response *resp)
{
	return 42;
}

static int
h_cookie(struct app *app, struct request *req, struct response *resp)
{
	const struct cookie_opts o = {3600, 1, 1, SAMESITE_LAX, NULL};
	const struct cookie_opts session = {-1, 1, 0, SAMESITE_STRICT, "/account"};
	const struct cookie_opts none_insecure = {60, 1, 0, SAMESITE_NONE, NULL};
	const struct cookie_opts del = {0, 1, 1, SAMESITE_LAX, NULL};
	int refused = 0;
	resp_cookie(resp, "sid", "abc123", &o);
	resp_cookie(resp, "pref", "x", &session);
	resp_cookie(resp, "gone", "", &del);
	refused += resp_cookie(resp, "bad", "a;b", &o) == -1;
	refused += resp_cookie(resp, "bad name", "a", &o) == -1;
	refused += resp_cookie(resp, "n", "a", &none_insecure) == -1;
	refused += resp_header(resp, "X-Evil", "a\r\nSet-Cookie: x=y") == -1;
	refused += resp_header(resp, "Bad Name", "a") == -1;
	refused += resp_header(resp, "Content-Length", "0") == -1;
	refused += resp_header(resp, "cache-control", "public") == -1;
	resp_header(resp, "X-Fine", "yes");
	resp_text(resp, 200, "text/plain", refused == 7 ? "refused all" : "accepted something");
	return 0;
}

static int
h_json(struct app *app, struct request *req, struct response *resp)
{
	return resp_json(resp, 200, json_pack("{s:s}", "a", "b"));
}

static int
h_redirect(struct app *app, struct request *req, struct response *resp)
{
	if (resp_redirect(resp, 303, "//evil.example/") != 500)
		return 0;       /* would be a bug: the test sees a 303 */
	if (resp_redirect(resp, 303, "/x\r\nSet-Cookie: a=b") != 500)
		return 0;
	return resp_redirect(resp, 303, "/done?x=1");
}

enum { F_PAGE, F_NAME, F__MAX };
static const struct param fparams[F__MAX] = {
	[F_PAGE] = {"page", PARAM_QUERY, V_INT(1, 10), 0},
	[F_NAME] = {"name", PARAM_FORM, V_STRING(1, 5), 1},
};

static int
h_form(struct app *app, struct request *req, struct response *resp)
{
	const struct field *f = req_field(req, F_NAME);
	char *s = arena_printf(resp->arena, "%s:%s", f->state == FIELD_INVALID ? "invalid" : "valid",
	    f->why ? f->why : "-");
	resp_text(resp, 200, "text/plain", s);
	return 0;
}

static const struct route table[] = {
	{HTTP_M(HTTP_GET), "/page", AUTH_NONE, h_page, fparams, 1, 0},
	{HTTP_M(HTTP_GET), "/down", AUTH_NONE, h_503, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/boom", AUTH_NONE, h_500, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/weird", AUTH_NONE, h_weird, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/form-action", AUTH_NONE, h_form_action, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/cookie", AUTH_NONE, h_cookie, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/json", AUTH_NONE, h_json, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/redirect", AUTH_NONE, h_redirect, NULL, 0, 0},
	{HTTP_M(HTTP_POST), "/form", AUTH_NONE, h_form, fparams, F__MAX, ROUTE_FORM_ERRORS},
	{HTTP_M(HTTP_POST), "/strict", AUTH_NONE, h_form, fparams, F__MAX, 0},
	{HTTP_M(HTTP_GET), "/internal", AUTH_INTERNAL, h_page, NULL, 0, 0},
	{HTTP_M(HTTP_GET), "/members", AUTH_MEMBER, h_page, NULL, 0, 0},
};

/* ---------------------------------------------------------------- harness */

struct body_src {
	const char *data;
	size_t      len, pos;
	int         calls;
	int         fail;
};

/* Hands out at most 7 bytes per call, to exercise the read loop. */
static long
read_src(void *ud, char *dst, size_t n)
{
	struct body_src *b = ud;
	b->calls++;
	if (b->fail)
		return -1;
	size_t k = b->len - b->pos;
	if (k > n)
		k = n;
	if (k > 7)
		k = 7;
	if (k)
		memcpy(dst, b->data + b->pos, k);
	b->pos += k;
	return (long)k;
}

static struct app APP;
static struct arena *A;   /* the request arena, reset by serve() */
static struct arena *T;   /* test strings that outlive a request */
static struct response RESP;
static struct buf HEAD = BUF_INIT;
static struct body_src SRC;

/* Serve method+uri with optional extra params (NULL-terminated) and body. */
static int
serve(const char *method, const char *uri, const char *body, size_t blen, ...)
{
	char *env[32];
	size_t n = 0;
	arena_reset(A);
	resp_reset(&RESP);
	buf_reset(&HEAD);
	env[n++] = arena_printf(A, "REQUEST_METHOD=%s", method);
	env[n++] = arena_printf(A, "REQUEST_URI=%s", uri);
	env[n++] = "REQUEST_ID=testrequest0123456789abcdef";
	va_list ap;
	va_start(ap, blen);
	for (const char *s; (s = va_arg(ap, const char *)) != NULL && n < 31; )
		env[n++] = (char *)s;
	va_end(ap);
	env[n] = NULL;
	SRC = (struct body_src){body, blen, 0, 0, 0};
	struct http_input in = {env, read_src, &SRC};
	http_serve_routes(table, NELEM(table), &APP, A, &in, &RESP);
	resp_write_head(&RESP, &HEAD);
	return resp_status(&RESP);
}

#define SERVE(m, u, ...) serve(m, u, NULL, 0, ##__VA_ARGS__, (const char *)NULL)

static int
head_has(const char *s)
{
	return HEAD.data && strstr(HEAD.data, s) != NULL;
}

static int
body_has(const char *s)
{
	size_t len;
	const char *b = resp_body(&RESP, &len);
	size_t n = strlen(s);
	for (size_t i = 0; b && i + n <= len; i++)
		if (memcmp(b + i, s, n) == 0)
			return 1;
	return 0;
}

/* Every <script element in the body loads our own file (CSP: no inline script). */
static int
scripts_external(void)
{
	size_t len;
	const char *b = resp_body(&RESP, &len);
	static const char tag[] = "<script", ok[] = "<script src=\"/static/";
	for (size_t i = 0; b && i + sizeof tag - 1 <= len; i++)
		if (memcmp(b + i, tag, sizeof tag - 1) == 0 &&
		    (i + sizeof ok - 1 > len || memcmp(b + i, ok, sizeof ok - 1) != 0))
			return 0;
	return 1;
}

/* The value of header `name` in the serialised head, in a static buffer. */
static const char *
head_value(const char *name)
{
	static char v[512];
	char pat[128];
	snprintf(pat, sizeof pat, "\r\n%s: ", name);
	const char *p = HEAD.data ? strstr(HEAD.data, pat) : NULL;
	if (p == NULL)
		return NULL;
	p += strlen(pat);
	size_t k = strcspn(p, "\r");
	snprintf(v, sizeof v, "%.*s", (int)k, p);
	return v;
}

/* ---------------------------------------------------------------- tests */

static void
test_ok(void)
{
	T_CHECK("200 page", SERVE("GET", "/page") == 200);
	T_CHECK("status line first", strncmp(HEAD.data, "Status: 200 OK\r\n", 16) == 0);
	T_CHECK("head ends with a blank line", HEAD.len > 4 &&
	    strcmp(HEAD.data + HEAD.len - 4, "\r\n\r\n") == 0);
	T_STREQ("content type", head_value("Content-Type"), "text/html; charset=utf-8");
	T_STREQ("content length", head_value("Content-Length"), "12");
	T_CHECK("body", body_has("<p>hello</p>"));
	T_STREQ("cache public", head_value("Cache-Control"), "public, max-age=60");
	T_STREQ("public pages vary on Cookie", head_value("Vary"), "Cookie");
	T_STREQ("public pages stay 1 s in the micro-cache", head_value("X-Accel-Expires"), "1");
	T_CHECK("strong etag", head_value("ETag") && head_value("ETag")[0] == '"' &&
	    strlen(head_value("ETag")) == 18);
	T_CHECK("csp", head_has("Content-Security-Policy: default-src 'self'; script-src 'self'; "));
	T_CHECK("csp frame-ancestors none", head_has("frame-ancestors 'none'"));
	T_CHECK("csp no unsafe-inline", !head_has("unsafe-inline"));
	T_STREQ("nosniff", head_value("X-Content-Type-Options"), "nosniff");
	T_STREQ("referrer policy", head_value("Referrer-Policy"), "strict-origin-when-cross-origin");
	T_STREQ("x-frame-options", head_value("X-Frame-Options"), "DENY");
	T_STREQ("rating header", head_value("Rating"), "RTA-5042-1996-1400-1577-RTA");
	T_STREQ("request id echoed", head_value("X-Request-Id"), "testrequest0123456789abcdef");
	T_CHECK("request kept for the log", RESP.req != NULL &&
	    strcmp(req_path(RESP.req), "/page") == 0 && strcmp(req_method_name(RESP.req), "GET") == 0);
	T_CHECK("no header twice", strstr(strstr(HEAD.data, "Rating:") + 1, "Rating:") == NULL);
}

static void
test_head_and_etag(void)
{
	SERVE("GET", "/page");
	char etag[64], len[16];
	snprintf(etag, sizeof etag, "%s", head_value("ETag"));
	snprintf(len, sizeof len, "%s", head_value("Content-Length"));

	T_CHECK("HEAD 200", SERVE("HEAD", "/page") == 200);
	size_t n = 99;
	T_CHECK("HEAD has no body", resp_body(&RESP, &n) == NULL && n == 0);
	T_STREQ("HEAD same content length", head_value("Content-Length"), len);
	T_STREQ("HEAD same etag", head_value("ETag"), etag);
	T_CHECK("HEAD keeps security headers", head_has("Content-Security-Policy:"));

	char *inm = arena_printf(T, "HTTP_IF_NONE_MATCH=%s", etag);
	char *inm_copy = strdup(inm);
	T_CHECK("If-None-Match 304", SERVE("GET", "/page", inm_copy) == 304);
	T_CHECK("304 no body", resp_body(&RESP, &n) == NULL);
	T_CHECK("304 no content length", head_value("Content-Length") == NULL);
	T_CHECK("304 no content type", head_value("Content-Type") == NULL);
	T_STREQ("304 keeps etag", head_value("ETag"), etag);
	T_STREQ("304 keeps cache-control", head_value("Cache-Control"), "public, max-age=60");
	T_CHECK("304 status line", strncmp(HEAD.data, "Status: 304 Not Modified\r\n", 26) == 0);
	T_CHECK("HEAD with If-None-Match 304", SERVE("HEAD", "/page", inm_copy) == 304);
	free(inm_copy);

	char *weak = strdup(arena_printf(T, "HTTP_IF_NONE_MATCH=W/%s", etag));
	T_CHECK("weak match 304", SERVE("GET", "/page", weak) == 304);
	free(weak);
	char *list = strdup(arena_printf(T, "HTTP_IF_NONE_MATCH=\"nope\", %s", etag));
	T_CHECK("list match 304", SERVE("GET", "/page", list) == 304);
	free(list);
	T_CHECK("star 304", SERVE("GET", "/page", "HTTP_IF_NONE_MATCH=*") == 304);
	T_CHECK("other tag 200", SERVE("GET", "/page", "HTTP_IF_NONE_MATCH=\"nope\"") == 200);
	T_CHECK("garbage tag 200", SERVE("GET", "/page", "HTTP_IF_NONE_MATCH=nope") == 200);
	T_CHECK("unterminated tag 200", SERVE("GET", "/page", "HTTP_IF_NONE_MATCH=\"abc") == 200);

	T_CHECK("session cookie makes it private", SERVE("GET", "/page",
	    "HTTP_COOKIE=marquee_session=abc") == 200);
	T_STREQ("private no-store", head_value("Cache-Control"), "private, no-store");
	T_CHECK("private has no etag", head_value("ETag") == NULL);
	T_CHECK("private has no Vary", head_value("Vary") == NULL);
	T_CHECK("other cookies stay public", SERVE("GET", "/page", "HTTP_COOKIE=theme=dark") == 200 &&
	    strcmp(head_value("Cache-Control"), "public, max-age=60") == 0);
}

static void
test_errors(void)
{
	T_CHECK("404", SERVE("GET", "/nope") == 404);
	T_CHECK("404 status line", strncmp(HEAD.data, "Status: 404 Not Found\r\n", 23) == 0);
	T_CHECK("404 built-in page", body_has("<h1>404 Not Found</h1>") && body_has("home page"));
	T_CHECK("404 page has request id", body_has("testrequest0123456789abcdef"));
	T_CHECK("404 page has the RTA meta tag", body_has("<meta name=\"rating\""));
	T_STREQ("404 no-store", head_value("Cache-Control"), "no-store");
	T_CHECK("404 is HTML with CSP", head_has("Content-Security-Policy:"));
	T_CHECK("404 HEAD no body", SERVE("HEAD", "/nope") == 404 &&
	    resp_body(&RESP, &(size_t){0}) == NULL && head_value("Content-Length") &&
	    atoi(head_value("Content-Length")) > 0);

	T_CHECK("405", SERVE("POST", "/page") == 405);
	T_STREQ("405 Allow", head_value("Allow"), "GET, HEAD");
	T_CHECK("405 page", body_has("405 Method Not Allowed"));
	T_CHECK("405 for unknown method", SERVE("BREW", "/page") == 405);

	T_CHECK("301 trailing slash", SERVE("GET", "/page/?page=2") == 301);
	T_STREQ("301 location keeps query", head_value("Location"), "/page?page=2");
	T_CHECK("301 no content type", head_value("Content-Type") == NULL);
	T_STREQ("301 has zero length", head_value("Content-Length"), "0");
	T_CHECK("301 uppercase", SERVE("GET", "/PAGE") == 301 &&
	    strcmp(head_value("Location"), "/page") == 0);

	T_CHECK("503", SERVE("GET", "/down") == 503);
	T_STREQ("503 Retry-After", head_value("Retry-After"), "10");
	T_CHECK("503 page", body_has("temporarily unavailable"));

	T_CHECK("500 from handler", SERVE("GET", "/boom") == 500);
	T_CHECK("500 never leaks", !body_has("hunter2") && !body_has("secret") &&
	    body_has("Something went wrong"));
	T_CHECK("odd handler return becomes 500", SERVE("GET", "/weird") == 500);

	T_CHECK("400 bad escape", SERVE("GET", "/page%zz") == 400 && body_has("percent-escape"));
	T_CHECK("400 NUL", SERVE("GET", "/a%00") == 400 && body_has("NUL"));
	T_CHECK("400 bad utf8", SERVE("GET", "/%FF") == 400 && body_has("UTF-8"));
	T_CHECK("400 keeps request id header", head_value("X-Request-Id") != NULL);
	T_CHECK("400 invalid parameter names it", SERVE("GET", "/page?page=11") == 400 &&
	    body_has("&quot;page&quot;") && body_has("from 1 to 10"));
	T_CHECK("400 repeated parameter", SERVE("GET", "/page?page=1&page=2") == 400 &&
	    body_has("more than once"));
	T_CHECK("unknown parameter ignored", SERVE("GET", "/page?zzz=1") == 200);

	T_CHECK("431 cookie too big", SERVE("GET", "/page",
	    arena_printf(T, "HTTP_COOKIE=a=%0*d", HTTP_COOKIE_MAX, 0)) == 431);
	T_CHECK("431 page says what to do", body_has("cookies"));
}

static void
test_bodies(void)
{
	const char *form = "name=abc";
	T_CHECK("form read in chunks", serve("POST", "/strict", form, strlen(form),
	    "CONTENT_TYPE=application/x-www-form-urlencoded", (const char *)NULL) == 200 &&
	    SRC.calls >= 3 && body_has("valid:-"));
	T_CHECK("POST response is private", strcmp(head_value("Cache-Control"), "private, no-store") == 0);
	T_CHECK("strict route: invalid form field 400", serve("POST", "/strict", "name=toolong",
	    12, "CONTENT_TYPE=application/x-www-form-urlencoded", (const char *)NULL) == 400 &&
	    body_has("form field &quot;name&quot;"));
	T_CHECK("form-errors route: handler sees the invalid field", serve("POST", "/form",
	    "name=toolong", 12, "CONTENT_TYPE=application/x-www-form-urlencoded",
	    (const char *)NULL) == 200 && body_has("invalid:must be text of 1 to 5"));
	T_CHECK("form-errors route: required field", SERVE("POST", "/form") == 200 &&
	    body_has("invalid:is required"));

	char *big = malloc(HTTP_BODY_MAX + 10);
	memset(big, 'x', HTTP_BODY_MAX + 10);
	T_CHECK("body at max accepted", serve("POST", "/strict", big, HTTP_BODY_MAX,
	    "CONTENT_TYPE=text/plain", (const char *)NULL) == 400 && body_has("is required"));
	T_CHECK("body over max 413", serve("POST", "/strict", big, HTTP_BODY_MAX + 1,
	    "CONTENT_TYPE=text/plain", (const char *)NULL) == 413);
	T_CHECK("413 read at most limit+1 bytes", SRC.pos == HTTP_BODY_MAX + 1);
	T_CHECK("413 page", body_has("413") && body_has("Send less"));
	T_CHECK("lying small CONTENT_LENGTH still bounded", serve("POST", "/strict", big,
	    HTTP_BODY_MAX + 10, "CONTENT_LENGTH=5", (const char *)NULL) == 413);
	T_CHECK("huge CONTENT_LENGTH refused before reading", serve("POST", "/strict", big, 10,
	    "CONTENT_LENGTH=99999999999", (const char *)NULL) == 413 && SRC.calls == 0);
	T_CHECK("malformed CONTENT_LENGTH refused", serve("POST", "/strict", big, 10,
	    "CONTENT_LENGTH=12abc", (const char *)NULL) == 413);
	free(big);
	SRC.fail = 1;
	struct http_input in;
	char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/strict", NULL};
	arena_reset(A);
	resp_reset(&RESP);
	in = (struct http_input){env, read_src, &SRC};
	http_serve_routes(table, NELEM(table), &APP, A, &in, &RESP);
	T_CHECK("body read error 400", resp_status(&RESP) == 400);
	T_CHECK("json bad 400 escaped", serve("POST", "/strict", "{\"<script>", 10,
	    "CONTENT_TYPE=application/json", (const char *)NULL) == 400 && !body_has("<script>"));
	T_CHECK("multipart 415", serve("POST", "/strict", "--x", 3,
	    "CONTENT_TYPE=multipart/form-data; boundary=x", (const char *)NULL) == 415);
}

static void
test_helpers(void)
{
	T_CHECK("cookies route", SERVE("GET", "/cookie") == 200);
	T_CHECK("bad cookies and headers refused", body_has("refused all"));
	T_CHECK("cookie attributes explicit",
	    head_has("\r\nSet-Cookie: sid=abc123; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax\r\n"));
	T_CHECK("session cookie has no Max-Age",
	    head_has("\r\nSet-Cookie: pref=x; Path=/account; HttpOnly; SameSite=Strict\r\n"));
	T_CHECK("deleting cookie Max-Age=0", head_has("Set-Cookie: gone=; Path=/; Max-Age=0;"));
	T_CHECK("no header splitting", !head_has("x=y") && !head_has("X-Evil"));
	T_CHECK("reserved headers not doubled",
	    strstr(strstr(HEAD.data, "Content-Length:") + 1, "Content-Length:") == NULL &&
	    strstr(strstr(HEAD.data, "Cache-Control:") + 1, "Cache-Control:") == NULL);
	T_STREQ("plain header added", head_value("X-Fine"), "yes");
	T_STREQ("Set-Cookie makes it private", head_value("Cache-Control"), "private, no-store");
	T_CHECK("set-cookie response has no etag", head_value("ETag") == NULL);

	T_CHECK("json", SERVE("GET", "/json") == 200 && body_has("{\"a\":\"b\"}"));
	T_STREQ("json content type", head_value("Content-Type"), "application/json");
	T_CHECK("json has nosniff and rating, no CSP", head_value("X-Content-Type-Options") &&
	    head_value("Rating") && head_value("Content-Security-Policy") == NULL);

	T_CHECK("redirect refuses // and CRLF, then 303", SERVE("POST", "/redirect") == 303);
	T_STREQ("303 location", head_value("Location"), "/done?x=1");
	T_STREQ("303 no-store", head_value("Cache-Control"), "no-store");

	T_CHECK("internal route hidden", SERVE("GET", "/internal") == 404);
	T_CHECK("internal route for nginx", SERVE("GET", "/internal", "MARQUEE_INTERNAL=1") == 200);
	T_CHECK("member route 403", SERVE("GET", "/members") == 403 && body_has("403 Forbidden"));

	T_CHECK("form-action: malformed origins refused", SERVE("GET", "/form-action") == 200 &&
	    body_has("refused"));
	T_CHECK("form-action: the origin joins the CSP's form-action",
	    head_has("; form-action 'self' http://127.0.0.1:9000\r\n"));

	resp_reset(&RESP);
	T_CHECK("reset forgets headers and body", RESP.nheaders == 0 && RESP.body.len == 0 &&
	    RESP.status == 200 && RESP.req == NULL && RESP.form_action == NULL);
}

static void
test_templates(void)
{
	const char *srcdir = getenv("srcdir");
	char dir[1024], err[256];
	snprintf(dir, sizeof dir, "%s/templates", srcdir ? srcdir : ".");
	struct tmpl_set *ts = tmpl_set_load_dir(dir, err, sizeof err);
	if (ts == NULL) {
		printf("SKIP: templates (%s)\n", err);
		return;
	}
	APP.tmpl = ts;
	T_CHECK("tmpl 404", SERVE("GET", "/nope") == 404);
	T_CHECK("tmpl 404 in the layout", body_has("<!doctype html>") && body_has("<main id=\"content\"") &&
	    body_has("href=\"/static/css/site.css?v=") && body_has("Skip to main content"));
	T_CHECK("tmpl 404 rta meta", body_has("<meta name=\"rating\" content=\"RTA-5042-1996-1400-1577-RTA\">"));
	T_CHECK("tmpl 404 title", body_has("<title>404 Not Found · Marquee Test</title>"));
	T_CHECK("tmpl 404 says what to do", body_has("Check the address"));
	T_CHECK("tmpl 404 request id", body_has("testrequest0123456789abcdef"));
	T_CHECK("tmpl canonical", body_has("<link rel=\"canonical\" href=\"https://example.test/nope\">"));
	T_CHECK("tmpl footer links", body_has("href=\"/2257\"") && body_has("href=\"/terms\"") &&
	    body_has("href=\"/privacy\""));
	T_CHECK("tmpl search form without JS", body_has("action=\"/search\" method=\"get\""));
	T_CHECK("tmpl no inline script", scripts_external());
	T_CHECK("tmpl error message escaped", serve("POST", "/strict", "{\"<script>", 10,
	    "CONTENT_TYPE=application/json", (const char *)NULL) == 400 && !body_has("<script>"));
	T_CHECK("tmpl 503", SERVE("GET", "/down") == 503 && body_has("Try again in a minute"));
	APP.tmpl = NULL;
	tmpl_set_free(ts);
}

int
main(void)
{
	static struct config cfg;
	cfg.site_name = "Marquee Test";
	cfg.base_url = "https://example.test";
	APP.cfg = &cfg;
	A = arena_new();
	T = arena_new();
	resp_init(&RESP);
	test_ok();
	test_head_and_etag();
	test_errors();
	test_bodies();
	test_helpers();
	test_templates();
	resp_free(&RESP);
	resp_free(NULL);
	buf_free(&HEAD);
	arena_free(A);
	arena_free(T);
	return t_done("test_response");
}
