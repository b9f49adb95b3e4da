/*
 * catalog.h - the catalog file format shared by `marqueectl import` and
 * `marqueectl export` (docs/IMPORT.md describes it for operators).
 *
 * Each kind of item (collection, performer, social link, video, photo) is a
 * table of fields {key, type, limits, default}.  The one table drives three
 * things so they cannot drift: validation of an imported JSON object, the
 * COPY columns the importer loads into its temporary tables, and the JSON the
 * exporter writes from a query's columns.  Column order = field order, with
 * a colour scheme taking two columns (primary, accent) and qualities four
 * (has_480p, has_720p, has_1080p, has_4k); list fields (CT_SLUGS, CT_LIST)
 * take none: import.c and export.c handle them.
 *
 * This module does not talk to the database and does not check references
 * between items (slugs named by other items): import.c does that.
 */
#ifndef MARQUEE_CATALOG_H
#define MARQUEE_CATALOG_H

#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

struct buf;

enum cat_kind {
	CAT_COLLECTION,
	CAT_PERFORMER,
	CAT_SOCIAL_LINK,
	CAT_VIDEO,
	CAT_PHOTO,
	CAT__MAX
};

enum cat_type {
	CT_SLUG,        /* string, ctl_is_slug */
	CT_LINE,        /* string without control characters */
	CT_TEXT,        /* string; newlines and tabs allowed */
	CT_URL,         /* http(s)://host... or a site-relative /path */
	CT_DATE,        /* "YYYY-MM-DD" */
	CT_TIME,        /* "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (UTC) */
	CT_BOOL,
	CT_INT,         /* JSON integer within [min, max] */
	CT_CHOICE,      /* one of choices[] */
	CT_COLORS,      /* {"primary": "#rrggbb", "accent": "#rrggbb"} */
	CT_QUALITIES,   /* array of distinct "480p" "720p" "1080p" "4k" */
	CT_SLUGS,       /* array of min..max distinct slugs */
	CT_LIST,        /* array of objects of kind `sub` */
	CT__MAX
};

#define CF_REQUIRED    0x1
#define CF_VIDEO_PHOTO 0x2   /* allowed on photos listed under a video only */

struct cat_field {
	const char         *key;
	enum cat_type       type;
	unsigned            flags;
	long long           min, max;   /* CT_INT value; CT_SLUGS count; text: max characters */
	const char         *def;        /* COPY text when absent; NULL = SQL NULL */
	const char *const  *choices;    /* CT_CHOICE: NULL-terminated */
	enum cat_kind       sub;        /* CT_LIST */
};

struct cat_kind_def {
	const char             *name;     /* "video": for messages */
	const struct cat_field *fields;
	size_t                  nfields;
};

/* The format, indexed by enum cat_kind. */
extern const struct cat_kind_def cat_kinds[CAT__MAX];

/* The qualities, in column order (has_480p ...). */
extern const char *const cat_qualities[4];

/*
 * Error sink for validation: cat_err prints "import: PLACE: MESSAGE" on
 * stderr for the first `max` errors and counts all of them.
 */
struct cat_errs {
	size_t n;
	size_t max;
};

void cat_err(struct cat_errs *e, const char *place, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Validate the scalar fields of obj, an item of kind k found at place
 * ("videos[3]"): unknown keys, required keys, types, formats and limits.
 * List fields are only checked to be arrays (of strings for CT_SLUGS, with
 * their count and distinctness); their items are the caller's to validate.
 * under_video says whether a photo is listed under a video.  Reports through
 * e; returns the number of errors found.
 */
size_t cat_validate(enum cat_kind k, const json_t *obj, const char *place,
    int under_video, struct cat_errs *e);

/*
 * Append obj's columns (field order, COPY text format, tab-separated, each
 * preceded by a tab) to out.  obj must have passed cat_validate.
 */
void cat_copy_columns(enum cat_kind k, const json_t *obj, struct buf *out);

/* Append s to out escaped for COPY text format (\\ \t \n \r). */
void cat_copy_text(struct buf *out, const char *s);

/*
 * Build the JSON object of kind k from row `row` of r, reading the fields'
 * columns from column col0 on, in field order and in the text forms the
 * importer accepts.  NULL columns are left out; list fields are not added
 * (the caller appends them).  Returns a new reference.
 */
json_t *cat_from_row(enum cat_kind k, const PGresult *r, int row, int col0);

/* Number of query/COPY columns the scalar fields of kind k take. */
int cat_ncolumns(enum cat_kind k);

#endif
