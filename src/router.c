/*
 * router.c - see router.h.  Patterns are interpreted at match time: a
 * handful of short string comparisons per route, cheaper than any setup.
 */
#include "router.h"

#include "arena.h"
#include "decode.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

enum seg_kind {
	SEG_LITERAL,
	SEG_SLUG,
	SEG_UUID,
	SEG_INT,
	SEG_BAD,
	SEG__MAX
};

static const char *const seg_types[SEG__MAX] = {
	[SEG_SLUG] = "slug",
	[SEG_UUID] = "uuid",
	[SEG_INT]  = "int",
};

/* One segment of a pattern: a literal, or a capture "{name:type}". */
struct pseg {
	enum seg_kind kind;
	const char   *text;      /* literal text, or the capture's name */
	size_t        len;
};

/*
 * Read the pattern segment at *pp (just after a '/') and advance *pp past
 * it and its trailing '/'.  Returns 0 when there is no segment left.
 */
static int
next_pseg(const char **pp, struct pseg *s)
{
	const char *p = *pp;
	if (p == NULL)
		return 0;
	const char *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : strlen(p);
	*pp = slash ? slash + 1 : NULL;
	s->kind = SEG_LITERAL;
	s->text = p;
	s->len = n;
	if (n == 0 || p[0] != '{')
		return 1;
	const char *colon = memchr(p, ':', n);
	s->kind = SEG_BAD;
	if (colon == NULL || p[n - 1] != '}')
		return 1;
	s->text = p + 1;
	s->len = (size_t)(colon - p - 1);
	const char *type = colon + 1;
	size_t tlen = (size_t)(p + n - 1 - type);
	for (int k = SEG_SLUG; k < SEG_BAD; k++)
		if (strlen(seg_types[k]) == tlen && memcmp(seg_types[k], type, tlen) == 0)
			s->kind = (enum seg_kind)k;
	return 1;
}

/* Does the route's pattern match the segments?  Fills caps/ncap on success. */
static int
match_pattern(const char *pattern, const char *const *segs, size_t nsegs,
    struct capture *caps, size_t *ncap)
{
	const char *p = pattern[1] ? pattern + 1 : NULL;   /* "/" has no segments */
	struct pseg ps;
	*ncap = 0;
	for (size_t k = 0; k < nsegs; k++) {
		if (!next_pseg(&p, &ps))
			return 0;
		const char *seg = segs[k];
		size_t slen = strlen(seg);
		long long num = 0;
		switch (ps.kind) {
		case SEG_LITERAL:
			if (slen != ps.len || memcmp(seg, ps.text, slen) != 0)
				return 0;
			continue;
		case SEG_SLUG:
			if (!valid_slug(seg, slen))
				return 0;
			break;
		case SEG_UUID:
			if (!valid_uuid(seg, slen))
				return 0;
			break;
		case SEG_INT:
			if (!valid_int(seg, slen, 0, INT32_MAX, &num))
				return 0;
			break;
		case SEG_BAD:
		case SEG__MAX:
			return 0;
		}
		if (*ncap == HTTP_CAPTURES_MAX)
			return 0;
		caps[(*ncap)++] = (struct capture){ps.text, ps.len, seg, num};
	}
	return !next_pseg(&p, &ps);
}

static unsigned
effective_methods(unsigned m)
{
	return (m & HTTP_M(HTTP_GET)) ? m | HTTP_M(HTTP_HEAD) : m;
}

/* Methods of the routes whose pattern matches segs; the first route allowing method goes to *found. */
static unsigned
scan(const struct route *table, size_t n, const char *const *segs, size_t nsegs,
    enum http_method method, const struct route **found, struct capture *caps, size_t *ncap)
{
	unsigned allow = 0;
	struct capture tmp[HTTP_CAPTURES_MAX];
	size_t ntmp;
	*found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!match_pattern(table[i].pattern, segs, nsegs, tmp, &ntmp))
			continue;
		unsigned m = effective_methods(table[i].methods);
		allow |= m;
		if (*found == NULL && (m & HTTP_M(method))) {
			*found = &table[i];
			memcpy(caps, tmp, sizeof tmp);
			*ncap = ntmp;
		}
	}
	return allow;
}

/* Percent-encode raw bytes >= 0x80 so a Location header stays ASCII. */
static void
put_ascii(char *out, size_t *len, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			out[(*len)++] = '%';
			out[(*len)++] = hex[c >> 4];
			out[(*len)++] = hex[c & 15];
		} else
			out[(*len)++] = (char)c;
	}
}

/*
 * The canonical variant of a raw path that matched nothing: ASCII letters
 * lowercased, trailing slashes removed.  Returns its location (query kept)
 * if it differs and matches a route, else NULL.
 */
