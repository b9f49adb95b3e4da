/*
 * test_request.c - req_parse and req_bind: every limit at its boundary and
 * every class of error (decoding, limits, headers, cookies, bodies, binding).
 */
#include "t.h"

#include "arena.h"
#include "http.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static struct arena *A;   /* reset by every parse */
static struct arena *T;   /* test strings, kept */
static struct request *R;

/* Parse a request from NULL-terminated "NAME=VALUE" strings and a body. */
static int
parse_body(const char *body, size_t len, ...)
{
	char *env[512];
	size_t n = 0;
	va_list ap;
	va_start(ap, len);
	for (const char *s; (s = va_arg(ap, const char *)) != NULL && n < 511; )
		env[n++] = (char *)s;
	va_end(ap);
	env[n] = NULL;
	arena_reset(A);
	return req_parse(A, env, body, len, &R);
}

#define PARSE(...) parse_body(NULL, 0, __VA_ARGS__, (const char *)NULL)
#define GET(uri) PARSE("REQUEST_METHOD=GET", "REQUEST_URI=" uri)

/* A string in the arena: prefix + n copies of c + suffix. */
static char *
mk(const char *prefix, char c, size_t n, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(pl + n + sl + 1);
	memcpy(s, prefix, pl);
	memset(s + pl, c, n);
	memcpy(s + pl + n, suffix, sl + 1);
	char *r = arena_strdup(T, s);
	free(s);
	return r;
}

static int
has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static void
test_method(void)
{
	T_CHECK("method GET", GET("/") == 0 && R->method == HTTP_GET);
	T_STREQ("method GET name", req_method_name(R), "GET");
	T_CHECK("method HEAD", PARSE("REQUEST_METHOD=HEAD", "REQUEST_URI=/") == 0 &&
	    R->method == HTTP_HEAD);
	T_CHECK("method unknown parses", PARSE("REQUEST_METHOD=BREW", "REQUEST_URI=/") == 0 &&
	    R->method == HTTP_OTHER);
	T_STREQ("method unknown name kept for log", req_method_name(R), "BREW");
	PARSE("REQUEST_METHOD=GET\r\nX", "REQUEST_URI=/");
	T_STREQ("method name with junk cut for log", req_method_name(R), "GET");
	T_CHECK("method lowercase is unknown", PARSE("REQUEST_METHOD=get", "REQUEST_URI=/") == 0 &&
	    R->method == HTTP_OTHER);
	T_CHECK("method missing", PARSE("REQUEST_URI=/") == 0 && R->method == HTTP_OTHER);
	T_STREQ("method missing name", req_method_name(R), "-");
	T_STREQ("accessors accept NULL", req_method_name(NULL), "-");
	T_STREQ("req_path NULL", req_path(NULL), "-");
	T_STREQ("req_id NULL", req_id(NULL), "-");
}

