/*
 * collection.c - GET /collections/{slug}: the collection's header in its
 * own colours and a grid of its live videos (sort, quality filter, 24 per
 * page); GET /collections.css: the stylesheet that carries those colours.
 *
 * One SQL round trip per page (DB_COLLECTION_<sort>[_FIRST|_Q], db_stmts.c):
 * header, total and the page's videos come in one statement.
 *
 * URLs: /collections/x?sort=views&quality=4k&page=3, parameters always in
 * that order and default values (sort=newest, no quality, page=1) left out;
 * that form is the canonical URL and every link on the page uses it.  A
 * page number past the last page is a 404 saying how many pages there are
 * (a redirect would make a stale bookmark silently show something else,
 * and a 404 is cached like any other answer).  Invalid values (page=abc,
 * sort=x, quality=8k) never reach this file: the route's validators answer
 * 400.
 *
 * Colours: the Content-Security-Policy forbids inline styles (style-src
 * 'self', no 'unsafe-inline'), so the pages carry a class "theme-SLUG" and
 * /collections.css, generated here from the database, gives each class its
 * colours as custom properties: validated #rrggbb values only, text colours
 * chosen for WCAG AA contrast (catalog_util.h).  The stylesheet is public
 * and cached like a page (a colour change shows within a minute).
 */
#include "pages/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "pages/catalog_util.h"
#include "pages/pager.h"
#include "valid.h"

/*
 * By sort: the first page without a quality filter ([0]), any other page
 * without ([1]) and any page with ([2]) one (db_stmts.c says why the first
 * page has its own statement).
 */
static const enum db_stmt sort_stmt[3][COLL_SORT__MAX] = {
	{
		[COLL_SORT_NEWEST]   = DB_COLLECTION_NEWEST_FIRST,
		[COLL_SORT_VIEWS]    = DB_COLLECTION_VIEWS_FIRST,
		[COLL_SORT_RATING]   = DB_COLLECTION_RATING_FIRST,
		[COLL_SORT_DURATION] = DB_COLLECTION_DURATION_FIRST,
	}, {
		[COLL_SORT_NEWEST]   = DB_COLLECTION_NEWEST,
		[COLL_SORT_VIEWS]    = DB_COLLECTION_VIEWS,
		[COLL_SORT_RATING]   = DB_COLLECTION_RATING,
		[COLL_SORT_DURATION] = DB_COLLECTION_DURATION,
	}, {
		[COLL_SORT_NEWEST]   = DB_COLLECTION_NEWEST_Q,
		[COLL_SORT_VIEWS]    = DB_COLLECTION_VIEWS_Q,
		[COLL_SORT_RATING]   = DB_COLLECTION_RATING_Q,
		[COLL_SORT_DURATION] = DB_COLLECTION_DURATION_Q,
	},
};
static const char *const sort_names[COLL_SORT__MAX] = {COLLECTION_SORTS};
static const char *const sort_labels[COLL_SORT__MAX] = {
	[COLL_SORT_NEWEST]   = "Newest",
	[COLL_SORT_VIEWS]    = "Most viewed",
	[COLL_SORT_RATING]   = "Top rated",
	[COLL_SORT_DURATION] = "Longest",
};
static const char *const qualities[] = {COLLECTION_QUALITIES};
static const char *const quality_labels[] = {"4K", "1080p", "720p", "480p"};
#define NQUALITY (sizeof qualities / sizeof qualities[0])

/*
 * Where the first page's statement puts each sort's key: the card column
 * (catalog_util.h), how it compares, and whether NULLs come first
 * (release_date DESC; the others say NULLS LAST).  Column 17 is the id.
 */
#define FIRST_ID_COL (8 + CAT_CARD_COLS)
enum key_kind { KEY_TEXT, KEY_INT, KEY_DECIMAL };
static const struct {
	int col;
	enum key_kind kind;
	int nulls_first;
} sort_key[COLL_SORT__MAX] = {
	[COLL_SORT_NEWEST]   = {8 + 4, KEY_TEXT, 1},      /* ISO dates sort as text */
	[COLL_SORT_VIEWS]    = {8 + 5, KEY_INT, 0},
	[COLL_SORT_RATING]   = {8 + 6, KEY_DECIMAL, 0},
	[COLL_SORT_DURATION] = {8 + 3, KEY_INT, 0},
};

