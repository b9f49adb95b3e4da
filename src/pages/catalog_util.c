/*
 * catalog_util.c - see catalog_util.h.
 */
#include "pages/catalog_util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "util.h"

/* ---------------------------------------------------------------- colours */

/* Used when a collection has no valid colour scheme: the site's own accent on its raised background. */
#define DEFAULT_PRIMARY "#1c1c22"
#define DEFAULT_ACCENT  "#ff6b8a"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
cat_hex_colour(const char *s, unsigned char rgb[3])
{
	if (s == NULL || s[0] != '#')
		return 0;
	size_t n = strlen(s + 1);
	if (n != 3 && n != 6)
		return 0;
	int d[6];
	for (size_t i = 0; i < n; i++)
		if ((d[i] = hexval(s[1 + i])) < 0)
			return 0;
	for (int i = 0; i < 3; i++)
		rgb[i] = (unsigned char)(n == 3 ? d[i] * 17 : d[2 * i] * 16 + d[2 * i + 1]);
	return 1;
}

/* x^(1/5) for x in (0, 1] by Newton's method: the build links no libm for one pow(). */
static double
fifth_root(double x)
{
	double y = 1.0;
	for (int i = 0; i < 60; i++) {
		double y4 = y * y * y * y;
		double next = (4.0 * y + x / y4) / 5.0;
		if (next == y)
			break;
		y = next;
	}
	return y;
}

/* The sRGB transfer function: ((v + 0.055) / 1.055)^2.4 above the linear segment. */
static double
channel(unsigned char c)
{
	double v = c / 255.0;
	if (v <= 0.04045)
		return v / 12.92;
	double b = (v + 0.055) / 1.055, r = fifth_root(b);
	return b * b * r * r;    /* b^2.4 = b^2 * b^0.4 */
}