static void
test_path(void)
{
	T_CHECK("path root", GET("/") == 0 && R->nsegs == 0);
	T_STREQ("path root decoded", req_path(R), "/");
	T_CHECK("path segments", GET("/videos/abc") == 0 && R->nsegs == 2 &&
	    strcmp(R->segs[0], "videos") == 0 && strcmp(R->segs[1], "abc") == 0);
	T_CHECK("path trailing slash is an empty segment", GET("/videos/") == 0 && R->nsegs == 2 &&
	    R->segs[1][0] == '\0');
	T_CHECK("path decoded utf8", GET("/caf%C3%A9") == 0 && strcmp(R->segs[0], "caf\xc3\xa9") == 0);
	T_CHECK("path %2F stays inside its segment", GET("/a%2Fb/c") == 0 && R->nsegs == 2 &&
	    strcmp(R->segs[0], "a/b") == 0);
	T_CHECK("path query split off", GET("/a?x=1") == 0 && strcmp(R->raw_path, "/a") == 0 &&
	    strcmp(R->raw_query, "x=1") == 0);
	T_CHECK("path empty query", GET("/a?") == 0 && R->raw_query[0] == '\0' && R->query.n == 0);

	T_CHECK("path bad escape 400", GET("/a%zz") == 400 && has(R->error, "percent-escape"));
	T_STREQ("path invalid: req_path falls back to raw", req_path(R), "/a%zz");
	T_CHECK("path truncated escape 400", GET("/a%4") == 400);
	T_CHECK("path lone percent 400", GET("/%") == 400);
	T_CHECK("path encoded NUL 400", GET("/a%00b") == 400 && has(R->error, "NUL"));
	T_CHECK("path invalid utf8 400", GET("/%FF") == 400 && has(R->error, "UTF-8"));
	T_CHECK("path overlong utf8 400", GET("/%C0%AF") == 400);
	T_CHECK("path surrogate 400", GET("/%ED%A0%80") == 400);
	T_CHECK("path encoded control char 400", GET("/a%0Ab") == 400 && has(R->error, "control"));
	T_CHECK("path encoded DEL 400", GET("/a%7F") == 400);
	T_CHECK("path raw space 400", GET("/a b") == 400);
	T_CHECK("path raw tab 400", GET("/a\tb") == 400);
	T_CHECK("path not starting with / 400", GET("a/b") == 400);
	T_CHECK("path absolute-form 400", GET("http://x/a") == 400);
	T_CHECK("path missing 400", PARSE("REQUEST_METHOD=GET") == 400 && has(R->error, "no address"));
	T_CHECK("path empty 400", GET("") == 400);
	T_CHECK("path error keeps the id", R->id && strlen(R->id) == 32);

	char *u = mk("REQUEST_URI=/", 'a', HTTP_URI_MAX - 1, "");
	T_CHECK("uri at max length", PARSE("REQUEST_METHOD=GET", u) == 0);
	u = mk("REQUEST_URI=/", 'a', HTTP_URI_MAX, "");
	T_CHECK("uri over max length 414", PARSE("REQUEST_METHOD=GET", u) == 414);
	T_CHECK("uri over max: raw path cut for the log", strlen(req_path(R)) == HTTP_URI_MAX);
	u = mk("REQUEST_URI=/?q=", 'a', HTTP_URI_MAX - 3, "");
	T_CHECK("uri with query counts toward max 414", PARSE("REQUEST_METHOD=GET", u) == 414);
}

static void
test_query(void)
{
	T_CHECK("query pairs", GET("/?a=1&b=two") == 0 && R->query.n == 2 &&
	    strcmp(R->query.v[0].key, "a") == 0 && strcmp(R->query.v[1].val, "two") == 0);
	T_CHECK("query plus is space", GET("/?q=a+b%2Bc") == 0 &&
	    strcmp(R->query.v[0].val, "a b+c") == 0);
	T_CHECK("query empty pieces skipped", GET("/?&&a=1&&") == 0 && R->query.n == 1);
	T_CHECK("query key without =", GET("/?flag") == 0 && R->query.n == 1 &&
	    strcmp(R->query.v[0].key, "flag") == 0 && R->query.v[0].vlen == 0);
	T_CHECK("query empty value", GET("/?a=") == 0 && R->query.v[0].vlen == 0);
	T_CHECK("query = in value", GET("/?a=b=c") == 0 && strcmp(R->query.v[0].val, "b=c") == 0);
	T_CHECK("query utf8 value", GET("/?q=%E2%82%AC") == 0 &&
	    strcmp(R->query.v[0].val, "\xe2\x82\xac") == 0);
	T_CHECK("query bad escape 400 even for undeclared keys", GET("/?zz=%G1") == 400 &&
	    has(R->error, "query string"));
	T_CHECK("query bad escape in key 400", GET("/?%=1") == 400);
	T_CHECK("query NUL 400", GET("/?a=%00") == 400);
	T_CHECK("query invalid utf8 400", GET("/?a=%C3") == 400);
	T_CHECK("query raw control char 400", GET("/?a=\x01") == 400);

	/* HTTP_PARAMS_MAX parameters pass, one more is refused. */
	char *q = arena_strdup(T, "REQUEST_URI=/?");
	char *env;
	for (int i = 0; i < HTTP_PARAMS_MAX; i++)
		q = arena_printf(T, "%s%sk%d=%d", q, i ? "&" : "", i, i);
	env = q;
	T_CHECK("query params at max", PARSE("REQUEST_METHOD=GET", env) == 0 &&
	    R->query.n == HTTP_PARAMS_MAX);
	q = arena_printf(T, "%s&one=more", env);
	T_CHECK("query params over max 400", PARSE("REQUEST_METHOD=GET", q) == 400 &&
	    has(R->error, "too many"));

	char *k = mk("REQUEST_URI=/?", 'k', HTTP_KEY_MAX, "=1");
	T_CHECK("query key at max length", PARSE("REQUEST_METHOD=GET", k) == 0);
	k = mk("REQUEST_URI=/?", 'k', HTTP_KEY_MAX + 1, "=1");
	T_CHECK("query key over max length 400", PARSE("REQUEST_METHOD=GET", k) == 400);
}

