/*
 * http.h - the HTTP core: everything between libfcgi and a page handler.
 *
 * The worker (worker.c/fcgi_io.c) hands us the FastCGI params and a body
 * reader; http_serve() parses and validates the request (request.c), routes
 * it (router.c, table in routes.c), runs the handler and completes the
 * response (response.c): error pages, caching headers, ETag/304, security
 * headers, HEAD.  Handlers never see libfcgi nor an unvalidated parameter.
 *
 * What this module does not do: talk to libfcgi (fcgi_io.c), write the
 * access log line (the worker does, through the accessors below), sessions
 * (issue 6 fills in req->member), render templates (tmpl.h).
 *
 * Request parameter rules (the one place they are written down):
 *  - Query string and form bodies are split on '&'; '+' is a space; keys and
 *    values are strictly percent-decoded (decode.h): a malformed escape, %00
 *    or invalid UTF-8 anywhere gives 400, even in keys no route declares.
 *  - A route declares each key it accepts with a source (query, form or
 *    cookie) and a validator (router.h).  Undeclared keys are ignored.
 *  - Repeated keys: a declared query or form key given more than once is
 *    invalid ("given more than once"), because two values make it ambiguous
 *    which one a cache, a proxy and we each acted on.  Cookies are the
 *    exception: the first one wins, as RFC 6265 5.4 sends the most specific
 *    path first.
 *  - Cookie values are decoded only when a route declares them, so a junk
 *    cookie some other application set on the domain cannot lock visitors
 *    out of the site.
 *  - application/json bodies must be an object; its top-level strings,
 *    integers and booleans ("true"/"false") become form keys; null, reals,
 *    arrays and nested objects are not bindable.  Duplicate keys give 400.
 *  - Invalid declared keys give a 400 page naming the key and what it must
 *    be, unless the route has ROUTE_FORM_ERRORS: then the handler runs and
 *    re-renders its form from req->fields (state FIELD_INVALID, why).
 */
#ifndef MARQUEE_HTTP_H
#define MARQUEE_HTTP_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "tval.h"
#include "valid.h"

struct app;
struct arena;
struct member;
struct route;

/* ---------------------------------------------------------------- limits */

/*
 * Largest request body read: our bodies are forms, webhook payloads and
 * progress beacons of a few KB; anything bigger is refused (413) before it
 * costs memory.  deploy/nginx sets client_max_body_size to the same order.
 */
#define HTTP_BODY_MAX (64 * 1024)
/* Longest request target (path + query): our longest canonical URL is under 300 bytes. 414 beyond. */
#define HTTP_URI_MAX 4096
/* Parameters per source (query, form, cookie): no form of ours has more than ~20 fields. 400/431 beyond. */
#define HTTP_PARAMS_MAX 64
/* Longest parameter key: ours are short identifiers. */
#define HTTP_KEY_MAX 64
/* Longest parameter value after decoding: a search box accepts 2 KB, a bio a few KB. 413 beyond. */
#define HTTP_VALUE_MAX (16 * 1024)
/* Cookie header size: browsers cap one cookie at 4096 bytes; ours are far smaller. 431 beyond. */
#define HTTP_COOKIE_MAX 4096
/* One header value, and the number of headers: nginx's default large_client_header_buffers is 8k. 431 beyond. */
#define HTTP_HEADER_MAX 8192
#define HTTP_HEADERS_MAX 100
/* Path captures per route ("/a/{x:slug}/b/{y:int}"). */
#define HTTP_CAPTURES_MAX 4
/* Browser cache lifetime of anonymous pages: short, so a new release shows up within a minute. */
#define HTTP_CACHE_MAX_AGE 60
/* Seconds a client should wait after a 503 (a database reconnect takes a few seconds). */
#define HTTP_RETRY_AFTER 10
/* A request carrying this cookie is personalised: its response is private, no-store. */
#define HTTP_SESSION_COOKIE "marquee_session"

/* ---------------------------------------------------------------- request */

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,      /* anything else: never routed (405) */
	HTTP__MAX
};
#define HTTP_M(m) (1u << (m))

enum param_src {
	PARAM_QUERY,
	PARAM_FORM,      /* urlencoded or JSON body */
	PARAM_COOKIE,
	PARAM__MAX
};

