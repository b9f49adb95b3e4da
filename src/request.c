/*
 * request.c - FastCGI params + body -> struct request; binding of declared
 * keys to validated fields.
 *
 * Pure: no libfcgi, no database, no templates; everything in the request
 * arena.  The rules for parameters are written down once, in http.h.
 * Does not route (router.c) nor build responses (response.c).
 */
#include "http.h"

#include "arena.h"
#include "decode.h"
#include "router.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const method_names[HTTP__MAX] = {
	[HTTP_GET]     = "GET",
	[HTTP_HEAD]    = "HEAD",
	[HTTP_POST]    = "POST",
	[HTTP_PUT]     = "PUT",
	[HTTP_PATCH]   = "PATCH",
	[HTTP_DELETE]  = "DELETE",
	[HTTP_OPTIONS] = "OPTIONS",
	[HTTP_OTHER]   = "OTHER",
};

const char *
req_method_str(enum http_method m)
{
	return (unsigned)m < HTTP__MAX ? method_names[m] : "OTHER";
}

static int
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* An unknown method as it may appear in the log: at most 16 token characters. */
static const char *
log_token(struct arena *a, const char *s)
{
	size_t n = 0;
	while (n < 16 && is_tchar((unsigned char)s[n]))
		n++;
	return n ? arena_strndup(a, s, n) : "-";
}

static enum http_method
parse_method(const char *s)
{
	for (int m = 0; m < HTTP_OTHER; m++)
		if (strcmp(s, method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP_OTHER;
}

/* Record the first failure: its status and the sentence shown on the error page. */
static int
fail(struct request *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct request *req, int status, const char *fmt, ...)
{
	if (req->status == 0) {
		va_list ap;
		va_start(ap, fmt);
		req->error = arena_vprintf(req->arena, fmt, ap);
		va_end(ap);
		req->status = status;
	}
	return status;
}

/* ---------------------------------------------------------------- request id */

/*
 * nginx's $request_id is 32 hex digits; we accept any id of 8..64 bytes of
 * [A-Za-z0-9_-] (log.h keeps 63) so that a proxy's own format passes too,
 * while nothing that could break a log line or a header gets through.
 */
static int
rid_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 8 || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static const char *
rid_generate(struct arena *a)
{
	unsigned char rnd[16];
	char *hex = arena_alloc(a, sizeof rnd * 2 + 1);
	if (sodium_init() < 0)
		abort();     /* no entropy source: nothing safe can run */
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof rnd * 2 + 1, rnd, sizeof rnd);
	return hex;
}

/* ---------------------------------------------------------------- urlencoded */

/*
 * Split "k=v&k2=v2" (query string or form body) into decoded pairs.
 * Empty pieces ("a=1&&b=2") are skipped; a piece without '=' is a key with
 * an empty value.  what: "query string" or "form" for messages.
 * Returns 0, or the status recorded with fail().
 */
static int
parse_urlencoded(struct request *req, const char *s, size_t len, const char *what,
    struct http_pairs *out)
{
	size_t pieces = 1;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '&')
			pieces++;
	if (pieces > HTTP_PARAMS_MAX)
		pieces = HTTP_PARAMS_MAX + 1;
	out->v = arena_calloc(req->arena, pieces, sizeof *out->v);
	out->n = 0;

	size_t i = 0;
	while (i <= len) {
		const char *p = s + i;
		const char *amp = memchr(p, '&', len - i);
		size_t plen = amp ? (size_t)(amp - p) : len - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		if (out->n == HTTP_PARAMS_MAX)
			return fail(req, 400, "The %s has too many parameters (at most %d).",
			    what, HTTP_PARAMS_MAX);
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen;
		const char *v = eq ? eq + 1 : p + plen;
		size_t vlen = eq ? plen - klen - 1 : 0;
		char *key, *val;
		size_t dklen, dvlen;
		enum decode_err e = decode_pct(req->arena, p, klen, DECODE_PLUS, &key, &dklen);
		if (e == DECODE_OK)
			e = decode_pct(req->arena, v, vlen, DECODE_PLUS, &val, &dvlen);
		if (e != DECODE_OK)
			return fail(req, 400, "The %s contains %s.", what, decode_strerror(e));
		if (dklen > HTTP_KEY_MAX)
			return fail(req, 400, "The %s has a parameter name longer than %d bytes.",
			    what, HTTP_KEY_MAX);
		if (dvlen > HTTP_VALUE_MAX)
			return fail(req, 413, "The %s parameter \"%s\" is longer than %d bytes.",
			    what, key, HTTP_VALUE_MAX);
		out->v[out->n++] = (struct http_pair){key, val, dvlen};
	}
	return 0;
}

