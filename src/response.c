/*
 * response.c - building and serialising responses: headers, cookies, error
 * pages, caching (Cache-Control, ETag, 304), security headers.
 *
 * Headers and body live in the request arena.  This module does not route nor parse; it never writes to the
 * network (the worker sends resp_write_head + resp_body).
 */
#include "http.h"

#include "app.h"
#include "arena.h"
#include "config.h"
#include "log.h"
#include "session.h"
#include "tmpl.h"
#include "xxh64.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A macro's value as a string literal (the default Cache-Control). */
#define XSTR(x) STR_(x)
#define STR_(x) #x

/*
 * Only our own scripts and styles, no inline script; media from blob: for
 * hls.js (Media Source), workers from blob: for its transmuxer.  img data:
 * for small inline placeholders.
 */
#define RESP_CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; media-src 'self' blob:; worker-src 'self' blob:; " \
	"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; " \
	"base-uri 'none'; form-action 'self'"

/* The RTA "Restricted To Adults" label (rtalabel.org), as header and meta tag. */
#define RESP_RTA "RTA-5042-1996-1400-1577-RTA"

struct status_info {
	int         code;
	const char *reason;
	const char *message;   /* what happened, for error pages */
	const char *next;      /* what the visitor can do */
};

static const struct status_info statuses[] = {
	{200, "OK", NULL, NULL},
	{204, "No Content", NULL, NULL},
	{301, "Moved Permanently", NULL, NULL},
	{302, "Found", NULL, NULL},
	{303, "See Other", NULL, NULL},
	{304, "Not Modified", NULL, NULL},
	{307, "Temporary Redirect", NULL, NULL},
	{308, "Permanent Redirect", NULL, NULL},
	{400, "Bad Request", "The request could not be understood.",
	    "Check the address or the form, then try again."},
	{401, "Unauthorized", "You need to sign in to see this.",
	    "Sign in, then try again."},
	{403, "Forbidden", "You do not have access to this page.",
	    "Sign in with an account that has access, or go back to the home page."},
	{404, "Not Found", "There is nothing at this address.",
	    "Check the address for typos, search the catalog, or start from the home page."},
	{405, "Method Not Allowed", "This address does not accept that kind of request.",
	    "Use the links and forms on this site instead."},
	{413, "Content Too Large", "The request sent more data than this site accepts.",
	    "Send less (shorter text or fewer fields) and try again."},
	{414, "URI Too Long", "The address is too long.",
	    "Use a shorter address, or start from the home page."},
	{415, "Unsupported Media Type", "The request's data is in a format this site does not accept.",
	    "Use the forms on this site instead."},
	{422, "Unprocessable Content", "Some of the information sent is not valid.",
	    "Correct the form and try again."},
	{429, "Too Many Requests", "Too many requests came from you in a short time.",
	    "Wait a minute, then try again."},
	{431, "Request Header Fields Too Large", "Your browser sent too much header data or too many cookies.",
	    "Clear this site's cookies in your browser, then try again."},
	{451, "Unavailable For Legal Reasons", "This site's content is not available in your location.",
	    "The law of your region does not allow us to show it. The legal pages linked below remain available."},
	{500, "Internal Server Error", "Something went wrong on our side.",
	    "Try again in a moment. If it keeps happening, contact support and quote the request id below."},
	{501, "Not Implemented", "This site does not support that request.",
	    "Use the links and forms on this site instead."},
	{503, "Service Unavailable", "The site is temporarily unavailable.",
	    "Try again in a minute or two."},
};

static const struct status_info *
status_info(int code)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].code == code)
			return &statuses[i];
	return NULL;
}

static const char *
reason(int code)
{
	const struct status_info *si = status_info(code);
	if (si)
		return si->reason;
	return code >= 500 ? "Internal Server Error" : code >= 400 ? "Bad Request" : "OK";
}

/* ---------------------------------------------------------------- lifecycle */