static void
test_headers(void)
{
	T_CHECK("header parsed", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTP_IF_NONE_MATCH=\"abc\"", "HTTP_USER_AGENT=curl/8") == 0);
	T_STREQ("header lookup lowercase dashed", req_header(R, "if-none-match"), "\"abc\"");
	T_STREQ("header user-agent", req_header(R, "user-agent"), "curl/8");
	T_CHECK("header absent", req_header(R, "x-nope") == NULL);
	T_CHECK("header control char 400", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTP_X_A=a\x01z") == 400);
	T_CHECK("header tab ok", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_X_A=a\tb") == 0);
	char *h = mk("HTTP_X_BIG=", 'h', HTTP_HEADER_MAX, "");
	T_CHECK("header at max length", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", h) == 0);
	h = mk("HTTP_X_BIG=", 'h', HTTP_HEADER_MAX + 1, "");
	T_CHECK("header over max length 431", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", h) == 431);
	T_CHECK("header error keeps method and path for the log", R->method == HTTP_GET &&
	    strcmp(req_path(R), "-") == 0 && R->error != NULL);

	char *env[HTTP_HEADERS_MAX + 4];
	size_t n = 0;
	env[n++] = "REQUEST_METHOD=GET";
	env[n++] = "REQUEST_URI=/";
	for (int i = 0; i < HTTP_HEADERS_MAX; i++)
		env[n++] = arena_printf(T, "HTTP_X_H%d=v", i);
	env[n] = NULL;
	struct arena *b = arena_new();
	struct request *r;
	T_CHECK("headers at max count", req_parse(b, env, NULL, 0, &r) == 0 &&
	    r->headers.n == HTTP_HEADERS_MAX);
	env[n++] = "HTTP_X_ONE_MORE=v";
	env[n] = NULL;
	T_CHECK("headers over max count 431", req_parse(b, env, NULL, 0, &r) == 431);
	arena_free(b);

	T_CHECK("internal flag from MARQUEE_INTERNAL=1", PARSE("REQUEST_METHOD=GET",
	    "REQUEST_URI=/", "MARQUEE_INTERNAL=1") == 0 && R->internal == 1);
	T_CHECK("internal flag needs exactly 1", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "MARQUEE_INTERNAL=yes") == 0 && R->internal == 0);
	T_CHECK("internal cannot come from a client header", PARSE("REQUEST_METHOD=GET",
	    "REQUEST_URI=/", "HTTP_MARQUEE_INTERNAL=1") == 0 && R->internal == 0);
	T_CHECK("remote addr", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "REMOTE_ADDR=192.0.2.1") == 0 && strcmp(R->remote_addr, "192.0.2.1") == 0);
	T_CHECK("first param of a name wins", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/a",
	    "REQUEST_URI=/b") == 0 && strcmp(R->raw_path, "/a") == 0);
}

static void
test_request_id(void)
{
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "REQUEST_ID=0123456789abcdef0123456789abcdef");
	T_STREQ("request id from nginx", req_id(R), "0123456789abcdef0123456789abcdef");
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "REQUEST_ID=abc");
	T_CHECK("request id too short replaced", strlen(req_id(R)) == 32 && strcmp(req_id(R), "abc") != 0);
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "REQUEST_ID=0123456789abcdef 0123456789");
	T_CHECK("request id with space replaced", strchr(req_id(R), ' ') == NULL);
	char *long_id = mk("REQUEST_ID=", 'a', 64, "");
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", long_id);
	T_CHECK("request id over 63 replaced", strlen(req_id(R)) == 32);
	long_id = mk("REQUEST_ID=", 'a', 63, "");
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", long_id);
	T_CHECK("request id of 63 kept", strlen(req_id(R)) == 63);
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_X_REQUEST_ID=0123456789abcdef0123456789abcdef");
	char first[64];
	snprintf(first, sizeof first, "%s", req_id(R));
	T_CHECK("request id not taken from a client header",
	    strcmp(first, "0123456789abcdef0123456789abcdef") != 0 && strlen(first) == 32);
	GET("/");
	T_CHECK("generated request ids differ", strcmp(first, req_id(R)) != 0);
	int hex = 1;
	for (const char *p = req_id(R); *p; p++)
		hex &= (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f');
	T_CHECK("generated request id is hex", hex);
}

