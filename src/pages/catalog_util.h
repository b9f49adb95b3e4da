/*
 * catalog_util.h - helpers shared by the catalog pages (home, collection,
 * video, performer; the discovery pages search, performers index, sitemap).
 *
 * Two kinds of things live here:
 *  - pure functions (no I/O, no global state; unit-tested in
 *    tests/unit/test_catalog_util.c): colours and WCAG contrast, URL
 *    safety, JSON-LD escaping, PostgreSQL text[] parsing, durations and
 *    numbers for display; (numbered pagination is pages/pager.h);
 *  - row-to-value builders for the page contexts (template values,
 *    tval.h), which read a PGresult the way the statements in db_stmts.c
 *    lay their columns out (the "card" block), so every grid of videos
 *    renders through one partial (templates/video-card.mustache) from one
 *    builder.
 *
 * Nothing here runs SQL or renders templates.  Strings and values returned
 * live in the arena passed in; values borrow the PGresult's strings, which
 * db_exec keeps until the request's arena is reset (db.h).
 *
 * Every string in a page context must be UTF-8 already: template values
 * are not checked.  They come from PostgreSQL (a UTF-8 database, which has
 * checked them; db.c refuses any other encoding), from request values
 * (decode.h refuses bytes that are not UTF-8), or from our own text.
 * Nothing else may go in: a raw header value, say, must pass valid_utf8()
 * first.
 */
#ifndef MARQUEE_CATALOG_UTIL_H
#define MARQUEE_CATALOG_UTIL_H

#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "tval.h"

struct app;
struct arena;
struct buf;

/* ---------------------------------------------------------------- colours */

/*
 * Parse "#rgb" or "#rrggbb" (either case) into rgb[0..2].
 * Returns 1 if valid, 0 if not (rgb untouched).
 */
int cat_hex_colour(const char *s, unsigned char rgb[3]);

/* WCAG 2.x relative luminance of an sRGB colour, 0.0 (black) .. 1.0 (white). */
double cat_luminance(const unsigned char rgb[3]);

/* WCAG contrast ratio of two colours, 1.0 .. 21.0 (order does not matter). */
double cat_contrast(const unsigned char a[3], const unsigned char b[3]);

/*
 * A collection's palette, every value a validated lowercase "#rrggbb".
 * Text colours are black or white, whichever contrasts more with the
 * background: the better of the two always reaches at least 4.58:1, so WCAG
 * AA (4.5:1) holds whatever colours the database holds.
 */
struct cat_palette {
	char primary[8], on_primary[8];
	char accent[8], on_accent[8];
};

/*
 * Fill p from the database's colour_scheme values (either may be NULL).
 * A missing or malformed colour makes the whole scheme the default palette,
 * so a half-valid scheme never pairs a chosen colour with a default one.
 * Returns 1 if the database's colours were used, 0 if the default.
 */
int cat_palette_from(const char *primary, const char *accent, struct cat_palette *p);

/* ---------------------------------------------------------------- URLs */

/*
 * An absolute http:// or https:// URL with a host that is safe to put in an
 * href: printable ASCII only (no spaces, controls, quotes, '<', '>', '\\',
 * backticks), at most 2048 bytes.  "javascript:", "data:", scheme-relative
 * "//host" and malformed URLs are refused.
 * Returns 1 if valid, 0 if not.
 */
int cat_safe_url(const char *s, size_t len);

/*
 * An image source: cat_safe_url, or a local path "/x..." (not "//", no
 * backslash, same character rules).  Returns 1 if valid, 0 if not.
 */
int cat_safe_src(const char *s, size_t len);

/* s when it is a non-empty cat_safe_src image source, else NULL (s may be NULL). */
const char *cat_src_or_null(const char *s);

/* ---------------------------------------------------------------- JSON-LD */

/*
 * Serialise obj (borrowed) as compact JSON safe inside
 * <script type="application/ld+json"> (json_dump_safe(), http.h).  Returns
 * a NUL-terminated string in the arena.
 */
char *cat_jsonld(struct arena *a, json_t *obj);

/* ---------------------------------------------------------------- text[] */

/*
 * Parse PostgreSQL's text output of a one-dimensional array ("{a,\"b c\",NULL}")
 * into *out (n elements, NULL for SQL NULL), all in the arena.
 * Returns the number of elements, or -1 if the text is not such an array.
 */