static const char *
canonical(const struct route *table, size_t n, struct request *req)
{
	struct arena *a = req->arena;
	size_t len = strlen(req->raw_path);
	char *cand = arena_strndup(a, req->raw_path, len);
	for (char *p = cand; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	while (len > 1 && cand[len - 1] == '/')
		cand[--len] = '\0';
	if (strcmp(cand, req->raw_path) == 0)
		return NULL;

	size_t nsegs = 0;
	for (size_t i = 0; i < len; i++)
		nsegs += cand[i] == '/';
	if (len == 1)
		nsegs = 0;
	const char **segs = arena_calloc(a, nsegs ? nsegs : 1, sizeof *segs);
	const char *p = cand + 1;
	for (size_t k = 0; k < nsegs; k++) {
		size_t slen = strcspn(p, "/");
		char *seg;
		size_t dlen;
		if (decode_pct(a, p, slen, 0, &seg, &dlen) != DECODE_OK)
			return NULL;
		segs[k] = seg;
		p += slen + 1;
	}
	const struct route *r;
	struct capture caps[HTTP_CAPTURES_MAX];
	size_t ncap;
	if (scan(table, n, segs, nsegs, req->method, &r, caps, &ncap) == 0)
		return NULL;

	size_t qlen = strlen(req->raw_query);
	char *loc = arena_alloc(a, 3 * (len + qlen) + 2);
	size_t l = 0;
	put_ascii(loc, &l, cand, len);
	if (qlen) {
		loc[l++] = '?';
		put_ascii(loc, &l, req->raw_query, qlen);
	}
	loc[l] = '\0';
	return loc;
}

enum router_result
router_match(const struct route *table, size_t n, struct request *req, struct route_match *m)
{
	*m = (struct route_match){NULL, 0, NULL};
	const struct route *r;
	m->allow = scan(table, n, req->segs, req->nsegs, req->method, &r, req->captures,
	    &req->ncaptures);
	if (r) {
		m->route = r;
		req->route = r;
		return ROUTER_FOUND;
	}
	req->ncaptures = 0;
	if (m->allow)
		return ROUTER_BAD_METHOD;
	if (req->method == HTTP_GET || req->method == HTTP_HEAD) {
		m->location = canonical(table, n, req);
		if (m->location)
			return ROUTER_REDIRECT;
	}
	return ROUTER_NOT_FOUND;
}

const char *
router_allow_header(struct arena *a, unsigned methods)
{
	char *s = "";
	for (int i = 0; i < HTTP_OTHER; i++)
		if (methods & HTTP_M(i))
			s = arena_printf(a, "%s%s%s", s, *s ? ", " : "", req_method_str((enum http_method)i));
	return s;
}

static int
check_pattern(const char *pat, char *err, size_t errlen)
{
	if (pat == NULL || pat[0] != '/') {
		snprintf(err, errlen, "pattern %s: must start with /", pat ? pat : "(null)");
		return -1;
	}
	if (pat[1] == '\0')
		return 0;
	const char *p = pat + 1;
	struct pseg ps;
	int ncap = 0;
	while (next_pseg(&p, &ps)) {
		if (ps.kind == SEG_BAD) {
			snprintf(err, errlen, "pattern %s: bad capture (want {name:slug|uuid|int})", pat);
			return -1;
		}
		if (ps.kind != SEG_LITERAL) {
			if (ps.len == 0 || ++ncap > HTTP_CAPTURES_MAX) {
				snprintf(err, errlen, "pattern %s: unnamed capture or too many", pat);
				return -1;
			}
			continue;
		}
		if (ps.len == 0) {
			snprintf(err, errlen, "pattern %s: empty segment or trailing /", pat);
			return -1;
		}
		for (size_t i = 0; i < ps.len; i++) {
			unsigned char c = (unsigned char)ps.text[i];
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '_' || c == '.')) {
				snprintf(err, errlen, "pattern %s: literal segments are lowercase [a-z0-9._-]", pat);
				return -1;
			}
		}
	}
	return 0;
}

int
router_check(const struct route *table, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &table[i];
		if (check_pattern(r->pattern, err, errlen))
			return -1;
		if (r->methods == 0 || (r->methods & ~(HTTP_M(HTTP_OTHER) - 1)) || !r->handler ||
		    (unsigned)r->auth >= AUTH__MAX) {
			snprintf(err, errlen, "route %s: needs methods, a handler and an auth level",
			    r->pattern);
			return -1;
		}
		for (size_t k = 0; k < r->nparams; k++) {
			const struct param *p = &r->params[k];
			if (p->name == NULL || p->name[0] == '\0' ||
			    strlen(p->name) > HTTP_KEY_MAX || (unsigned)p->rule.kind >= VALID__MAX ||
			    (unsigned)p->src >= PARAM__MAX ||
			    (p->rule.kind == VALID_ENUM && p->rule.members == NULL)) {
				snprintf(err, errlen, "route %s: param %zu needs a name, source and validator",
				    r->pattern, k);
				return -1;
			}
		}
	}
	return 0;
}
