/*
 * catalog.c - field tables, validation and row conversion of the catalog
 * file format; see catalog.h.  Pure functions: no database, no files.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl/catalog.h"
#include "ctl/ctl_util.h"

/*
 * Free text is capped so that a mistaken file (a video pasted into a
 * description) fails validation instead of filling pages with megabytes.
 */
#define TEXT_MAX 20000
/* Browsers and CDNs cope with URLs up to a few thousand bytes; ours are short. */
#define URL_MAX  2048

/* Limits of the columns: VARCHAR(n) counts characters; INTEGER is 32-bit. */
#define INT_MAX32 2147483647LL
#define INT_MIN32 (-2147483647LL - 1)

const char *const cat_qualities[4] = {"480p", "720p", "1080p", "4k"};

static const char *const photo_types[] = {
	"video_still", "behind_scenes", "performer_photo", "profile", NULL
};
static const char *const platforms[] = {
	"instagram", "twitter", "onlyfans", "tiktok", "custom", NULL
};

/* Field order is column order: it must match the temporary tables in
 * import.c and the SELECT lists in export.c. */
static const struct cat_field collection_fields[] = {
	{.key = "slug", .type = CT_SLUG, .flags = CF_REQUIRED, .max = 255},
	{.key = "name", .type = CT_LINE, .flags = CF_REQUIRED, .max = 255},
	{.key = "description", .type = CT_TEXT, .max = TEXT_MAX},
	{.key = "color_scheme", .type = CT_COLORS},
	{.key = "thumbnail_url", .type = CT_URL, .max = URL_MAX},
	{.key = "banner_image_url", .type = CT_URL, .max = URL_MAX},
	{.key = "is_active", .type = CT_BOOL, .def = "t"},
	{.key = "sort_order", .type = CT_INT, .min = INT_MIN32, .max = INT_MAX32},
	{.key = "featured_video", .type = CT_SLUG, .max = 500},
	{.key = "deleted_at", .type = CT_TIME},
};

static const struct cat_field performer_fields[] = {
	{.key = "slug", .type = CT_SLUG, .flags = CF_REQUIRED, .max = 255},
	{.key = "name", .type = CT_LINE, .flags = CF_REQUIRED, .max = 255},
	{.key = "stage_name", .type = CT_LINE, .max = 255},
	{.key = "legal_name", .type = CT_LINE, .max = 255},
	{.key = "date_of_birth", .type = CT_DATE},
	{.key = "bio", .type = CT_TEXT, .max = TEXT_MAX},
	{.key = "profile_photo_url", .type = CT_URL, .max = URL_MAX},
	{.key = "cover_photo_url", .type = CT_URL, .max = URL_MAX},
	{.key = "is_active", .type = CT_BOOL, .def = "t"},
	{.key = "deleted_at", .type = CT_TIME},
	{.key = "social_links", .type = CT_LIST, .sub = CAT_SOCIAL_LINK},
	{.key = "photos", .type = CT_LIST, .sub = CAT_PHOTO},
};

static const struct cat_field social_link_fields[] = {
	{.key = "platform", .type = CT_CHOICE, .flags = CF_REQUIRED, .choices = platforms},
	{.key = "handle", .type = CT_LINE, .flags = CF_REQUIRED, .max = 255},
	{.key = "url", .type = CT_URL, .max = URL_MAX},
	{.key = "icon_url", .type = CT_URL, .max = URL_MAX},
	{.key = "sort_order", .type = CT_INT, .min = INT_MIN32, .max = INT_MAX32},
	{.key = "is_verified", .type = CT_BOOL, .def = "f"},
};