long cat_pg_array(struct arena *a, const char *text, char ***out);

/* ---------------------------------------------------------------- formats */

/* "m:ss" below an hour, else "h:mm:ss"; negative seconds give "0:00".  out holds >= 24 bytes. */
void cat_duration(char *out, size_t outlen, long long seconds);

/* ISO 8601 duration for schema.org ("PT1H2M3S", "PT45S", "PT0S"). out holds >= 32 bytes. */
void cat_iso_duration(char *out, size_t outlen, long long seconds);

/* Group digits for display: 1234567 -> "1,234,567". out holds >= 32 bytes. */
void cat_thousands(char *out, size_t outlen, long long n);

/* ---------------------------------------------------------------- pagination */

/* Page size of every catalog grid (collection, filmography, search). */
#define CAT_PAGE_SIZE 24

/*
 * Number of pages for `total` items, at least 1 (an empty grid still has
 * its page 1).
 */
long long cat_page_count(long long total);

/* ---------------------------------------------------------------- rows */

/* A row's column as a string value (borrowed from r), or null when SQL NULL. */
struct tval *cat_col_str(struct arena *a, const PGresult *r, int row, int col);
/* A row's column as an integer value (0 when NULL or not a number). */
struct tval *cat_col_int(struct arena *a, const PGresult *r, int row, int col);
/* A boolean column: 1 for 't', else 0. */
int cat_col_bool(const PGresult *r, int row, int col);
/* A numeric column as long long (0 when NULL). */
long long cat_col_ll(const PGresult *r, int row, int col);

/*
 * The "card" column block every video grid statement selects, in this order
 * starting at some column c:
 *   c+0 slug, c+1 title, c+2 thumbnail_url, c+3 duration_seconds,
 *   c+4 release_date, c+5 view_count, c+6 rating, c+7 has_4k, c+8 has_1080p
 * db_stmts.c writes it with its CARD(t) macro, which keeps the two in step.
 */
#define CAT_CARD_COLS 9

/*
 * The card object for templates/video-card.mustache: href, title, thumb
 * (only if a safe source), duration, release_date, views, rating, quality
 * ("4K", "HD" or absent).  NULL when the slug column is NULL (e.g. a LEFT
 * JOIN that found nothing).
 */
struct tval *cat_card(struct arena *a, const PGresult *r, int row, int col);

/*
 * s cut to at most max bytes at a UTF-8 character boundary, with "…" added
 * when something was cut (the result may then be max + 3 bytes).  In the
 * arena; s itself when it fits.
 */
const char *cat_truncate(struct arena *a, const char *s, size_t max);

/* ---------------------------------------------------------------- pages */

/*
 * Set the keys of templates/page-meta.mustache (the <head> of every catalog
 * page): "title", "description" (cut to 300 bytes), "canonical_url" (the
 * absolute URL of path, which must be the page's canonical local path with
 * its canonical query), "og" {title, type, url, image}.  image may be NULL
 * or any URL from the database: it is used only if cat_safe_src accepts it
 * (a local path becomes absolute).
 */
void cat_page_meta(struct tval *ctx, const struct app *app, struct arena *a, const char *title,
    const char *description, const char *path, const char *og_type, const char *image);

/*
 * Structured data for a page that is a list or a document rather than one
 * video or performer (home, collections, performers, search, legal pages):
 * a schema.org `type` ("WebSite", "CollectionPage", "SearchResultsPage",
 * "WebPage") named `name` at `path`, part of the site; the cards in `items`
 * (a list of cards, each with "href"; may be NULL) become its ItemList in order.
 * "WebSite" also gets the search box (SearchAction).  Sets ctx "jsonld"
 * unless the handler set one already.
 */
void cat_page_ld(struct tval *ctx, const struct app *app, struct arena *a, const char *type,
    const char *name, const char *path, const struct tval *items);

/* Absolute URL for a local path: the configured base_url (config.h: no trailing '/') + path. */
char *cat_abs_url(const struct app *app, struct arena *a, const char *path);

/*
 * Standard error status for a failed db_exec: 503 when the database is
 * unavailable, else 500.
 */
int cat_db_error(const struct app *app);

#endif