/* A key a route accepts.  Route tables index these by an enum (designated initialisers). */
struct param {
	const char       *name;
	enum param_src    src;
	struct valid_rule rule;
	int               required;   /* absent -> invalid ("is required") */
};

/* One raw key/value pair, decoded (query, form) or as sent (cookies, headers). */
struct http_pair {
	const char *key;
	const char *val;
	size_t      vlen;
};

struct http_pairs {
	struct http_pair *v;
	size_t            n;
};

enum field_state {
	FIELD_ABSENT,
	FIELD_VALID,
	FIELD_INVALID
};

/* The validated value of one declared key, at the same index as the route's param. */
struct field {
	enum field_state state;
	const char      *value;  /* VALID or INVALID (the offending text, to re-fill a form); NULL if ABSENT */
	size_t           len;
	long long        num;    /* VALID: number (int), member index (enum), 0/1 (bool) */
	const char      *why;    /* INVALID: "must be a whole number from 1 to 100" */
};

struct capture {
	const char *name;        /* points into the route pattern, namelen bytes */
	size_t      namelen;
	const char *value;       /* decoded, validated by the capture's type */
	long long   num;         /* {x:int} captures */
};

struct request {
	struct arena     *arena;
	enum http_method  method;
	const char       *method_name;  /* as received, for the log ("-" if none) */
	const char       *raw_path;     /* as received, before decoding */
	const char       *path;         /* decoded; NULL if it did not decode */
	const char       *raw_query;    /* after '?', "" if none */
	const char      **segs;         /* decoded path segments ("/a/b" -> "a","b") */
	size_t            nsegs;
	const char       *id;           /* request id: REQUEST_ID param or generated */
	const char       *content_type; /* media type, lowercase, no parameters; "" if none */
	const char       *body;         /* raw body, NUL-terminated (signed webhooks need the exact bytes) */
	size_t            body_len;
	struct http_pairs query, form, cookies;
	struct http_pairs headers;      /* names lowercase with '-': "if-none-match" */
	json_t           *json;         /* JSON body (an object), released with the arena; else NULL */
	const char       *remote_addr;  /* REMOTE_ADDR as nginx saw it; "" if none */
	int               internal;     /* MARQUEE_INTERNAL=1: set only by nginx's internal locations */
	const char       *geo_country;  /* GEO_COUNTRY from nginx if "[A-Z]{2}", else NULL (juris.h) */
	const char       *geo_region;   /* GEO_REGION if "[A-Z0-9]{1,3}", else NULL */
	int               member;       /* set by the session module (issue 6); 0 until then */
	const struct member *session;   /* session.h: the signed-in member, NULL if anonymous */
	int               restricted;   /* juris.h: show non-explicit placeholders only (age verification) */

	/* Filled by the router and the binder. */
	const struct route *route;
	struct capture    captures[HTTP_CAPTURES_MAX];
	size_t            ncaptures;
	struct field     *fields;       /* one per route->params entry */
	size_t            nfields;

	/* Set when parsing or binding failed: the status to answer and why (for the page). */
	int               status;
	const char       *error;
};

/*
 * Parse a request from FastCGI params (envp, "NAME=VALUE", NULL-terminated)
 * and a body already read (body may be NULL when body_len is 0).  Pure: no
 * I/O, no app, no database; everything lives in the arena.  *out always gets
 * a request (even on error: method, raw path and id are filled as far as
 * they parsed, for the log).
 * Returns 0 on success, else the HTTP status to answer (400, 413, 414, 415,
 * 431) with (*out)->error saying what was wrong.
 */
int req_parse(struct arena *a, char **envp, const char *body, size_t body_len,
    struct request **out);

/*
 * Validate the declared keys (params[0..n)) into req->fields.
 * Returns 0 if every field is valid or absent-and-optional, else 400 with
 * req->error naming the first invalid key and what it must be.
 */
int req_bind(struct request *req, const struct param *params, size_t n);

/* The field for the route's param index i (always non-NULL for i < nfields). */
const struct field *req_field(const struct request *req, size_t i);
/* The field's value if valid, else NULL. */
const char *req_str(const struct request *req, size_t i);
/* The field's number if valid, else dflt. */
long long req_num(const struct request *req, size_t i, long long dflt);

