/*
 * home.c - GET /: the active collections in sort_order (each in its own
 * colours, with its featured video when that one is live), then a row of
 * the newest releases and a row of the most viewed videos; GET /collections:
 * the same collection tiles alone.
 *
 * One SQL round trip each (DB_HOME, DB_COLLECTIONS: same columns).  The
 * page is the same for every anonymous visitor and cached publicly.  For a
 * signed-in member DB_HOME_MEMBER brings the "Continue watching" row
 * (pages/history.h) in the same statement.
 */
#include "pages/pages.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/history.h"
#include "session.h"

/* Columns of DB_HOME (db_stmts.c). */
enum { H_KIND, H_ORD, H_SLUG, H_NAME, H_DESC, H_PRIMARY, H_ACCENT, H_THUMB, H_BANNER, H_COUNT, H_CARD };

static struct tval *
collection_tile(struct arena *a, const PGresult *r, int i)
{
	const char *slug = PQgetvalue(r, i, H_SLUG);
	struct tval *c = tv_obj(a);
	tv_set(c, "slug", cat_col_str(a, r, i, H_SLUG));
	tv_set(c, "href", tv_concat(a, "/collections/", slug));
	tv_set(c, "name", cat_col_str(a, r, i, H_NAME));
	tv_set(c, "description", cat_col_str(a, r, i, H_DESC));
	tv_set(c, "theme_class", tv_concat(a, "theme-", slug));
	const char *thumb = PQgetvalue(r, i, H_THUMB);
	if (cat_safe_src(thumb, strlen(thumb)))
		tv_set_str(c, "thumb", thumb);
	/* Formatted in the arena: the value borrows it (tval.h). */
	char *count = arena_alloc(a, 32);
	long long n = cat_col_ll(r, i, H_COUNT);
	cat_thousands(count, 32, n);
	tv_set_str(c, "count", count);
	tv_set_bool(c, "count_one", n == 1);
	struct tval *featured = cat_card(a, r, i, H_CARD);
	if (featured)
		tv_set(c, "featured", featured);
	return c;
}

int
page_home(struct app *app, struct request *req, struct response *resp)
{
	const struct member *m = sess_member(req);
	PGresult *r = m ? db_exec(app->db, req->arena, DB_HOME_MEMBER, 1, &m->user_id) :
	    db_exec(app->db, req->arena, DB_HOME, 0, NULL);
	if (r == NULL)
		return cat_db_error(app);

	struct arena *a = req->arena;
	/* 0 collections, 1 newest, 2 most viewed, 3 continue watching. */
	struct tval *rows[4] = {tv_list(a), tv_list(a), tv_list(a), tv_list(a)};
	const char *first_thumb = NULL;    /* og:image: the first collection's picture */
	for (int i = 0; i < PQntuples(r); i++) {
		long long kind = cat_col_ll(r, i, H_KIND);
		if (kind == 0) {
			if (first_thumb == NULL && !PQgetisnull(r, i, H_THUMB))
				first_thumb = PQgetvalue(r, i, H_THUMB);
			tv_push(rows[0], collection_tile(a, r, i));
		} else if (kind == 1 || kind == 2) {
			struct tval *card = cat_card(a, r, i, H_CARD);
			if (card)
				tv_push(rows[kind], card);
		} else if (kind == 3) {
			struct tval *card = history_card(a, r, i, H_CARD, H_DESC);
			if (card)
				tv_push(rows[3], card);
		}
	}

	struct tval *ctx = tv_obj(a);
	tv_set(ctx, "collections", rows[0]);
	tv_set_list(ctx, "newest", rows[1]);
	tv_set_list(ctx, "popular", rows[2]);
	tv_set_int(ctx, "ncollections", (long long)tv_len(rows[0]));
	const char *name = app->cfg && app->cfg->site_name ? app->cfg->site_name : "Marquee";
	cat_page_meta(ctx, app, a, name,
	    arena_printf(a, "%s: films for adults from independent studios, in %zu collections.",
	        name, tv_len(rows[0])),
	    "/", "website", first_thumb);
	cat_page_ld(ctx, app, a, "WebSite", name, "/", NULL);
	if (m)
		tv_set_list(ctx, "continue_watching", rows[3]);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "home", ctx) == 0 ? 0 : 500;
}

int
page_collections(struct app *app, struct request *req, struct response *resp)
{
	PGresult *r = db_exec(app->db, req->arena, DB_COLLECTIONS, 0, NULL);
	if (r == NULL)
		return cat_db_error(app);
	struct arena *a = req->arena;
	struct tval *tiles = tv_list(a);
	for (int i = 0; i < PQntuples(r); i++)
		tv_push(tiles, collection_tile(a, r, i));
	struct tval *ctx = tv_obj(a);
	cat_page_meta(ctx, app, a, "Collections",
	    "Every collection of films on this site, each with its featured video.",
	    "/collections", "website", PQntuples(r) ? PQgetvalue(r, 0, H_THUMB) : NULL);
	cat_page_ld(ctx, app, a, "CollectionPage", "Collections", "/collections", tiles);
	tv_set_list(ctx, "collections", tiles);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "collections", ctx) == 0 ? 0 : 500;
}