double
cat_luminance(const unsigned char rgb[3])
{
	return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

double
cat_contrast(const unsigned char a[3], const unsigned char b[3])
{
	double la = cat_luminance(a), lb = cat_luminance(b);
	if (la < lb) {
		double t = la;
		la = lb;
		lb = t;
	}
	return (la + 0.05) / (lb + 0.05);
}

static void
hex6(char out[8], const unsigned char rgb[3])
{
	snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static void
text_on(char out[8], const unsigned char bg[3])
{
	static const unsigned char black[3] = {0, 0, 0}, white[3] = {255, 255, 255};
	hex6(out, cat_contrast(bg, black) >= cat_contrast(bg, white) ? black : white);
}

int
cat_palette_from(const char *primary, const char *accent, struct cat_palette *p)
{
	unsigned char pr[3], ac[3];
	int ok = cat_hex_colour(primary, pr) && cat_hex_colour(accent, ac);
	if (!ok) {
		cat_hex_colour(DEFAULT_PRIMARY, pr);
		cat_hex_colour(DEFAULT_ACCENT, ac);
	}
	hex6(p->primary, pr);
	hex6(p->accent, ac);
	text_on(p->on_primary, pr);
	text_on(p->on_accent, ac);
	return ok;
}

/* ---------------------------------------------------------------- URLs */

/* Longest URL we render: far above any real link, and it bounds the page size. */
#define URL_MAX 2048

/* Bytes a rendered URL may hold: printable ASCII except space and the
 * characters that could end an attribute or start markup. */
static const unsigned char url_byte_ok[256] = {
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['('] = 1, [')'] = 1, ['*'] = 1,
	['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1,
	['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [':'] = 1,
	[';'] = 1, ['='] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
	['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
	['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1,
	['^'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
	['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
};

static int
url_chars_ok(const char *s, size_t len)
{
	unsigned ok = 1;
	for (size_t i = 0; i < len; i++)
		ok &= url_byte_ok[(unsigned char)s[i]];
	return (int)ok;
}

int
cat_safe_url(const char *s, size_t len)
{
	if (s == NULL || len == 0 || len > URL_MAX || !url_chars_ok(s, len))
		return 0;
	size_t skip;
	if (len > 8 && strncmp(s, "https://", 8) == 0)
		skip = 8;
	else if (len > 7 && strncmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return 0;
	/* The host: at least one character before the path, query or fragment, never empty or "@". */
	const char *h = s + skip, *end = s + len;
	const char *hend = h;
	while (hend < end && *hend != '/' && *hend != '?' && *hend != '#')
		hend++;
	if (hend == h)
		return 0;
	const char *at = memchr(h, '@', (size_t)(hend - h));
	if (at && at + 1 == hend)
		return 0;
	return 1;
}

int
cat_safe_src(const char *s, size_t len)
{
	if (s && len >= 2 && s[0] == '/' && s[1] != '/')
		return len <= URL_MAX && url_chars_ok(s, len);
	return cat_safe_url(s, len);
}

const char *
cat_src_or_null(const char *s)
{
	return s && *s && cat_safe_src(s, strlen(s)) ? s : NULL;
}

/* ---------------------------------------------------------------- JSON-LD */

char *
cat_jsonld(struct arena *a, json_t *obj)
{
	struct buf esc = BUF_IN(a);
	json_dump_safe(&esc, obj);
	return esc.data ? esc.data : arena_strdup(a, "");
}

/* ---------------------------------------------------------------- text[] */

long
cat_pg_array(struct arena *a, const char *t, char ***out)
{
	size_t len = strlen(t);
	if (len < 2 || t[0] != '{' || t[len - 1] != '}')
		return -1;
	/* Upper bound of elements: one more than the commas. */
	size_t cap = 1;
	for (size_t i = 1; i + 1 < len; i++)
		cap += t[i] == ',';
	char **v = arena_calloc(a, cap, sizeof *v);
	char *scratch = arena_alloc(a, len);
	long n = 0;
	size_t i = 1;
	if (len == 2) {
		*out = v;
		return 0;
	}
	for (;;) {
		size_t o = 0;
		int quoted = t[i] == '"';
		if (quoted) {
			for (i++; i < len - 1 && t[i] != '"'; i++) {
				if (t[i] == '\\' && i + 1 < len - 1)
					i++;
				scratch[o++] = t[i];
			}
			if (t[i] != '"')
				return -1;
			i++;
			v[n++] = arena_memdup(a, scratch, o + 1);
			v[n - 1][o] = '\0';
		} else {
			size_t s = i;
			while (i < len - 1 && t[i] != ',') {
				if (t[i] == '{' || t[i] == '"' || t[i] == '\\')
					return -1;    /* nested arrays and stray quotes are not ours */
				i++;
			}
			if (i == s)
				return -1;
			if (i - s == 4 && memcmp(t + s, "NULL", 4) == 0)
				v[n++] = NULL;
			else
				v[n++] = arena_strndup(a, t + s, i - s);
		}
		if (i == len - 1)
			break;
		if (t[i] != ',')
			return -1;
		i++;
	}
	*out = v;
	return n;
}

/* ---------------------------------------------------------------- formats */

/* u in decimal at dst (room for 20 digits), no NUL; returns the digit count. */
static int
put_digits(char *dst, unsigned long long u)
{
	char tmp[20];
	int n = 0;
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	for (int i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

/* Two digits of v (0..99) at dst. */
static void
put_2digits(char *dst, long long v)
{
	dst[0] = (char)('0' + v / 10);
	dst[1] = (char)('0' + v % 10);
}

/* These run for every card of every grid: no printf. */
void
cat_duration(char *out, size_t outlen, long long s)
{
	if (s < 0)
		s = 0;
	char t[32];
	int n;
	if (s >= 3600) {
		n = put_digits(t, (unsigned long long)(s / 3600));
		t[n++] = ':';
		put_2digits(t + n, s / 60 % 60);
		n += 2;
	} else
		n = put_digits(t, (unsigned long long)(s / 60));
	t[n++] = ':';
	put_2digits(t + n, s % 60);
	n += 2;
	if (outlen == 0)
		return;
	size_t k = (size_t)n < outlen ? (size_t)n : outlen - 1;
	memcpy(out, t, k);
	out[k] = '\0';
}

void
cat_iso_duration(char *out, size_t outlen, long long s)
{
	if (s < 0)
		s = 0;
	long long h = s / 3600, m = s / 60 % 60, sec = s % 60;
	int n = snprintf(out, outlen, "PT");
	if (h)
		n += snprintf(out + n, outlen - (size_t)n, "%lldH", h);
	if (m)
		n += snprintf(out + n, outlen - (size_t)n, "%lldM", m);
	if (sec || (!h && !m))
		snprintf(out + n, outlen - (size_t)n, "%lldS", sec);
}

void
cat_thousands(char *out, size_t outlen, long long v)
{
	char digits[24];
	int neg = v < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	int nd = put_digits(digits, u);
	size_t o = 0;
	if (neg && o + 1 < outlen)
		out[o++] = '-';
	for (int i = 0; i < nd && o + 1 < outlen; i++) {
		if (i > 0 && (nd - i) % 3 == 0 && o + 2 < outlen)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* ---------------------------------------------------------------- pagination */

long long
cat_page_count(long long total)
{
	if (total <= 0)
		return 1;
	return (total + CAT_PAGE_SIZE - 1) / CAT_PAGE_SIZE;
}

/* ---------------------------------------------------------------- rows */

struct tval *
cat_col_str(struct arena *a, const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return tv_null();
	return tv_strn(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

/* Decimal digits by hand rather than strtoll (locale, whitespace, bases):
 * every card reads three numbers.  Like strtoll, it stops at the first
 * non-digit ("4.5" is 4) and saturates instead of overflowing. */
long long
cat_col_ll(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const char *s = PQgetvalue(r, row, col);
	int neg = *s == '-';
	s += neg || *s == '+';
	unsigned long long v = 0, limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (limit - d) / 10) {
			v = limit;
			break;
		}
		v = v * 10 + d;
	}
	if (!neg)
		return (long long)v;
	return v > (unsigned long long)LLONG_MAX ? LLONG_MIN : -(long long)v;
}

struct tval *
cat_col_int(struct arena *a, const PGresult *r, int row, int col)
{
	return tv_int(a, cat_col_ll(r, row, col));
}

int
cat_col_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

struct tval *
cat_card(struct arena *a, const PGresult *r, int row, int c)
{
	if (PQgetisnull(r, row, c))
		return NULL;
	struct tval *o = tv_obj(a);
	tv_set(o, "href", tv_concat(a, "/videos/", PQgetvalue(r, row, c)));
	tv_set(o, "title", cat_col_str(a, r, row, c + 1));
	const char *thumb = PQgetvalue(r, row, c + 2);
	size_t thumb_len = (size_t)PQgetlength(r, row, c + 2);
	if (cat_safe_src(thumb, thumb_len))
		tv_set_strn(o, "thumb", thumb, thumb_len);
	if (!PQgetisnull(r, row, c + 3)) {
		char *d = arena_alloc(a, 24);
		cat_duration(d, 24, cat_col_ll(r, row, c + 3));
		tv_set_str(o, "duration", d);
	}
	tv_set(o, "release_date", cat_col_str(a, r, row, c + 4));
	char *views = arena_alloc(a, 32);
	cat_thousands(views, 32, cat_col_ll(r, row, c + 5));
	tv_set_str(o, "views", views);
	if (!PQgetisnull(r, row, c + 6))
		tv_set(o, "rating", cat_col_str(a, r, row, c + 6));
	if (cat_col_bool(r, row, c + 7))
		tv_set_strn(o, "quality", "4K", 2);
	else if (cat_col_bool(r, row, c + 8))
		tv_set_strn(o, "quality", "HD", 2);
	return o;
}

/* ---------------------------------------------------------------- pages */

char *
cat_abs_url(const struct app *app, struct arena *a, const char *path)
{
	const char *base = app && app->cfg && app->cfg->base_url ? app->cfg->base_url : "";
	size_t blen = strlen(base), plen = strlen(path);
	char *url = arena_alloc(a, blen + plen + 1);
	memcpy(url, base, blen);
	memcpy(url + blen, path, plen + 1);
	return url;
}

int
cat_db_error(const struct app *app)
{
	return db_last_unavailable(app->db) ? 503 : 500;
}

const char *
cat_truncate(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return s;
	/* Back up over continuation bytes so no character is split. */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	while (max > 0 && s[max - 1] == ' ')
		max--;
	return arena_printf(a, "%.*s\xe2\x80\xa6", (int)max, s);
}

/* `,"key":"value"` (no comma when first) into JSON-LD written as text. */
static void
ld_pair(struct buf *b, int first, const char *key, const char *value)
{
	if (!first)
		buf_putc(b, ',');
	json_put_string(b, key, strlen(key));
	buf_putc(b, ':');
	json_put_string(b, value, strlen(value));
}

/*
 * Written as text, not as a jansson tree dumped by cat_jsonld(): building
 * and dumping 24 ListItem objects was a tenth of a worker's time on the
 * collection page.  The bytes are the ones cat_jsonld() would write for the
 * same object (keys in this order, the same escapes; tests/unit checks it).
 */
void
cat_page_ld(struct tval *ctx, const struct app *app, struct arena *a, const char *type,
    const char *name, const char *path, const struct tval *items)
{
	if (tv_get(ctx, "jsonld"))
		return;
	const char *site = app->cfg && app->cfg->site_name ? app->cfg->site_name : "Marquee";
	const char *home = cat_abs_url(app, a, "/");
	const char *base = app->cfg && app->cfg->base_url ? app->cfg->base_url : "";
	struct buf b = BUF_IN(a);
	buf_putc(&b, '{');
	ld_pair(&b, 1, "@context", "https://schema.org");
	ld_pair(&b, 0, "@type", type);
	ld_pair(&b, 0, "name", name);
	ld_pair(&b, 0, "url", cat_abs_url(app, a, path));
	if (strcmp(type, "WebSite") == 0) {
		buf_puts(&b, ",\"potentialAction\":{");
		ld_pair(&b, 1, "@type", "SearchAction");
		ld_pair(&b, 0, "target", arena_printf(a, "%ssearch?q={search_term_string}", home));
		ld_pair(&b, 0, "query-input", "required name=search_term_string");
	} else {
		buf_puts(&b, ",\"isPartOf\":{");
		ld_pair(&b, 1, "@type", "WebSite");
		ld_pair(&b, 0, "name", site);
		ld_pair(&b, 0, "url", home);
	}
	buf_putc(&b, '}');
	size_t n = tv_len(items);
	if (n) {
		const struct tval **hrefs = arena_alloc(a, n * sizeof *hrefs);
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			const struct tval *href = tv_get(tv_at(items, i), "href");
			if (href != NULL && href->type == TV_STR)
				hrefs[k++] = href;
		}
		buf_puts(&b, ",\"mainEntity\":{\"@type\":\"ItemList\",\"numberOfItems\":");
		buf_put_i64(&b, (long long)k);
		buf_puts(&b, ",\"itemListElement\":[");
		for (size_t i = 0; i < k; i++) {
			if (i)
				buf_putc(&b, ',');
			buf_puts(&b, "{\"@type\":\"ListItem\",\"position\":");
			buf_put_i64(&b, (long long)i + 1);
			buf_puts(&b, ",\"url\":\"");
			json_put_chars(&b, base, strlen(base));
			json_put_chars(&b, hrefs[i]->u.s, hrefs[i]->n);
			buf_putc(&b, '"');
			buf_putc(&b, '}');
		}
		buf_puts(&b, "]}");
	}
	buf_putc(&b, '}');
	tv_set_strn(ctx, "jsonld", b.data, b.len);
}

/* Longest meta description: search engines show about 160 characters. */
#define META_DESCRIPTION_MAX 300

void
cat_page_meta(struct tval *ctx, const struct app *app, struct arena *a, const char *title,
    const char *description, const char *path, const char *og_type, const char *image)
{
	const char *url = cat_abs_url(app, a, path);
	tv_set_str(ctx, "title", title);
	tv_set_str(ctx, "description", cat_truncate(a, description ? description : title,
	    META_DESCRIPTION_MAX));
	tv_set_str(ctx, "canonical_url", url);
	struct tval *og = tv_obj(a);
	tv_set_str(og, "title", title);
	tv_set_str(og, "type", og_type);
	tv_set_str(og, "url", url);
	if (image && cat_safe_src(image, strlen(image)))
		tv_set_str(og, "image", image[0] == '/' ? cat_abs_url(app, a, image) : image);
	tv_set(ctx, "og", og);
}