/* ---------------------------------------------------------------- cookies */

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * "a=b; c=d" -> raw pairs.  Pieces that are not name=value with a token
 * name are ignored, as browsers do (RFC 6265 5.2); values keep their bytes
 * (decoded only when a route declares the cookie).  Surrounding quotes are
 * removed.
 */
static int
parse_cookies(struct request *req, const char *s)
{
	size_t len = strlen(s);
	if (len > HTTP_COOKIE_MAX)
		return fail(req, 431, "Your browser sent %zu bytes of cookies; at most %d are accepted.",
		    len, HTTP_COOKIE_MAX);
	size_t pieces = 1;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ';')
			pieces++;
	struct http_pairs *out = &req->cookies;
	out->v = arena_calloc(req->arena, pieces, sizeof *out->v);
	out->n = 0;
	size_t i = 0;
	while (i <= len) {
		const char *p = s + i;
		const char *semi = memchr(p, ';', len - i);
		size_t plen = semi ? (size_t)(semi - p) : len - i;
		i += plen + 1;
		while (plen > 0 && is_ows(*p)) {
			p++;
			plen--;
		}
		while (plen > 0 && is_ows(p[plen - 1]))
			plen--;
		const char *eq = memchr(p, '=', plen);
		if (eq == NULL || eq == p)
			continue;
		size_t klen = (size_t)(eq - p);
		int ok = 1;
		for (size_t k = 0; k < klen; k++)
			ok &= is_tchar((unsigned char)p[k]);
		if (!ok)
			continue;
		const char *v = eq + 1;
		size_t vlen = plen - klen - 1;
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (out->n == HTTP_PARAMS_MAX)
			return fail(req, 431, "Your browser sent more than %d cookies.", HTTP_PARAMS_MAX);
		out->v[out->n++] = (struct http_pair){arena_strndup(req->arena, p, klen),
		    arena_strndup(req->arena, v, vlen), vlen};
	}
	return 0;
}

/* ---------------------------------------------------------------- path */

/* Split the raw path on '/' and decode each segment; fills req->segs and req->path. */
static int
parse_path(struct request *req)
{
	const char *raw = req->raw_path;
	size_t len = strlen(raw);
	size_t nseg = 0;
	for (size_t i = 0; i < len; i++)
		if (raw[i] == '/')
			nseg++;
	if (len == 1)
		nseg = 0;        /* "/" has no segments */
	req->segs = arena_calloc(req->arena, nseg ? nseg : 1, sizeof *req->segs);
	char *path = arena_alloc(req->arena, len + 1);
	size_t plen = 0;
	const char *p = raw + 1;
	for (size_t k = 0; k < nseg; k++) {
		const char *slash = strchr(p, '/');
		size_t slen = slash ? (size_t)(slash - p) : strlen(p);
		char *seg;
		size_t dlen;
		enum decode_err e = decode_pct(req->arena, p, slen, 0, &seg, &dlen);
		if (e != DECODE_OK)
			return fail(req, 400, "The address contains %s.", decode_strerror(e));
		for (size_t j = 0; j < dlen; j++) {
			unsigned char c = (unsigned char)seg[j];
			if (c < 0x20 || c == 0x7f)
				return fail(req, 400, "The address contains an encoded control character.");
		}
		req->segs[k] = seg;
		path[plen++] = '/';
		memcpy(path + plen, seg, dlen);
		plen += dlen;
		p += slen + 1;
	}
	if (nseg == 0)
		path[plen++] = '/';
	path[plen] = '\0';
	req->nsegs = nseg;
	req->path = path;
	return 0;
}