static const struct cat_field video_fields[] = {
	{.key = "slug", .type = CT_SLUG, .flags = CF_REQUIRED, .max = 500},
	{.key = "collection", .type = CT_SLUG, .flags = CF_REQUIRED, .max = 255},
	{.key = "title", .type = CT_LINE, .flags = CF_REQUIRED, .max = 500},
	{.key = "description", .type = CT_TEXT, .max = TEXT_MAX},
	{.key = "release_date", .type = CT_DATE},
	{.key = "hls_manifest_url", .type = CT_URL, .flags = CF_REQUIRED, .max = URL_MAX},
	{.key = "thumbnail_url", .type = CT_URL, .flags = CF_REQUIRED, .max = URL_MAX},
	{.key = "qualities", .type = CT_QUALITIES},
	{.key = "duration_seconds", .type = CT_INT, .min = 0, .max = INT_MAX32},
	{.key = "file_size_bytes", .type = CT_INT, .min = 0, .max = INT64_MAX},
	{.key = "age_verified", .type = CT_BOOL, .def = "f"},
	{.key = "is_featured", .type = CT_BOOL, .def = "f"},
	{.key = "is_published", .type = CT_BOOL, .def = "f"},
	{.key = "published_at", .type = CT_TIME},
	{.key = "deleted_at", .type = CT_TIME},
	/* 1-10: the 2257 rule and the performer_count CHECK. */
	{.key = "performers", .type = CT_SLUGS, .flags = CF_REQUIRED, .min = 1, .max = 10},
	{.key = "photos", .type = CT_LIST, .sub = CAT_PHOTO},
};

static const struct cat_field photo_fields[] = {
	{.key = "photo_type", .type = CT_CHOICE, .flags = CF_REQUIRED, .choices = photo_types},
	{.key = "url", .type = CT_URL, .flags = CF_REQUIRED, .max = URL_MAX},
	{.key = "thumbnail_url", .type = CT_URL, .max = URL_MAX},
	{.key = "alt_text", .type = CT_LINE, .max = 255},
	{.key = "width", .type = CT_INT, .min = 1, .max = INT_MAX32},
	{.key = "height", .type = CT_INT, .min = 1, .max = INT_MAX32},
	{.key = "file_size_bytes", .type = CT_INT, .min = 0, .max = INT_MAX32},
	{.key = "sort_order", .type = CT_INT, .min = INT_MIN32, .max = INT_MAX32},
	{.key = "is_primary", .type = CT_BOOL, .def = "f"},
	{.key = "performer", .type = CT_SLUG, .flags = CF_VIDEO_PHOTO, .max = 255},
	{.key = "deleted_at", .type = CT_TIME},
};

#define KIND(n, f) {n, f, sizeof f / sizeof f[0]}
const struct cat_kind_def cat_kinds[CAT__MAX] = {
	[CAT_COLLECTION]  = KIND("collection", collection_fields),
	[CAT_PERFORMER]   = KIND("performer", performer_fields),
	[CAT_SOCIAL_LINK] = KIND("social link", social_link_fields),
	[CAT_VIDEO]       = KIND("video", video_fields),
	[CAT_PHOTO]       = KIND("photo", photo_fields),
};

void
cat_err(struct cat_errs *e, const char *place, const char *fmt, ...)
{
	if (e->n++ >= e->max)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "import: %s: ", place);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ------------------------------------------------------------ validators */

/* Characters of a UTF-8 string (jansson guarantees valid UTF-8). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* 1 when s has a control character other than those multi_line allows. */
static int
has_control(const char *s, int multi_line)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (multi_line && (ch == '\n' || ch == '\t' || ch == '\r'))
			continue;
		if (ch < 0x20 || ch == 0x7f)
			return 1;
	}
	return 0;
}

/*
 * http(s) URLs with a host, or site-relative paths ("/media/x.m3u8") for
 * media served by the site itself.  Characters that would need quoting in
 * HTML attributes or break out of url() in CSS are refused outright.
 */
static const char *
url_problem(const char *s)
{
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch <= 0x20 || ch == 0x7f || strchr("\"'<>\\`", ch))
			return "must not contain spaces, control characters, quotes, <, > or backslashes";
	}
	const char *rest;
	if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else if (s[0] == '/' && s[1] != '/')
		return NULL;
	else
		return "must be an http:// or https:// URL or a path starting with /";
	if (*rest == '\0' || *rest == '/' || *rest == '?' || *rest == '#')
		return "has no host";
	return NULL;
}