static void
test_cookies(void)
{
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_COOKIE=a=1; b=\"two\";c=3 ;  d=");
	T_CHECK("cookies parsed", R->cookies.n == 4);
	T_CHECK("cookie quotes removed", strcmp(R->cookies.v[1].val, "two") == 0);
	T_CHECK("cookie whitespace trimmed", strcmp(R->cookies.v[2].key, "c") == 0 &&
	    strcmp(R->cookies.v[2].val, "3") == 0);
	T_CHECK("cookie empty value", R->cookies.v[3].vlen == 0);
	PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_COOKIE=novalue; =x; b@d=1; ok=1");
	T_CHECK("malformed cookie pieces ignored", R->cookies.n == 1 &&
	    strcmp(R->cookies.v[0].key, "ok") == 0);
	T_CHECK("undeclared junk cookie is not an error", PARSE("REQUEST_METHOD=GET",
	    "REQUEST_URI=/", "HTTP_COOKIE=junk=%zz%00\xff") == 0);

	char *c = mk("HTTP_COOKIE=a=", 'c', HTTP_COOKIE_MAX - 2, "");
	T_CHECK("cookie header at max", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", c) == 0);
	c = mk("HTTP_COOKIE=a=", 'c', HTTP_COOKIE_MAX - 1, "");
	T_CHECK("cookie header over max 431", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", c) == 431 &&
	    has(R->error, "cookies"));
	char *many = arena_strdup(T, "HTTP_COOKIE=");
	for (int i = 0; i < HTTP_PARAMS_MAX; i++)
		many = arena_printf(T, "%s%sc%d=1", many, i ? "; " : "", i);
	T_CHECK("cookies at max count", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", many) == 0 &&
	    R->cookies.n == HTTP_PARAMS_MAX);
	many = arena_printf(T, "%s; x=1", many);
	T_CHECK("cookies over max count 431", PARSE("REQUEST_METHOD=GET", "REQUEST_URI=/", many) == 431);
}

#define FORM "CONTENT_TYPE=application/x-www-form-urlencoded"
#define JSON "CONTENT_TYPE=application/json"
#define POST(body, ct) parse_body(body, strlen(body), "REQUEST_METHOD=POST", "REQUEST_URI=/f", \
	ct, (const char *)NULL)