/* A path capture by name ("slug"), or NULL. */
const struct capture *req_capture(const struct request *req, const char *name);

/* A request header by lowercase name ("user-agent"), or NULL.  Values hold no control characters. */
const char *req_header(const struct request *req, const char *name);

/* "GET" for HTTP_GET ...; "OTHER" for HTTP_OTHER. */
const char *req_method_str(enum http_method m);

/* For the access log; each accepts NULL and then returns "-". */
const char *req_method_name(const struct request *req);
const char *req_path(const struct request *req);   /* decoded path, or the raw one if invalid */
const char *req_id(const struct request *req);

/* ---------------------------------------------------------------- response */

enum resp_cache {
	RESP_CACHE_PUBLIC,    /* Cache-Control: public, max-age=N, Vary: Cookie, ETag (anonymous pages) */
	RESP_CACHE_PRIVATE,   /* private, no-store (personalised) */
	RESP_CACHE_NONE,      /* no-store (errors, health checks, redirects after POST) */
};

struct resp_header {
	const char *name;
	const char *value;
};

struct response {
	int                 status;
	const char         *content_type;  /* NULL: no Content-Type (e.g. redirects) */
	struct buf          body;          /* in the request arena (BUF_IN), set by http_serve */
	struct resp_header *headers;       /* in the request arena */
	size_t              nheaders, capheaders;
	enum resp_cache     cache;
	int                 max_age;       /* RESP_CACHE_PUBLIC */
	int                 head;          /* HEAD request: no body is sent */
	struct request     *req;           /* set by http_serve, never NULL after it: for the access log */
	struct arena       *arena;         /* set by http_serve */
	const char         *form_action;   /* resp_form_action: one more CSP form-action origin, or NULL */
};

/*
 * Once per worker.  The body grows in the request arena from http_serve on;
 * appended to before that (unit tests) it is on the heap and resp_reset /
 * resp_free release it.  resp_free(NULL) is a no-op.
 */
void resp_init(struct response *r);
void resp_free(struct response *r);

/*
 * Before each request, after arena_reset: forget headers and body (they
 * lived in the arena), back to 200 public.
 */
void resp_reset(struct response *r);

/*
 * Serve one request: read the body (at most HTTP_BODY_MAX + 1 bytes, never
 * trusting CONTENT_LENGTH), parse, route, check the route's auth level, bind
 * and validate parameters, run the handler, then complete the response.
 * Always leaves a complete response in *resp (error pages included) and the
 * parsed request in resp->req (for the access log: req_method_name(resp->req)
 * etc.).  Everything allocated lives in `a`, resp->body included.
 * Sets log_set_request_id() to the request's id and leaves it set, so the
 * worker's access line and any write error carry it; the worker clears it
 * (log_set_request_id(NULL)) after logging.
 */
struct http_input {
	char **envp;    /* FastCGI params as "NAME=VALUE", NULL-terminated; borrowed, valid during the call */
	/* Read up to n bytes of the body into dst: bytes read (>0), 0 at end of body, -1 on error. */
	long (*read_body)(void *ud, char *dst, size_t n);
	void *ud;
};
void http_serve(struct app *app, struct arena *a, const struct http_input *in, struct response *resp);

/* http_serve with an explicit route table (http_serve uses routes.c's; unit tests their own). */
void http_serve_routes(const struct route *table, size_t n, struct app *app, struct arena *a,
    const struct http_input *in, struct response *resp);

/* Serialise the CGI response head ("Status: 200 OK\r\n...\r\n\r\n") into out (appended). */
void resp_write_head(const struct response *resp, struct buf *out);
/* The body bytes to send; NULL and 0 for HEAD requests, 304s and 204s. */
const char *resp_body(const struct response *resp, size_t *len);
int resp_status(const struct response *resp);

/* ---- for handlers ---- */

/*
 * Add a header (copied into the arena).  Returns 0, or -1 if the name is not
 * a token, the value holds a control character (header splitting), or the
 * header is one the core sets itself (Content-Type, Content-Length,
 * Cache-Control, ETag, Vary, Location, Rating, X-Request-Id, CSP: use
 * resp_text/resp_cache/resp_redirect): then nothing is added and an error is
 * logged.
 */