static int
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* s starts with "YYYY-MM-DD", a real calendar day; years 1900-2999 (no
 * date in the catalog is older, and anything later is a typo). */
static int
date_prefix(const char *s)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return 0;
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static int
valid_date(const char *s)
{
	return date_prefix(s) && s[10] == '\0';
}

/* "YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z" */
static int
valid_time(const char *s)
{
	if (strlen(s) < 20 || !date_prefix(s) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':'
	    || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return 0;
	if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 59)
		return 0;
	const char *p = s + 19;
	if (*p == '.') {
		int n = 0;
		for (p++; *p >= '0' && *p <= '9'; p++)
			n++;
		if (n < 1 || n > 6)
			return 0;
	}
	return p[0] == 'Z' && p[1] == '\0';
}

static int
valid_colour(const json_t *v)
{
	const char *s = json_string_value(v);
	if (s == NULL || s[0] != '#')
		return 0;
	size_t n = strlen(s + 1);
	if (n != 6 && n != 3)
		return 0;
	for (size_t i = 1; i <= n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return 1;
}

static int
in_choices(const char *s, const char *const *choices)
{
	for (; *choices; choices++)
		if (strcmp(s, *choices) == 0)
			return 1;
	return 0;
}

static void
list_choices(char *out, size_t outlen, const char *const *choices)
{
	size_t n = 0;
	out[0] = '\0';
	for (; *choices && n < outlen; choices++)
		n += (size_t)snprintf(out + n, outlen - n, "%s%s", n ? ", " : "", *choices);
}

/* Validates one present, non-null value; place names the key. */
static void
check_value(const struct cat_field *f, const json_t *v, const char *place, struct cat_errs *e)
{
	const char *s = json_string_value(v);
	char choices[160];
	char sub[600];

	switch (f->type) {
	case CT_SLUG:
		if (s == NULL || !ctl_is_slug(s, (size_t)f->max))
			cat_err(e, place, "must be a slug (a-z, 0-9, single hyphens between words; at most %lld characters)", f->max);
		break;
	case CT_LINE:
	case CT_TEXT:
		if (s == NULL)
			cat_err(e, place, "must be a string");
		else if (has_control(s, f->type == CT_TEXT))
			cat_err(e, place, "must not contain control characters");
		else if ((long long)utf8_chars(s) > f->max)
			cat_err(e, place, "is longer than %lld characters", f->max);
		else if ((f->flags & CF_REQUIRED) && s[strspn(s, " ")] == '\0')
			cat_err(e, place, "must not be empty");
		break;
	case CT_URL: {
		const char *why;
		if (s == NULL)
			cat_err(e, place, "must be a string");
		else if (strlen(s) > (size_t)f->max)
			cat_err(e, place, "is longer than %lld bytes", f->max);
		else if ((why = url_problem(s)) != NULL)
			cat_err(e, place, "\"%.80s\" %s", s, why);
		break;
	}
	case CT_DATE:
		if (s == NULL || !valid_date(s))
			cat_err(e, place, "must be a date YYYY-MM-DD (years 1900-2999)");
		break;
	case CT_TIME:
		if (s == NULL || !valid_time(s))
			cat_err(e, place, "must be a UTC time YYYY-MM-DDTHH:MM:SSZ (optional .ffffff)");
		break;
	case CT_BOOL:
		if (!json_is_boolean(v))
			cat_err(e, place, "must be true or false");
		break;
	case CT_INT:
		if (!json_is_integer(v) || json_integer_value(v) < f->min
		    || json_integer_value(v) > f->max)
			cat_err(e, place, "must be an integer from %lld to %lld", f->min, f->max);
		break;
	case CT_CHOICE:
		if (s == NULL || !in_choices(s, f->choices)) {
			list_choices(choices, sizeof choices, f->choices);
			cat_err(e, place, "must be one of: %s", choices);
		}
		break;
	case CT_COLORS: {
		const char *k;
		const json_t *c;
		if (!json_is_object(v)) {
			cat_err(e, place, "must be an object {\"primary\": \"#rrggbb\", \"accent\": \"#rrggbb\"}");
			break;
		}
		json_object_foreach((json_t *)v, k, c) {
			if (strcmp(k, "primary") != 0 && strcmp(k, "accent") != 0)
				cat_err(e, place, "unknown key \"%s\" (primary, accent)", k);
			else if (!valid_colour(c))
				cat_err(e, place, "%s must be a colour #rrggbb (or #rgb)", k);
		}
		if (!json_object_get(v, "primary") || !json_object_get(v, "accent"))
			cat_err(e, place, "needs both primary and accent");
		break;
	}
	case CT_QUALITIES: {
		size_t i;
		const json_t *q;
		unsigned seen = 0;
		if (!json_is_array(v)) {
			cat_err(e, place, "must be an array of qualities");
			break;
		}
		json_array_foreach(v, i, q) {
			const char *qs = json_string_value(q);
			unsigned k = 0;
			while (k < 4 && (qs == NULL || strcmp(qs, cat_qualities[k]) != 0))
				k++;
			snprintf(sub, sizeof sub, "%s[%zu]", place, i);
			if (k == 4)
				cat_err(e, sub, "must be one of: 480p, 720p, 1080p, 4k");
			else if (seen & (1u << k))
				cat_err(e, sub, "\"%s\" is listed twice", qs);
			else
				seen |= 1u << k;
		}
		break;
	}
	case CT_SLUGS: {
		size_t i, j;
		const json_t *x;
		if (!json_is_array(v)) {
			cat_err(e, place, "must be an array of slugs");
			break;
		}
		if ((long long)json_array_size(v) < f->min || (long long)json_array_size(v) > f->max) {
			cat_err(e, place, "must list %lld to %lld entries, not %zu", f->min, f->max,
			    json_array_size(v));
		}
		json_array_foreach(v, i, x) {
			const char *xs = json_string_value(x);
			snprintf(sub, sizeof sub, "%s[%zu]", place, i);
			if (xs == NULL || !ctl_is_slug(xs, 255)) {
				cat_err(e, sub, "must be a slug");
				continue;
			}
			for (j = 0; j < i; j++)
				if (json_equal(x, json_array_get(v, j)))
					cat_err(e, sub, "\"%s\" is listed twice (also [%zu])", xs, j);
		}
		break;
	}
	case CT_LIST:
		if (!json_is_array(v))
			cat_err(e, place, "must be an array of objects");
		break;
	case CT__MAX:
		break;
	}
}

static const struct cat_field *
find_field(enum cat_kind k, const char *key)
{
	const struct cat_kind_def *d = &cat_kinds[k];
	for (size_t i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			return &d->fields[i];
	return NULL;
}

size_t
cat_validate(enum cat_kind k, const json_t *obj, const char *place, int under_video,
    struct cat_errs *e)
{
	const struct cat_kind_def *d = &cat_kinds[k];
	size_t before = e->n;
	char where[512];
	const char *key;
	const json_t *v;

	if (!json_is_object(obj)) {
		cat_err(e, place, "must be an object (a %s)", d->name);
		return e->n - before;
	}
	json_object_foreach((json_t *)obj, key, v) {
		const struct cat_field *f = find_field(k, key);
		snprintf(where, sizeof where, "%s.%s", place, key);
		if (f == NULL || ((f->flags & CF_VIDEO_PHOTO) && !under_video)) {
			cat_err(e, where, "unknown key for a %s", d->name);
			continue;
		}
		if (json_is_null(v)) {
			if (f->flags & CF_REQUIRED)
				cat_err(e, where, "is required");
			continue;
		}
		check_value(f, v, where, e);
	}
	for (size_t i = 0; i < d->nfields; i++) {
		const struct cat_field *f = &d->fields[i];
		if ((f->flags & CF_REQUIRED) && json_object_get(obj, f->key) == NULL) {
			snprintf(where, sizeof where, "%s.%s", place, f->key);
			cat_err(e, where, "is required");
		}
	}
	return e->n - before;
}

/* ------------------------------------------------------------ COPY rows */

void
cat_copy_text(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_append(out, "\\\\", 2); break;
		case '\t': buf_append(out, "\\t", 2); break;
		case '\n': buf_append(out, "\\n", 2); break;
		case '\r': buf_append(out, "\\r", 2); break;
		default:   buf_putc(out, *s);
		}
	}
}