/* Raw request-target bytes: no controls, no space (nginx rejects them, but we do not rely on it). */
static int
raw_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s == 0x7f)
			return 0;
	return 1;
}

static int
parse_target(struct request *req, const char *uri)
{
	if (uri == NULL || uri[0] == '\0')
		return fail(req, 400, "The request has no address.");
	size_t len = strlen(uri);
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : len;
	req->raw_path = arena_strndup(req->arena, uri, plen > HTTP_URI_MAX ? HTTP_URI_MAX : plen);
	if (len > HTTP_URI_MAX)
		return fail(req, 414, "The address is longer than %d bytes.", HTTP_URI_MAX);
	req->raw_query = q ? arena_strdup(req->arena, q + 1) : "";
	if (uri[0] != '/')
		return fail(req, 400, "The address must start with /.");
	if (!raw_ok(uri))
		return fail(req, 400, "The address contains a space or a control character.");
	if (parse_path(req))
		return req->status;
	return parse_urlencoded(req, req->raw_query, strlen(req->raw_query), "query string",
	    &req->query);
}

/* ---------------------------------------------------------------- headers */

/* "HTTP_IF_NONE_MATCH" -> "if-none-match" */
static char *
header_name(struct arena *a, const char *cgi, size_t n)
{
	char *s = arena_strndup(a, cgi, n);
	for (char *p = s; *p; p++) {
		if (*p == '_')
			*p = '-';
		else if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return s;
}

static int
add_header(struct request *req, const char *name, size_t nlen, const char *val)
{
	size_t vlen = strlen(val);
	if (req->headers.n == HTTP_HEADERS_MAX)
		return fail(req, 431, "The request has more than %d headers.", HTTP_HEADERS_MAX);
	if (vlen > HTTP_HEADER_MAX || nlen > HTTP_HEADER_MAX)
		return fail(req, 431, "A request header is longer than %d bytes.", HTTP_HEADER_MAX);
	for (size_t i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)val[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(req, 400, "A request header contains a control character.");
	}
	req->headers.v[req->headers.n++] = (struct http_pair){header_name(req->arena, name, nlen),
	    arena_strdup(req->arena, val), vlen};
	return 0;
}

/* "Application/JSON; charset=utf-8" -> "application/json" */
static const char *
media_type(struct arena *a, const char *ct)
{
	while (is_ows(*ct))
		ct++;
	size_t n = strcspn(ct, ";");
	while (n > 0 && is_ows(ct[n - 1]))
		n--;
	char *s = arena_strndup(a, ct, n);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

/* ---------------------------------------------------------------- body */

static void
json_release(void *p)
{
	json_decref(p);
}

/* Top-level scalars of a JSON object become form pairs (rules in http.h). */
static int
parse_json(struct request *req)
{
	json_error_t err;
	json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL)
		return fail(req, 400, "The JSON body is invalid at line %d, column %d: %s.",
		    err.line, err.column, err.text);
	arena_defer(req->arena, json_release, j);
	if (!json_is_object(j))
		return fail(req, 400, "The JSON body must be an object.");
	req->json = j;
	size_t n = json_object_size(j);
	req->form.v = arena_calloc(req->arena, n ? n : 1, sizeof *req->form.v);
	req->form.n = 0;
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		const char *s;
		size_t slen;
		switch (json_typeof(v)) {
		case JSON_STRING:
			s = json_string_value(v);
			slen = json_string_length(v);
			break;
		case JSON_INTEGER:
			s = arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
			slen = strlen(s);
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			s = json_is_true(v) ? "true" : "false";
			slen = strlen(s);
			break;
		default:
			continue;
		}
		if (req->form.n == HTTP_PARAMS_MAX)
			return fail(req, 400, "The JSON body has too many members (at most %d).",
			    HTTP_PARAMS_MAX);
		if (strlen(key) > HTTP_KEY_MAX)
			return fail(req, 400, "The JSON body has a member name longer than %d bytes.",
			    HTTP_KEY_MAX);
		if (slen > HTTP_VALUE_MAX)
			return fail(req, 413, "The JSON member \"%s\" is longer than %d bytes.",
			    key, HTTP_VALUE_MAX);
		req->form.v[req->form.n++] = (struct http_pair){key, s, slen};
	}
	return 0;
}