void
resp_init(struct response *r)
{
	memset(r, 0, sizeof *r);
	resp_reset(r);
}

void
resp_free(struct response *r)
{
	if (r == NULL)
		return;
	buf_free(&r->body);
}

void
resp_reset(struct response *r)
{
	buf_free(&r->body);   /* arena-backed: forgotten, the arena was reset */
	r->body = (struct buf)BUF_INIT;
	r->status = 200;
	r->content_type = NULL;
	r->headers = NULL;
	r->nheaders = r->capheaders = 0;
	r->cache = RESP_CACHE_PUBLIC;
	r->max_age = HTTP_CACHE_MAX_AGE;
	r->head = 0;
	r->req = NULL;
	r->arena = NULL;
	r->form_action = NULL;
}

/* ---------------------------------------------------------------- headers */

static int
is_token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("!#$%&'*+-.^_`|~", c)))
			return 0;
	}
	return 1;
}

/* A header value: visible ASCII, spaces and tabs; UTF-8 allowed; never CR, LF or NUL. */
static int
is_field_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

static void
push_header(struct response *r, const char *name, const char *value)
{
	if (r->nheaders == r->capheaders) {
		size_t cap = r->capheaders ? r->capheaders * 2 : 16;
		struct resp_header *h = arena_calloc(r->arena, cap, sizeof *h);
		if (r->nheaders)
			memcpy(h, r->headers, r->nheaders * sizeof *h);
		r->headers = h;
		r->capheaders = cap;
	}
	r->headers[r->nheaders++] = (struct resp_header){name, value};
}

/* Headers this module computes itself; a second copy from a handler would contradict them. */
static int
is_reserved(const char *name)
{
	static const char *const reserved[] = {
		"Status", "Content-Type", "Content-Length", "Cache-Control", "ETag", "Vary",
		"Location", "Rating", "X-Request-Id", "Content-Security-Policy",
	};
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcasecmp(name, reserved[i]) == 0)
			return 1;
	return 0;
}

int
resp_header(struct response *r, const char *name, const char *value)
{
	if (!is_token(name) || !is_field_value(value) || is_reserved(name)) {
		log_error("response header %s refused: reserved, not a token, or control character "
		    "in value", name);
		return -1;
	}
	push_header(r, arena_strdup(r->arena, name), arena_strdup(r->arena, value));
	return 0;
}

/* Replace (or add) a header we own; names are literals from this file. */
static void
set_header(struct response *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0) {
			r->headers[i].value = value;
			return;
		}
	}
	push_header(r, name, value);
}

/* RFC 6265 4.1.1 cookie-octet. */
static int
is_cookie_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\')
			return 0;
	}
	return 1;
}

int
resp_cookie(struct response *r, const char *name, const char *value, const struct cookie_opts *o)
{
	static const char *const samesite[] = {
		[SAMESITE_LAX] = "Lax", [SAMESITE_STRICT] = "Strict", [SAMESITE_NONE] = "None",
	};
	const char *path = o->path ? o->path : "/";
	/* Browsers drop SameSite=None cookies without Secure: refuse rather than set a dead cookie. */
	if (!is_token(name) || !is_cookie_value(value) || !valid_local_path(path, strlen(path)) ||
	    strchr(path, ';') || (unsigned)o->same_site > SAMESITE_NONE ||
	    (o->same_site == SAMESITE_NONE && !o->secure)) {
		log_error("cookie %s refused: bad name, value, path or attributes", name);
		return -1;
	}
	char *c = arena_printf(r->arena, "%s=%s; Path=%s", name, value, path);
	if (o->max_age >= 0)
		c = arena_printf(r->arena, "%s; Max-Age=%ld", c, o->max_age);
	c = arena_printf(r->arena, "%s%s%s; SameSite=%s", c, o->http_only ? "; HttpOnly" : "",
	    o->secure ? "; Secure" : "", samesite[o->same_site]);
	push_header(r, "Set-Cookie", c);
	r->cache = RESP_CACHE_PRIVATE;
	return 0;
}