static void
copy_col(struct buf *out, const char *s)
{
	buf_putc(out, '\t');
	if (s == NULL)
		buf_append(out, "\\N", 2);
	else
		cat_copy_text(out, s);
}

void
cat_copy_columns(enum cat_kind k, const json_t *obj, struct buf *out)
{
	const struct cat_kind_def *d = &cat_kinds[k];
	for (size_t i = 0; i < d->nfields; i++) {
		const struct cat_field *f = &d->fields[i];
		const json_t *v = json_object_get(obj, f->key);
		if (json_is_null(v))
			v = NULL;
		switch (f->type) {
		case CT_COLORS:
			copy_col(out, v ? json_string_value(json_object_get(v, "primary")) : NULL);
			copy_col(out, v ? json_string_value(json_object_get(v, "accent")) : NULL);
			break;
		case CT_QUALITIES:
			for (int q = 0; q < 4; q++) {
				int has = 0;
				size_t j;
				const json_t *x;
				if (v)
					json_array_foreach(v, j, x)
						has |= strcmp(json_string_value(x), cat_qualities[q]) == 0;
				copy_col(out, has ? "t" : "f");
			}
			break;
		case CT_BOOL:
			copy_col(out, v ? (json_is_true(v) ? "t" : "f") : f->def);
			break;
		case CT_INT:
			if (v) {
				buf_putc(out, '\t');
				buf_put_i64(out, (long long)json_integer_value(v));
			} else {
				copy_col(out, f->def);
			}
			break;
		case CT_SLUGS:
		case CT_LIST:
			break;
		default:
			copy_col(out, v ? json_string_value(v) : f->def);
		}
	}
}

