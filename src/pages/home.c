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

static json_t *
collection_tile(const PGresult *r, int i)
{
	const char *slug = PQgetvalue(r, i, H_SLUG);
	json_t *c = json_object();
	json_object_set_new_nocheck(c, "slug", cat_col_str(r, i, H_SLUG));
	json_object_set_new_nocheck(c, "href", cat_join("/collections/", slug));
	json_object_set_new_nocheck(c, "name", cat_col_str(r, i, H_NAME));
	json_object_set_new_nocheck(c, "description", cat_col_str(r, i, H_DESC));
	json_object_set_new_nocheck(c, "theme_class", cat_join("theme-", slug));
	const char *thumb = PQgetvalue(r, i, H_THUMB);
	if (cat_safe_src(thumb, strlen(thumb)))
		json_object_set_new_nocheck(c, "thumb", json_string_nocheck(thumb));
	char count[32];
	long long n = cat_col_ll(r, i, H_COUNT);
	cat_thousands(count, sizeof count, n);
	json_object_set_new_nocheck(c, "count", json_string_nocheck(count));
	json_object_set_new_nocheck(c, "count_one", json_boolean(n == 1));
	json_t *featured = cat_card(r, i, H_CARD);
	if (featured)
		json_object_set_new_nocheck(c, "featured", featured);
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

	/* 0 collections, 1 newest, 2 most viewed, 3 continue watching. */
	json_t *rows[4] = {json_array(), json_array(), json_array(), json_array()};
	const char *first_thumb = NULL;    /* og:image: the first collection's picture */
	for (int i = 0; i < PQntuples(r); i++) {
		long long kind = cat_col_ll(r, i, H_KIND);
		if (kind == 0) {
			if (first_thumb == NULL && !PQgetisnull(r, i, H_THUMB))
				first_thumb = PQgetvalue(r, i, H_THUMB);
			json_array_append_new(rows[0], collection_tile(r, i));
		} else if (kind == 1 || kind == 2) {
			json_t *card = cat_card(r, i, H_CARD);
			if (card)
				json_array_append_new(rows[kind], card);
		} else if (kind == 3) {
			json_t *card = history_card(r, i, H_CARD, H_DESC);
			if (card)
				json_array_append_new(rows[3], card);
		}
	}

	json_t *ctx = json_object();
	json_object_set_new_nocheck(ctx, "collections", rows[0]);
	cat_set_list(ctx, "newest", rows[1]);
	cat_set_list(ctx, "popular", rows[2]);
	json_object_set_new_nocheck(ctx, "ncollections", json_integer((json_int_t)json_array_size(rows[0])));
	const char *name = app->cfg && app->cfg->site_name ? app->cfg->site_name : "Marquee";
	cat_page_meta(ctx, app, req->arena, name,
	    arena_printf(req->arena, "%s: films for adults from independent studios, in %zu collections.",
	        name, json_array_size(rows[0])),
	    "/", "website", first_thumb);
	cat_page_ld(ctx, app, req->arena, "WebSite", name, "/", NULL);
	if (m)
		cat_set_list(ctx, "continue_watching", rows[3]);
	else
		json_decref(rows[3]);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "home", ctx) == 0 ? 0 : 500;
}

int
page_collections(struct app *app, struct request *req, struct response *resp)
{
	PGresult *r = db_exec(app->db, req->arena, DB_COLLECTIONS, 0, NULL);
	if (r == NULL)
		return cat_db_error(app);
	json_t *tiles = json_array();
	for (int i = 0; i < PQntuples(r); i++)
		json_array_append_new(tiles, collection_tile(r, i));
	json_t *ctx = json_object();
	cat_page_meta(ctx, app, req->arena, "Collections",
	    "Every collection of films on this site, each with its featured video.",
	    "/collections", "website", PQntuples(r) ? PQgetvalue(r, 0, H_THUMB) : NULL);
	cat_page_ld(ctx, app, req->arena, "CollectionPage", "Collections", "/collections", tiles);
	cat_set_list(ctx, "collections", tiles);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "collections", ctx) == 0 ? 0 : 500;
}