static int
parse_body(struct request *req, const char *body, size_t len)
{
	if (len > HTTP_BODY_MAX)
		return fail(req, 413, "The request body is larger than %d KB.", HTTP_BODY_MAX / 1024);
	/* A private NUL-terminated copy: jansson and the form parser need no more, handlers may. */
	req->body = len ? arena_memdup(req->arena, body, len) : "";
	req->body_len = len;
	if (len == 0)
		return 0;
	if (strcmp(req->content_type, "application/x-www-form-urlencoded") == 0)
		return parse_urlencoded(req, req->body, len, "form", &req->form);
	if (strcmp(req->content_type, "application/json") == 0)
		return parse_json(req);
	if (strcmp(req->content_type, "multipart/form-data") == 0)
		return fail(req, 415, "File uploads (multipart/form-data) are not accepted here.");
	return 0;        /* other types: raw body only (e.g. signed webhooks) */
}

/* ---------------------------------------------------------------- req_parse */

/*
 * v if it is min..max characters of [A-Z] (digits too when digits is set):
 * an ISO 3166 country or subdivision code; else NULL.
 */
static const char *
geo_code(struct arena *a, const char *v, size_t min, size_t max, int digits)
{
	size_t n = strlen(v);
	if (n < min || n > max)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] >= 'A' && v[i] <= 'Z') && !(digits && v[i] >= '0' && v[i] <= '9'))
			return NULL;
	return arena_strdup(a, v);
}

int
req_parse(struct arena *a, char **envp, const char *body, size_t body_len, struct request **out)
{
	struct request *req = arena_calloc(a, 1, sizeof *req);
	*out = req;
	req->arena = a;
	req->method = HTTP_OTHER;
	req->method_name = "-";
	req->raw_query = "";
	req->content_type = "";
	req->remote_addr = "";
	req->body = "";

	const char *method = NULL, *uri = NULL, *rid = NULL, *ct = NULL;
	const char *cookie = NULL;
	size_t nenv = 0;
	for (char **e = envp; e && *e; e++)
		nenv++;
	req->headers.v = arena_calloc(a, nenv > HTTP_HEADERS_MAX ? HTTP_HEADERS_MAX : (nenv ? nenv : 1),
	    sizeof *req->headers.v);

	/*
	 * First occurrence of each param wins.  The query comes from REQUEST_URI,
	 * not QUERY_STRING: one raw source for both path and query.
	 */
	for (char **e = envp; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (eq == NULL)
			continue;
		size_t nlen = (size_t)(eq - *e);
		const char *v = eq + 1;
#define IS(name) (nlen == sizeof(name) - 1 && memcmp(*e, name, nlen) == 0)
		if (IS("REQUEST_METHOD") && !method)
			method = v;
		else if (IS("REQUEST_URI") && !uri)
			uri = v;
		else if (IS("REQUEST_ID") && !rid)
			rid = v;
		else if (IS("CONTENT_TYPE") && !ct)
			ct = v;
		else if (IS("REMOTE_ADDR") && !req->remote_addr[0])
			req->remote_addr = arena_strdup(a, v);
		else if (IS("MARQUEE_INTERNAL"))
			req->internal = strcmp(v, "1") == 0;
		else if (IS("GEO_COUNTRY") && !req->geo_country)
			req->geo_country = geo_code(a, v, 2, 2, 0);
		else if (IS("GEO_REGION") && !req->geo_region)
			req->geo_region = geo_code(a, v, 1, 3, 1);
		else if (nlen > 5 && memcmp(*e, "HTTP_", 5) == 0) {
			if (IS("HTTP_COOKIE") && !cookie)
				cookie = v;
			add_header(req, *e + 5, nlen - 5, v);
		}
#undef IS
	}

	req->id = rid && rid_ok(rid) ? arena_strdup(a, rid) : rid_generate(a);
	if (method) {
		req->method = parse_method(method);
		req->method_name = req->method == HTTP_OTHER ? log_token(a, method) :
		    method_names[req->method];
	}
	if (ct)
		req->content_type = media_type(a, ct);
	if (req->status)          /* a header failed */
		return req->status;
	if (parse_target(req, uri))
		return req->status;
	if (cookie && parse_cookies(req, cookie))
		return req->status;
	if (parse_body(req, body, body_len))
		return req->status;
	return 0;
}