/* < 0 if row i sorts before row j by the sort's key (descending), 0 if equal. */
static int
key_cmp(const PGresult *r, int i, int j, long long sort)
{
	int c = sort_key[sort].col;
	int ni = PQgetisnull(r, i, c), nj = PQgetisnull(r, j, c);
	if (ni || nj)
		return ni == nj ? 0 : (ni ? -1 : 1) * (sort_key[sort].nulls_first ? 1 : -1);
	switch (sort_key[sort].kind) {
	case KEY_INT: {
		long long x = cat_col_ll(r, i, c), y = cat_col_ll(r, j, c);
		return x > y ? -1 : x < y;
	}
	case KEY_DECIMAL: {
		double x = strtod(PQgetvalue(r, i, c), NULL), y = strtod(PQgetvalue(r, j, c), NULL);
		return x > y ? -1 : x < y;
	}
	case KEY_TEXT:
	default:
		return -strcmp(PQgetvalue(r, i, c), PQgetvalue(r, j, c));
	}
}

/*
 * Are the first page's rows in the order the statement's subquery asks for
 * (db_stmts.c COLLECTION_FIRST: the key descending, then the id)?  A uuid's
 * text sorts as the uuid does.
 */
static int
first_rows_ordered(const PGresult *r, long long sort)
{
	for (int i = 1, n = PQntuples(r); i < n; i++) {
		int k = key_cmp(r, i - 1, i, sort);
		if (k > 0 || (k == 0 && strcmp(PQgetvalue(r, i - 1, FIRST_ID_COL),
		                               PQgetvalue(r, i, FIRST_ID_COL)) >= 0))
			return 0;
	}
	return 1;
}

/* Canonical local URL of a state without its page: "/collections/x?sort=views&quality=4k". */
static char *
state_url(struct arena *a, const char *slug, long long sort, const char *quality)
{
	struct buf u = BUF_IN(a);
	buf_puts(&u, "/collections/");
	buf_puts(&u, slug);
	char sep = '?';
	if (sort != COLL_SORT_NEWEST) {
		buf_putc(&u, sep);
		buf_puts(&u, "sort=");
		buf_puts(&u, sort_names[sort]);
		sep = '&';
	}
	if (quality) {
		buf_putc(&u, sep);
		buf_puts(&u, "quality=");
		buf_puts(&u, quality);
	}
	return u.data; /* NUL-terminated by every append (buf.h) */
}

/* One sort or quality link: {label, href, current}. */
static void
add_control(struct tval *list, const char *label, const char *href, int current)
{
	struct tval *o = tv_obj(list->arena);
	tv_set_str(o, "label", label);
	tv_set_str(o, "href", href);
	tv_set_bool(o, "current", current);
	tv_push(list, o);
}

/* The sort links and the quality links: each keeps the other choice and goes back to page 1. */
static void
add_controls(struct tval *ctx, struct arena *a, const char *slug, long long sort, const char *quality)
{
	struct tval *sorts = tv_list(a);
	for (long long i = 0; i < COLL_SORT__MAX; i++)
		add_control(sorts, sort_labels[i], state_url(a, slug, i, quality), i == sort);
	tv_set(ctx, "sorts", sorts);

	struct tval *qs = tv_list(a);
	add_control(qs, "Any quality", state_url(a, slug, sort, NULL), quality == NULL);
	for (size_t i = 0; i < NQUALITY; i++)
		add_control(qs, quality_labels[i], state_url(a, slug, sort, qualities[i]),
		    quality && strcmp(quality, qualities[i]) == 0);
	tv_set(ctx, "qualities", qs);
}