int resp_header(struct response *r, const char *name, const char *value);

enum cookie_samesite { SAMESITE_LAX, SAMESITE_STRICT, SAMESITE_NONE };

struct cookie_opts {
	long                 max_age;    /* seconds; 0 deletes; -1 for a browser-session cookie */
	int                  http_only;
	int                  secure;
	enum cookie_samesite same_site;
	const char          *path;       /* NULL means "/" */
};

/*
 * Set-Cookie with every attribute explicit.  name must be a token, value
 * cookie-octets only (RFC 6265 4.1.1; encode anything else first).  Setting a
 * cookie makes the response RESP_CACHE_PRIVATE: a cached Set-Cookie would
 * hand one visitor's cookie to the next.
 * Returns 0, or -1 (nothing set, error logged) for a bad name or value.
 */
int resp_cookie(struct response *r, const char *name, const char *value,
    const struct cookie_opts *o);

/*
 * Let this page's forms lead to origin too (CSP form-action, which browsers
 * also apply to the redirects a form submission follows: /join answers 303
 * to the payment processor).  origin is "http(s)://host[:port]" and nothing
 * else; it is copied.  Returns 0, or -1 (nothing changed, error logged) for
 * anything else.
 */
int resp_form_action(struct response *r, const char *origin);

/* Cache policy for this response; max_age is used with RESP_CACHE_PUBLIC. */
void resp_cache(struct response *r, enum resp_cache c, int max_age);

/* Body from text (copied); content_type e.g. "text/plain; charset=utf-8". */
void resp_text(struct response *r, int status, const char *content_type, const char *text);

/*
 * JSON body (compact, escaped as json_dump_safe() does); steals the
 * reference to j.  Returns 0, or 500 if j is NULL.
 */
int resp_json(struct response *r, int status, json_t *j);

/*
 * Append j (borrowed) to out as compact JSON in which '<', '>', '&', U+2028
 * and U+2029 are written as \u escapes: the same JSON, and safe inside a
 * page's <script> element (no "</script" or "<!--") or in an answer a
 * browser might sniff as HTML.
 */
void json_dump_safe(struct buf *out, const json_t *j);

/*
 * Append s[0..len) (UTF-8) to out as a JSON string literal, quotes
 * included, escaped as json_dump_safe() escapes strings: for JSON written
 * as text, without building a jansson value first.
 */
void json_put_string(struct buf *out, const char *s, size_t len);
/* The same without the quotes: for a string literal written in pieces. */
void json_put_chars(struct buf *out, const char *s, size_t len);

/*
 * Redirect to a local path (valid_local_path) or an absolute http(s) URL.
 * Returns 0, or 500 (error logged) if the location is neither.
 */
int resp_redirect(struct response *r, int status, const char *location);

/*
 * Render template `name` as the HTML body (status unchanged).  ctx (an
 * object of template values in the request's arena, tval.h; NULL means an
 * empty one) gets the layout's common keys unless already set: site.name,
 * site.base_url, site.asset_version (app.h), request_id, path,
 * canonical_url; member {username, csrf} when signed in (session.h) and
 * restricted = true when the visitor's jurisdiction requires age
 * verification they lack (juris.h: templates show placeholders).  Returns
 * 0, or -1 when there is no such template (or no template set) so the
 * caller may fall back.
 */
int resp_render(struct app *app, struct request *req, struct response *r, const char *name,
    struct tval *ctx);

/*
 * Replace the response with the standard error page for status (400..599):
 * title, message (NULL: the standard one for the status), what the visitor
 * can do next, request id.  Rendered from the "error" template in the site
 * layout, or a built-in page when templates are unavailable.  503 gets
 * Retry-After, 405 keeps its Allow header.  Never shows internals.
 */
void resp_error_page(struct app *app, struct request *req, struct response *r, int status,
    const char *message);

/*
 * Complete the response after the handler: cache headers, ETag and
 * If-None-Match (304), security headers, Rating, X-Request-Id; HEAD keeps
 * headers (Content-Length included) and drops the body.  Called by
 * http_serve; exposed for the unit tests.
 */
void resp_finish(struct request *req, struct response *r);

#endif