/* ------------------------------------------------------------ export rows */

int
cat_ncolumns(enum cat_kind k)
{
	const struct cat_kind_def *d = &cat_kinds[k];
	int n = 0;
	for (size_t i = 0; i < d->nfields; i++) {
		switch (d->fields[i].type) {
		case CT_COLORS:    n += 2; break;
		case CT_QUALITIES: n += 4; break;
		case CT_SLUGS:
		case CT_LIST:      break;
		default:           n += 1;
		}
	}
	return n;
}

json_t *
cat_from_row(enum cat_kind k, const PGresult *r, int row, int col0)
{
	const struct cat_kind_def *d = &cat_kinds[k];
	json_t *o = json_object();
	int c = col0;
	for (size_t i = 0; i < d->nfields; i++) {
		const struct cat_field *f = &d->fields[i];
		if (f->type == CT_SLUGS || f->type == CT_LIST)
			continue;
		const char *s = PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
		switch (f->type) {
		case CT_COLORS:
			if (s && !PQgetisnull(r, row, c + 1))
				json_object_set_new(o, f->key, json_pack("{s:s,s:s}",
				    "primary", s, "accent", PQgetvalue(r, row, c + 1)));
			c += 2;
			break;
		case CT_QUALITIES: {
			json_t *a = json_array();
			for (int q = 0; q < 4; q++)
				if (ctl_bool(r, row, c + q))
					json_array_append_new(a, json_string(cat_qualities[q]));
			json_object_set_new(o, f->key, a);
			c += 4;
			break;
		}
		case CT_BOOL:
			if (s)
				json_object_set_new(o, f->key, json_boolean(s[0] == 't'));
			c++;
			break;
		case CT_INT:
			if (s)
				json_object_set_new(o, f->key, json_integer(strtoll(s, NULL, 10)));
			c++;
			break;
		default:
			if (s)
				json_object_set_new(o, f->key, json_string(s));
			c++;
		}
	}
	return o;
}