int
page_collection(struct app *app, struct request *req, struct response *resp)
{
	struct arena *a = req->arena;
	const char *slug = req_capture(req, "slug")->value;
	long long sort = req_num(req, COLLECTION_SORT, COLL_SORT_NEWEST);
	const char *quality = req_str(req, COLLECTION_QUALITY);
	long long page = req_num(req, COLLECTION_PAGE, 1);

	struct buf offset = BUF_IN(a);
	buf_put_i64(&offset, (page - 1) * CAT_PAGE_SIZE);
	const char *params[3] = {slug, offset.data, quality};
	int filtered = quality != NULL;
	int kind = filtered ? 2 : page > 1;
	PGresult *r = db_exec(app->db, a, sort_stmt[kind][sort], 2 + filtered, params);
	if (r != NULL && kind == 0 && !first_rows_ordered(r, sort)) {
		log_warn("collection %s: the first page's rows came out of order; "
		    "using the sorting statement (db_stmts.c COLLECTION_FIRST)", slug);
		r = db_exec(app->db, a, sort_stmt[1][sort], 2, params);
	}
	if (r == NULL)
		return cat_db_error(app);
	int n = PQntuples(r);
	if (n == 0)
		return 404;

	long long total = cat_col_ll(r, 0, 7);
	long long pages = cat_page_count(total);
	if (page > pages) {
		resp_error_page(app, req, resp, 404, arena_printf(a,
		    "This list has %lld page%s; page %lld does not exist.", pages,
		    pages == 1 ? "" : "s", page));
		return 0;
	}

	const char *name = PQgetvalue(r, 0, 1);
	const char *description = PQgetisnull(r, 0, 2) ? NULL : PQgetvalue(r, 0, 2);
	const char *banner = PQgetvalue(r, 0, 6);
	const char *thumb = PQgetvalue(r, 0, 5);

	struct tval *coll = tv_obj(a);
	tv_set_str(coll, "slug", slug);
	tv_set(coll, "name", cat_col_str(a, r, 0, 1));
	tv_set(coll, "description", cat_col_str(a, r, 0, 2));
	tv_set(coll, "theme_class", tv_concat(a, "theme-", slug));
	int banner_ok = cat_safe_src(banner, strlen(banner));
	if (banner_ok)
		tv_set_str(coll, "banner", banner);
	char *count = arena_alloc(a, 32);
	cat_thousands(count, 32, total);
	tv_set_str(coll, "count", count);
	tv_set_bool(coll, "count_one", total == 1);

	struct tval *videos = tv_list(a);
	for (int i = 0; i < n; i++) {
		struct tval *card = cat_card(a, r, i, 8);
		if (card)
			tv_push(videos, card);
	}

	const char *base = state_url(a, slug, sort, quality);
	struct buf prefix = BUF_IN(a);
	buf_puts(&prefix, base);
	buf_puts(&prefix, strchr(base, '?') ? "&page=" : "?page=");
	const char *path = base;
	if (page > 1) {
		struct buf p = BUF_IN(a);
		buf_append(&p, prefix.data, prefix.len);
		buf_put_i64(&p, page);
		path = p.data;
	}
	struct tval *ctx = tv_obj(a);
	tv_set(ctx, "collection", coll);
	const char *title = page > 1 ? arena_printf(a, "%s, page %lld", name, page) : name;
	cat_page_ld(ctx, app, a, "CollectionPage", title, path, videos);
	tv_set_list(ctx, "videos", videos);
	tv_set_bool(ctx, "filtered", quality != NULL);
	add_controls(ctx, a, slug, sort, quality);
	tv_set(ctx, "pager", pager_values(a, base, prefix.data, (long)page, (long)pages));

	cat_page_meta(ctx, app, a, title, description, path, "website",
	    banner_ok ? banner : thumb);

	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "collection", ctx) == 0 ? 0 : 500;
}

int
page_collection_themes(struct app *app, struct request *req, struct response *resp)
{
	PGresult *r = db_exec(app->db, req->arena, DB_COLLECTION_THEMES, 0, NULL);
	if (r == NULL)
		return cat_db_error(app);
	struct buf css = BUF_IN(req->arena);
	buf_puts(&css, "/* collections.css - generated from the collections' colour schemes */\n");
	for (int i = 0; i < PQntuples(r); i++) {
		const char *slug = PQgetvalue(r, i, 0);
		if (!valid_slug(slug, strlen(slug)))
			continue;
		struct cat_palette p;
		cat_palette_from(PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1),
		    PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2), &p);
		buf_printf(&css, ".theme-%s{--c-primary:%s;--c-on-primary:%s;"
		    "--c-accent:%s;--c-on-accent:%s}\n", slug, p.primary, p.on_primary,
		    p.accent, p.on_accent);
	}
	resp_text(resp, 200, "text/css; charset=utf-8", css.data);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return 0;
}