int
resp_form_action(struct response *r, const char *origin)
{
	const char *p = origin;
	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else
		p = NULL;
	size_t host = p ? strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") : 0;
	size_t port = host && p[host] == ':' ? strspn(p + host + 1, "0123456789") : 0;
	if (host == 0 || (p[host] == ':' && (port == 0 || port > 5)) ||
	    p[host + (p[host] == ':' ? 1 + port : 0)] != '\0') {
		log_error("resp_form_action: refusing \"%s\": not an http(s) origin", origin);
		return -1;
	}
	r->form_action = arena_strdup(r->arena, origin);
	return 0;
}

void
resp_cache(struct response *r, enum resp_cache c, int max_age)
{
	r->cache = c;
	r->max_age = max_age < 0 ? 0 : max_age;
}

/* ---------------------------------------------------------------- bodies */

void
resp_text(struct response *r, int status, const char *content_type, const char *text)
{
	r->status = status;
	r->content_type = arena_strdup(r->arena, content_type);
	buf_reset(&r->body);
	buf_puts(&r->body, text);
}

/* Bytes json_put_string() looks at: controls, '"', '\\', '<', '>', '&', and 0xe2 (U+2028/9). */
static const unsigned char json_special[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
	[0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
	[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
	[0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
	[0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
	['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, [0xe2] = 1,
};

/*
 * Index of the first byte at or after i that json_special marks, or len.
 * With SSE2, 16 bytes at a time: JSON-LD is mostly URLs with nothing to
 * escape, and a byte loop was most of cat_page_ld's time.
 */
static size_t
json_plain_run(const unsigned char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i ctl = _mm_set1_epi8(0x1f);
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl);   /* x <= 0x1f */
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('&')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xe2)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	while (i < len && !json_special[s[i]])
		i++;
	return i;
}

/*
 * A JSON string: the escapes JSON needs ('"', '\\', control characters, as
 * jansson writes them) and those json_dump_safe() promises ('<', '>', '&',
 * U+2028, U+2029); the rest of the (UTF-8) text is copied in runs.
 */
void
json_put_chars(struct buf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t from = 0, i = 0;
	while ((i = json_plain_run(s, i, len)) < len) {
		unsigned char c = s[i];
		char ctl[7];
		const char *e;
		size_t skip = 1;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '<': e = "\\u003c"; break;
		case '>': e = "\\u003e"; break;
		case '&': e = "\\u0026"; break;
		case 0xe2:
			/* U+2028/U+2029 end a line in older JavaScript parsers. */
			if (i + 2 >= len || s[i + 1] != 0x80 || (s[i + 2] != 0xa8 && s[i + 2] != 0xa9)) {
				i++;
				continue;
			}
			e = s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
			skip = 3;
			break;
		default:
			snprintf(ctl, sizeof ctl, "\\u%04X", c);
			e = ctl;
			break;
		}
		buf_append(out, str + from, i - from);
		buf_puts(out, e);
		i += skip;
		from = i;
	}
	buf_append(out, str + from, len - from);
}

void
json_put_string(struct buf *out, const char *s, size_t len)
{
	buf_putc(out, '"');
	json_put_chars(out, s, len);
	buf_putc(out, '"');
}

/*
 * Compact JSON of j, keys in insertion order (as jansson writes them).
 * Written here rather than with json_dump_callback and a second pass for
 * the HTML escapes: that pair, with jansson's UTF-8 decoding of every
 * character, was a tenth of a worker's time on the collection page
 * (JSON-LD).  Reals, rare, are formatted by jansson itself.
 */
static void
dump_value(struct buf *out, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *v;
		int first = 1;
		buf_putc(out, '{');
		json_object_foreach((json_t *)j, key, v) {
			if (!first)
				buf_putc(out, ',');
			first = 0;
			json_put_string(out, key, strlen(key));
			buf_putc(out, ':');
			dump_value(out, v);
		}
		buf_putc(out, '}');
		break;
	}
	case JSON_ARRAY:
		buf_putc(out, '[');
		for (size_t i = 0, n = json_array_size(j); i < n; i++) {
			if (i)
				buf_putc(out, ',');
			dump_value(out, json_array_get(j, i));
		}
		buf_putc(out, ']');
		break;
	case JSON_STRING:
		json_put_string(out, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		buf_put_i64(out, (long long)json_integer_value(j));
		break;
	case JSON_REAL: {
		char num[64];
		size_t n = json_dumpb(j, num, sizeof num, JSON_ENCODE_ANY);
		buf_append(out, num, n <= sizeof num ? n : 0);
		break;
	}
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	case JSON_NULL:
		buf_puts(out, "null");
		break;
	}
}

void
json_dump_safe(struct buf *out, const json_t *j)
{
	if (j == NULL)
		buf_puts(out, "null");
	else
		dump_value(out, j);
}

int
resp_json(struct response *r, int status, json_t *j)
{
	if (j == NULL)
		return 500;
	buf_reset(&r->body);
	json_dump_safe(&r->body, j);
	json_decref(j);
	r->status = status;
	r->content_type = "application/json";
	return 0;
}

int
resp_redirect(struct response *r, int status, const char *location)
{
	size_t n = strlen(location);
	int absolute = (strncmp(location, "https://", 8) == 0 || strncmp(location, "http://", 7) == 0) &&
	    is_field_value(location) && !strpbrk(location, " \\");
	if (!absolute && !valid_local_path(location, n)) {
		log_error("redirect refused: location is neither a local path nor an http(s) URL");
		return 500;
	}
	r->status = status;
	r->content_type = NULL;
	buf_reset(&r->body);
	set_header(r, "Location", arena_strdup(r->arena, location));
	/* Permanent redirects are as cacheable as the page; the others answer one request. */
	if (status != 301 && status != 308)
		r->cache = RESP_CACHE_NONE;
	return 0;
}

/* ---------------------------------------------------------------- templates */

static void
set_default(struct tval *ctx, const char *key, struct tval *v)
{
	if (tv_get(ctx, key) == NULL)
		tv_set(ctx, key, v);
}

int
resp_render(struct app *app, struct request *req, struct response *r, const char *name,
    struct tval *ctx)
{
	struct arena *a = r->arena;
	if (ctx == NULL)
		ctx = tv_obj(a);
	if (app == NULL || app->tmpl == NULL || ctx->type != TV_OBJ)
		return -1;
	const struct config *cfg = app->cfg;
	if (cfg) {
		/* Built only when the page has not set them, and without printf:
		 * this runs on every page. */
		const char *base = cfg->base_url ? cfg->base_url : "";
		if (tv_get(ctx, "site") == NULL) {
			struct tval *site = tv_obj(a);
			tv_set_str(site, "name", cfg->site_name);
			tv_set_str(site, "base_url", base);
			tv_set_str(site, "asset_version", app->asset_version);
			tv_set(ctx, "site", site);
		}
		/* config.c has checked every value is UTF-8; the raw path is the client's bytes. */
		const char *raw = req->raw_path ? req->raw_path : "/";
		if (tv_get(ctx, "canonical_url") == NULL && valid_utf8(raw, strlen(raw)))
			tv_set(ctx, "canonical_url", tv_concat(a, base, raw));
	}
	set_default(ctx, "request_id", tv_str(a, req->id));
	/* Issue 6: the layout's member menu, and placeholders where age verification is required. */
	if (req->session && tv_get(ctx, "member") == NULL) {
		struct tval *member = tv_obj(a);
		tv_set_str(member, "username", req->session->username);
		tv_set_str(member, "csrf", req->session->csrf);
		tv_set(ctx, "member", member);
	}
	if (req->restricted)
		set_default(ctx, "restricted", tv_bool(1));
	if (req->path && valid_utf8(req->path, strlen(req->path)))
		set_default(ctx, "path", tv_str(a, req->path));
	buf_reset(&r->body);
	if (tmpl_render(app->tmpl, name, ctx, &r->body) != 0) {
		buf_reset(&r->body);
		return -1;
	}
	r->content_type = "text/html; charset=utf-8";
	return 0;
}

/* ---------------------------------------------------------------- error pages */

static void
put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

/* The page used when templates are unavailable (unit tests, broken template set). */
static void
builtin_page(struct buf *b, int status, const char *title, const char *message,
    const char *next, const char *rid)
{
	buf_reset(b);
	buf_printf(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"rating\" content=\"" RESP_RTA "\">\n<title>%d ", status);
	put_escaped(b, title);
	buf_printf(b, "</title>\n</head>\n<body>\n<main id=\"content\">\n<h1>%d ", status);
	put_escaped(b, title);
	buf_puts(b, "</h1>\n<p>");
	put_escaped(b, message);
	buf_puts(b, "</p>\n<p>");
	put_escaped(b, next);
	buf_puts(b, "</p>\n<p><a href=\"/\">Home</a></p>\n<p><small>Request id: ");
	put_escaped(b, rid);
	buf_puts(b, "</small></p>\n</main>\n</body>\n</html>\n");
}

void
resp_error_page(struct app *app, struct request *req, struct response *r, int status,
    const char *message)
{
	if (status < 400 || status > 599)
		status = 500;
	const struct status_info *si = status_info(status);
	const char *title = si ? si->reason : reason(status);
	const char *msg = message ? message : si ? si->message : "The request failed.";
	const char *next = si ? si->next : "Go back to the home page.";

	r->status = status;
	r->headers = NULL;
	r->nheaders = r->capheaders = 0;
	r->cache = RESP_CACHE_NONE;
	r->content_type = "text/html; charset=utf-8";
	if (status == 503)
		set_header(r, "Retry-After", arena_printf(r->arena, "%d", HTTP_RETRY_AFTER));

	struct tval *ctx = tv_obj(r->arena);
	tv_set_int(ctx, "status", status);
	tv_set_str(ctx, "title", title);
	tv_set_str(ctx, "message", msg);
	tv_set_str(ctx, "next", next);
	tv_set_str(ctx, "request_id", req_id(req));
	if (resp_render(app, req, r, "error", ctx) != 0)
		builtin_page(&r->body, status, title, msg, next, req_id(req));
	r->content_type = "text/html; charset=utf-8";
}

/* ---------------------------------------------------------------- finishing */

/*
 * Does the If-None-Match list hold our tag?  Weak comparison (RFC 9110
 * 13.1.2): a W/ prefix is ignored; "*" matches any current representation.
 */
static int
etag_listed(const char *list, const char *etag)
{
	size_t elen = strlen(etag);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return 0;
		const char *end = strchr(p + 1, '"');
		if (end == NULL)
			return 0;
		if ((size_t)(end + 1 - p) == elen && memcmp(p, etag, elen) == 0)
			return 1;
		p = end + 1;
	}
	return 0;
}