/* ---------------------------------------------------------------- binding */

static const struct http_pairs *
source(const struct request *req, enum param_src src)
{
	switch (src) {
	case PARAM_QUERY:
		return &req->query;
	case PARAM_FORM:
		return &req->form;
	case PARAM_COOKIE:
	case PARAM__MAX:
		break;
	}
	return &req->cookies;
}

static void
bind_one(struct request *req, const struct param *p, struct field *f)
{
	const struct http_pairs *src = source(req, p->src);
	const struct http_pair *hit = NULL;
	size_t count = 0;
	for (size_t i = 0; i < src->n; i++) {
		if (strcmp(src->v[i].key, p->name) != 0)
			continue;
		if (hit == NULL)
			hit = &src->v[i];
		count++;
	}
	if (hit == NULL) {
		if (p->required) {
			f->state = FIELD_INVALID;
			f->why = "is required";
		}
		return;
	}
	const char *val = hit->val;
	size_t vlen = hit->vlen;
	f->value = val;
	f->len = vlen;
	f->state = FIELD_INVALID;
	if (p->src == PARAM_COOKIE) {
		char *d;
		enum decode_err e = decode_pct(req->arena, val, vlen, 0, &d, &vlen);
		if (e != DECODE_OK) {
			f->why = arena_printf(req->arena, "contains %s", decode_strerror(e));
			return;
		}
		f->value = val = d;
		f->len = vlen;
	} else if (count > 1) {
		f->why = "is given more than once";
		return;
	}
	if (!valid_check(&p->rule, val, vlen, &f->num)) {
		f->why = arena_printf(req->arena, "must be %s", valid_describe(&p->rule, req->arena));
		return;
	}
	f->state = FIELD_VALID;
}

int
req_bind(struct request *req, const struct param *params, size_t n)
{
	req->fields = arena_calloc(req->arena, n ? n : 1, sizeof *req->fields);
	req->nfields = n;
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		bind_one(req, &params[i], &req->fields[i]);
		if (req->fields[i].state == FIELD_INVALID && status == 0) {
			static const char *const where[PARAM__MAX] = {
				[PARAM_QUERY] = "parameter", [PARAM_FORM] = "form field",
				[PARAM_COOKIE] = "cookie",
			};
			status = fail(req, 400, "The %s \"%s\" %s.", where[params[i].src],
			    params[i].name, req->fields[i].why);
		}
	}
	return status;
}

/* ---------------------------------------------------------------- accessors */

const struct field *
req_field(const struct request *req, size_t i)
{
	static const struct field absent = {FIELD_ABSENT, NULL, 0, 0, NULL};
	return i < req->nfields ? &req->fields[i] : &absent;
}

const char *
req_str(const struct request *req, size_t i)
{
	const struct field *f = req_field(req, i);
	return f->state == FIELD_VALID ? f->value : NULL;
}

long long
req_num(const struct request *req, size_t i, long long dflt)
{
	const struct field *f = req_field(req, i);
	return f->state == FIELD_VALID ? f->num : dflt;
}

const struct capture *
req_capture(const struct request *req, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < req->ncaptures; i++)
		if (req->captures[i].namelen == n && memcmp(req->captures[i].name, name, n) == 0)
			return &req->captures[i];
	return NULL;
}

const char *
req_header(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->headers.n; i++)
		if (strcmp(req->headers.v[i].key, name) == 0)
			return req->headers.v[i].val;
	return NULL;
}

const char *
req_method_name(const struct request *req)
{
	return req && req->method_name ? req->method_name : "-";
}

const char *
req_path(const struct request *req)
{
	if (req == NULL)
		return "-";
	if (req->path)
		return req->path;
	return req->raw_path ? req->raw_path : "-";
}

const char *
req_id(const struct request *req)
{
	return req && req->id ? req->id : "-";
}