static void
test_body(void)
{
	T_CHECK("form body", POST("a=1&b=x+y", FORM) == 0 && R->form.n == 2 &&
	    strcmp(R->form.v[1].val, "x y") == 0);
	T_CHECK("form content type with params and case", POST("a=1",
	    "CONTENT_TYPE=Application/X-WWW-Form-Urlencoded ; charset=UTF-8") == 0 && R->form.n == 1);
	T_CHECK("form bad escape 400", POST("a=%", FORM) == 400 && has(R->error, "form"));
	T_CHECK("form invalid utf8 400", POST("a=%FF", FORM) == 400);
	T_CHECK("raw body kept", POST("a=1", FORM) == 0 && R->body_len == 3 &&
	    memcmp(R->body, "a=1", 3) == 0);
	T_CHECK("empty body", POST("", FORM) == 0 && R->form.n == 0 && R->body_len == 0);

	char *v = mk("v=", 'x', HTTP_VALUE_MAX, "");
	T_CHECK("form value at max", POST(v, FORM) == 0 && R->form.v[0].vlen == HTTP_VALUE_MAX);
	v = mk("v=", 'x', HTTP_VALUE_MAX + 1, "");
	T_CHECK("form value over max 413", POST(v, FORM) == 413);

	T_CHECK("json object", POST("{\"s\":\"x\",\"i\":-5,\"t\":true,\"f\":false}", JSON) == 0 &&
	    R->form.n == 4 && R->json != NULL);
	T_CHECK("json integer as text", strcmp(R->form.v[1].val, "-5") == 0);
	T_CHECK("json booleans as text", strcmp(R->form.v[2].val, "true") == 0 &&
	    strcmp(R->form.v[3].val, "false") == 0);
	T_CHECK("json null, reals, arrays, objects not bound",
	    POST("{\"n\":null,\"r\":1.5,\"a\":[1],\"o\":{\"x\":1},\"k\":\"v\"}", JSON) == 0 &&
	    R->form.n == 1 && strcmp(R->form.v[0].key, "k") == 0);
	T_CHECK("json duplicate keys 400", POST("{\"a\":1,\"a\":2}", JSON) == 400 &&
	    has(R->error, "JSON"));
	T_CHECK("json array 400", POST("[1,2]", JSON) == 400 && has(R->error, "object"));
	T_CHECK("json syntax error 400", POST("{\"a\":", JSON) == 400);
	T_CHECK("json encoded NUL 400", POST("{\"a\":\"x\\u0000y\"}", JSON) == 400);
	T_CHECK("json invalid utf8 400", POST("{\"a\":\"\xff\"}", JSON) == 400);
	char *j = arena_strdup(T, "{");
	for (int i = 0; i < HTTP_PARAMS_MAX; i++)
		j = arena_printf(T, "%s%s\"k%d\":%d", j, i ? "," : "", i, i);
	char *jmax = arena_printf(T, "%s}", j);
	T_CHECK("json members at max", POST(jmax, JSON) == 0 && R->form.n == HTTP_PARAMS_MAX);
	j = arena_printf(T, "%s,\"x\":1}", j);
	T_CHECK("json members over max 400", POST(j, JSON) == 400);
	char *jk = mk("{\"", 'k', HTTP_KEY_MAX, "\":1}");
	T_CHECK("json member name at max", POST(jk, JSON) == 0 && R->form.n == 1);
	jk = mk("{\"", 'k', HTTP_KEY_MAX + 1, "\":1}");
	T_CHECK("json member name over max 400", POST(jk, JSON) == 400);
	char *fk = mk("", 'k', HTTP_KEY_MAX + 1, "=1");
	T_CHECK("form key over max 400", POST(fk, FORM) == 400);
	char *jv = mk("{\"v\":\"", 'x', HTTP_VALUE_MAX + 1, "\"}");
	T_CHECK("json value over max 413", POST(jv, JSON) == 413);

	T_CHECK("multipart refused 415", POST("--x", "CONTENT_TYPE=multipart/form-data; boundary=x") == 415);
	T_CHECK("other types keep raw body only", POST("a=1", "CONTENT_TYPE=text/plain") == 0 &&
	    R->form.n == 0 && R->body_len == 3);

	char *big = malloc(HTTP_BODY_MAX + 1);
	memset(big, 'x', HTTP_BODY_MAX + 1);
	T_CHECK("body at max", parse_body(big, HTTP_BODY_MAX, "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    "CONTENT_TYPE=text/plain", (const char *)NULL) == 0 && R->body_len == HTTP_BODY_MAX);
	T_CHECK("body over max 413", parse_body(big, HTTP_BODY_MAX + 1, "REQUEST_METHOD=POST",
	    "REQUEST_URI=/", "CONTENT_TYPE=text/plain", (const char *)NULL) == 413);
	free(big);
}

enum { B_PAGE, B_SORT, B_NAME, B_NEXT, B_ON, B_SESS, B_REQ, B__MAX };
static const struct param bparams[B__MAX] = {
	[B_PAGE] = {"page", PARAM_QUERY, V_INT(1, 100), 0},
	[B_SORT] = {"sort", PARAM_QUERY, V_ENUM("newest", "views"), 0},
	[B_NAME] = {"name", PARAM_FORM, V_STRING(1, 10), 0},
	[B_NEXT] = {"next", PARAM_FORM, V_LOCAL_PATH, 0},
	[B_ON]   = {"on", PARAM_FORM, V_BOOL, 0},
	[B_SESS] = {"sess", PARAM_COOKIE, V_SLUG, 0},
	[B_REQ]  = {"req", PARAM_QUERY, V_SLUG, 0},
};

static int
bind_uri(const char *uri, const char *cookie)
{
	char *u = arena_printf(T, "REQUEST_URI=%s", uri);
	char *c = arena_printf(T, "HTTP_COOKIE=%s", cookie ? cookie : "");
	int st = parse_body(NULL, 0, "REQUEST_METHOD=GET", u, c, (const char *)NULL);
	return st ? st : req_bind(R, bparams, B__MAX);
}

static void
test_bind(void)
{
	T_CHECK("bind valid", bind_uri("/?page=3&sort=views&extra=ignored", NULL) == 0);
	T_CHECK("bind int value", req_num(R, B_PAGE, -1) == 3);
	T_CHECK("bind enum index", req_num(R, B_SORT, -1) == 1 && strcmp(req_str(R, B_SORT), "views") == 0);
	T_CHECK("bind absent optional", req_field(R, B_NAME)->state == FIELD_ABSENT &&
	    req_str(R, B_NAME) == NULL && req_num(R, B_NAME, 7) == 7);
	T_CHECK("bind out-of-range index is absent", req_field(R, 99)->state == FIELD_ABSENT);

	T_CHECK("bind invalid int 400", bind_uri("/?page=0", NULL) == 400);
	T_CHECK("bind error names the key", has(R->error, "\"page\"") &&
	    has(R->error, "from 1 to 100"));
	T_CHECK("bind invalid field keeps value and why", req_field(R, B_PAGE)->state == FIELD_INVALID &&
	    strcmp(req_field(R, B_PAGE)->value, "0") == 0 && req_str(R, B_PAGE) == NULL);
	T_CHECK("bind page=-1 400", bind_uri("/?page=-1", NULL) == 400);
	T_CHECK("bind page=abc 400", bind_uri("/?page=abc", NULL) == 400);
	T_CHECK("bind bad enum 400", bind_uri("/?sort=drop+table", NULL) == 400 &&
	    has(R->error, "one of: newest, views"));
	T_CHECK("bind repeated key 400", bind_uri("/?page=1&page=2", NULL) == 400 &&
	    has(R->error, "more than once"));
	T_CHECK("bind repeated undeclared key ignored", bind_uri("/?x=1&x=2", NULL) == 0);
	T_CHECK("bind empty value is validated", bind_uri("/?page=", NULL) == 400);

	T_CHECK("bind cookie", bind_uri("/", "sess=abc-1; other=zz") == 0 &&
	    strcmp(req_str(R, B_SESS), "abc-1") == 0);
	T_CHECK("bind cookie first wins", bind_uri("/", "sess=first; sess=second") == 0 &&
	    strcmp(req_str(R, B_SESS), "first") == 0);
	T_CHECK("bind cookie percent-decoded", bind_uri("/", "sess=a%2Db") == 0 &&
	    strcmp(req_str(R, B_SESS), "a-b") == 0);
	T_CHECK("bind cookie bad escape 400", bind_uri("/", "sess=%zz") == 400 &&
	    has(R->error, "cookie \"sess\""));
	T_CHECK("bind cookie invalid utf8 400", bind_uri("/", "sess=%ff") == 400);
	T_CHECK("bind cookie invalid value 400", bind_uri("/", "sess=UPPER") == 400);

	static const struct param required[] = {{"id", PARAM_QUERY, V_UUID, 1}};
	GET("/");
	T_CHECK("bind required absent 400", req_bind(R, required, 1) == 400 &&
	    has(R->error, "is required"));
	GET("/?id=123e4567-e89b-12d3-a456-426614174000");
	T_CHECK("bind required present", req_bind(R, required, 1) == 0);

	const char *body = "name=Ann&next=%2Faccount&on=on";
	parse_body(body, strlen(body), "REQUEST_METHOD=POST", "REQUEST_URI=/?name=Bob", FORM,
	    (const char *)NULL);
	T_CHECK("bind form", req_bind(R, bparams, B__MAX) == 0 &&
	    strcmp(req_str(R, B_NAME), "Ann") == 0 && strcmp(req_str(R, B_NEXT), "/account") == 0 &&
	    req_num(R, B_ON, -1) == 1);
	body = "next=%2F%2Fevil.example";
	parse_body(body, strlen(body), "REQUEST_METHOD=POST", "REQUEST_URI=/", FORM, (const char *)NULL);
	T_CHECK("bind open redirect refused", req_bind(R, bparams, B__MAX) == 400 &&
	    has(R->error, "form field \"next\""));
	body = "{\"name\":\"Zoe\",\"on\":false}";
	parse_body(body, strlen(body), "REQUEST_METHOD=POST", "REQUEST_URI=/", JSON, (const char *)NULL);
	T_CHECK("bind from json", req_bind(R, bparams, B__MAX) == 0 &&
	    strcmp(req_str(R, B_NAME), "Zoe") == 0 && req_num(R, B_ON, -1) == 0);
	body = "{\"name\":\"12345678901\"}";
	parse_body(body, strlen(body), "REQUEST_METHOD=POST", "REQUEST_URI=/", JSON, (const char *)NULL);
	T_CHECK("bind json string too long 400", req_bind(R, bparams, B__MAX) == 400);
	body = "name=a%0Ab";
	parse_body(body, strlen(body), "REQUEST_METHOD=POST", "REQUEST_URI=/", FORM, (const char *)NULL);
	T_CHECK("bind control char in string 400", req_bind(R, bparams, B__MAX) == 400);
}

int
main(void)
{
	A = arena_new();
	T = arena_new();
	test_method();
	test_path();
	test_query();
	test_headers();
	test_request_id();
	test_cookies();
	test_body();
	test_bind();
	arena_free(A);
	arena_free(T);
	return t_done("test_request");
}