static int
has_session(const struct request *req)
{
	for (size_t i = 0; i < req->cookies.n; i++)
		if (strcmp(req->cookies.v[i].key, HTTP_SESSION_COOKIE) == 0)
			return 1;
	return 0;
}

void
resp_finish(struct request *req, struct response *r)
{
	int getlike = req->method == HTTP_GET || req->method == HTTP_HEAD;
	r->head = req->method == HTTP_HEAD;

	/* A request with a session is personalised unless the handler said there is nothing private. */
	if (r->cache == RESP_CACHE_PUBLIC && (has_session(req) || !getlike))
		r->cache = RESP_CACHE_PRIVATE;
	switch (r->cache) {
	case RESP_CACHE_PUBLIC:
		set_header(r, "Cache-Control", r->max_age == HTTP_CACHE_MAX_AGE
		    ? "public, max-age=" XSTR(HTTP_CACHE_MAX_AGE)
		    : arena_printf(r->arena, "public, max-age=%d", r->max_age));
		/* A browser that kept the anonymous page must not show it after signing in. */
		set_header(r, "Vary", "Cookie");
		/*
		 * nginx's micro-cache keeps the page for 1 s only, whatever max-age
		 * says (X-Accel-Expires wins over Cache-Control there and is never
		 * passed on): an unpublished or deleted item leaves the shared cache
		 * at once, while bursts on a popular page are still absorbed.
		 */
		set_header(r, "X-Accel-Expires", "1");
		break;
	case RESP_CACHE_PRIVATE:
		set_header(r, "Cache-Control", "private, no-store");
		break;
	case RESP_CACHE_NONE:
		set_header(r, "Cache-Control", "no-store");
		break;
	}

	if (r->status == 200 && getlike && r->cache == RESP_CACHE_PUBLIC) {
		/*
		 * The ETag only has to change when the body does: XXH64 of the body,
		 * so every worker and every restart gives a page the same tag.  It
		 * takes about 2.6 us on a 23 KB page where SipHash-x24 took 9.5; a
		 * collision an attacker could craft would only confuse their own
		 * cache (the tag is compared per URL, with the client's own copy).
		 */
		static const char hexd[] = "0123456789abcdef";
		uint64_t h = xxh64(r->body.data, r->body.len, 0);
		char *etag = arena_alloc(r->arena, 16 + 3);
		etag[0] = '"';
		for (int i = 0; i < 16; i++)
			etag[1 + i] = hexd[(h >> (60 - 4 * i)) & 0xf];
		etag[17] = '"';
		etag[18] = '\0';
		set_header(r, "ETag", etag);
		const char *inm = req_header(req, "if-none-match");
		if (inm && etag_listed(inm, etag))
			r->status = 304;
	}

	set_header(r, "X-Content-Type-Options", "nosniff");
	set_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	if (r->content_type && strncmp(r->content_type, "text/html", 9) == 0) {
		/* RESP_CSP ends with form-action: an extra origin joins its list. */
		set_header(r, "Content-Security-Policy", r->form_action ?
		    arena_printf(r->arena, "%s %s", RESP_CSP, r->form_action) : RESP_CSP);
		set_header(r, "X-Frame-Options", "DENY");
	}
	set_header(r, "Rating", RESP_RTA);
	set_header(r, "X-Request-Id", req_id(req));
}

/* ---------------------------------------------------------------- output */

static int
bodyless(int status)
{
	return status == 204 || status == 304 || (status >= 100 && status < 200);
}

/* "name: value\r\n" */
static void
put_field(struct buf *out, const char *name, const char *value)
{
	buf_puts(out, name);
	buf_append(out, ": ", 2);
	buf_puts(out, value);
	buf_append(out, "\r\n", 2);
}

void
resp_write_head(const struct response *resp, struct buf *out)
{
	buf_puts(out, "Status: ");
	buf_put_i64(out, resp->status);
	buf_putc(out, ' ');
	buf_puts(out, reason(resp->status));
	buf_append(out, "\r\n", 2);
	if (!bodyless(resp->status)) {
		if (resp->content_type)
			put_field(out, "Content-Type", resp->content_type);
		/* HEAD announces the length the GET body has. */
		buf_puts(out, "Content-Length: ");
		buf_put_i64(out, (long long)resp->body.len);
		buf_append(out, "\r\n", 2);
	}
	for (size_t i = 0; i < resp->nheaders; i++)
		put_field(out, resp->headers[i].name, resp->headers[i].value);
	buf_append(out, "\r\n", 2);
}

const char *
resp_body(const struct response *resp, size_t *len)
{
	if (resp->head || bodyless(resp->status) || resp->body.len == 0) {
		*len = 0;
		return NULL;
	}
	*len = resp->body.len;
	return resp->body.data;
}

int
resp_status(const struct response *resp)
{
	return resp->status;
}
