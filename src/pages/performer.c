/*
 * performer.c - GET /performers/{slug}: a performer's profile and cover
 * photos, bio, social links, filmography (live videos, newest or most
 * viewed first, 24 per page) and photo gallery, with a Person JSON-LD block.
 *
 * Two SQL round trips: DB_PERFORMER (the profile and its links as arrays)
 * and DB_PERFORMER_<sort> (the filmography page and the gallery in one
 * UNION).  Soft-deleted and unknown performers are 404.  Legal names and
 * dates of birth are never selected.
 *
 * Social links render only when the stored URL is http(s) (cat_safe_url: a
 * javascript: or malformed URL is dropped), with rel="noopener nofollow".
 *
 * URLs: /performers/x?sort=views&page=2, default values left out, as on the
 * collection page (collection.c); a page past the last one is a 404.
 */
#include "pages/pages.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/pager.h"

/* Columns of DB_PERFORMER (db_stmts.c). */
enum { P_ID, P_SLUG, P_NAME, P_BIO, P_PHOTO, P_COVER, P_COUNT, P_PLATFORMS, P_HANDLES, P_URLS };
/* Columns of DB_PERFORMER_<sort>. */
enum { F_KIND, F_ORD, F_CARD, F_URL = F_CARD + CAT_CARD_COLS, F_THUMB, F_ALT, F_W, F_H, F_TYPE };

static const enum db_stmt sort_stmt[PERF_SORT__MAX] = {
	[PERF_SORT_NEWEST] = DB_PERFORMER_NEWEST,
	[PERF_SORT_VIEWS]  = DB_PERFORMER_VIEWS,
};
static const char *const sort_names[PERF_SORT__MAX] = {PERFORMER_SORTS};
static const char *const sort_labels[PERF_SORT__MAX] = {
	[PERF_SORT_NEWEST] = "Newest",
	[PERF_SORT_VIEWS]  = "Most viewed",
};

static const struct {
	const char *platform, *label;
} platforms[] = {
	{"instagram", "Instagram"}, {"twitter", "X (Twitter)"}, {"onlyfans", "OnlyFans"},
	{"tiktok", "TikTok"}, {"custom", "Website"},
};

static const char *
platform_label(const char *p)
{
	for (size_t i = 0; i < sizeof platforms / sizeof platforms[0]; i++)
		if (p && strcmp(p, platforms[i].platform) == 0)
			return platforms[i].label;
	return "Link";
}

/* The links whose URL is safe; their URLs also go to the JSON-LD sameAs list. */
static json_t *
social_links(struct arena *a, const PGresult *r, json_t *same_as)
{
	json_t *list = json_array();
	if (PQgetisnull(r, 0, P_URLS))
		return list;
	char **plat, **handle, **url;
	long n = cat_pg_array(a, PQgetvalue(r, 0, P_URLS), &url);
	if (n != cat_pg_array(a, PQgetvalue(r, 0, P_PLATFORMS), &plat) ||
	    n != cat_pg_array(a, PQgetvalue(r, 0, P_HANDLES), &handle))
		return list;
	for (long i = 0; i < n; i++) {
		if (url[i] == NULL || !cat_safe_url(url[i], strlen(url[i])))
			continue;
		json_t *l = json_pack("{s:s, s:s, s:s}", "label", platform_label(plat[i]),
		    "handle", handle[i] ? handle[i] : "", "url", url[i]);
		if (l == NULL)
			continue;
		json_array_append_new(list, l);
		json_array_append_new(same_as, json_string_nocheck(url[i]));
	}
	return list;
}

static json_t *
gallery_photo(const PGresult *r, int i, const char *name)
{
	const char *url = PQgetvalue(r, i, F_URL);
	if (!cat_safe_src(url, (size_t)PQgetlength(r, i, F_URL)))
		return NULL;
	const char *thumb = PQgetvalue(r, i, F_THUMB);
	json_t *p = json_pack("{s:s, s:s}", "src", url, "thumb",
	    cat_safe_src(thumb, (size_t)PQgetlength(r, i, F_THUMB)) ? thumb : url);
	if (!PQgetisnull(r, i, F_ALT) && PQgetlength(r, i, F_ALT) > 0)
		json_object_set_new_nocheck(p, "alt", cat_col_str(r, i, F_ALT));
	else
		json_object_set_new_nocheck(p, "alt", cat_join("Photo of ", name));
	if (!PQgetisnull(r, i, F_W) && !PQgetisnull(r, i, F_H)) {
		json_object_set_new_nocheck(p, "width", cat_col_int(r, i, F_W));
		json_object_set_new_nocheck(p, "height", cat_col_int(r, i, F_H));
	}
	return p;
}

int
page_performer(struct app *app, struct request *req, struct response *resp)
{
	struct arena *a = req->arena;
	const char *slug = req_capture(req, "slug")->value;
	long long sort = req_num(req, PERFORMER_SORT, PERF_SORT_NEWEST);
	long long page = req_num(req, PERFORMER_PAGE, 1);

	PGresult *r = db_exec(app->db, a, DB_PERFORMER, 1, &slug);
	if (r == NULL)
		return cat_db_error(app);
	if (PQntuples(r) != 1)
		return 404;
	long long total = cat_col_ll(r, 0, P_COUNT);
	long long pages = cat_page_count(total);
	const char *name = PQgetvalue(r, 0, P_NAME);
	if (page > pages) {
		resp_error_page(app, req, resp, 404, arena_printf(a,
		    "This filmography has %lld page%s; page %lld does not exist.", pages,
		    pages == 1 ? "" : "s", page));
		return 0;
	}

	char offset[24];
	snprintf(offset, sizeof offset, "%lld", (page - 1) * CAT_PAGE_SIZE);
	const char *params[2] = {PQgetvalue(r, 0, P_ID), offset};
	PGresult *f = db_exec(app->db, a, sort_stmt[sort], 2, params);
	if (f == NULL)
		return cat_db_error(app);

	const char *bio = PQgetisnull(r, 0, P_BIO) ? NULL : PQgetvalue(r, 0, P_BIO);
	const char *photo = PQgetvalue(r, 0, P_PHOTO);
	const char *cover = PQgetvalue(r, 0, P_COVER);
	const char *base = arena_printf(a, "/performers/%s%s%s", slug,
	    sort == PERF_SORT_NEWEST ? "" : "?sort=", sort == PERF_SORT_NEWEST ? "" : sort_names[sort]);
	const char *prefix = arena_printf(a, "%s%cpage=", base, strchr(base, '?') ? '&' : '?');
	const char *path = page > 1 ? arena_printf(a, "%s%lld", prefix, page) : base;

	json_t *same_as = json_array();
	json_t *p = json_object();
	json_object_set_new_nocheck(p, "slug", json_string_nocheck(slug));
	json_object_set_new_nocheck(p, "name", cat_col_str(r, 0, P_NAME));
	json_object_set_new_nocheck(p, "bio", cat_col_str(r, 0, P_BIO));
	if (cat_safe_src(photo, strlen(photo)))
		json_object_set_new_nocheck(p, "photo", json_string_nocheck(photo));
	if (cat_safe_src(cover, strlen(cover)))
		json_object_set_new_nocheck(p, "cover", json_string_nocheck(cover));
	char count[32];
	cat_thousands(count, sizeof count, total);
	json_object_set_new_nocheck(p, "count", json_string_nocheck(count));
	json_object_set_new_nocheck(p, "count_one", json_boolean(total == 1));
	cat_set_list(p, "links", social_links(a, r, same_as));

	json_t *videos = json_array(), *photos = json_array();
	for (int i = 0; i < PQntuples(f); i++) {
		json_t *item = NULL;
		if (PQgetvalue(f, i, F_KIND)[0] == 'v' && (item = cat_card(f, i, F_CARD)))
			json_array_append_new(videos, item);
		else if (PQgetvalue(f, i, F_KIND)[0] == 'p' && (item = gallery_photo(f, i, name)))
			json_array_append_new(photos, item);
	}

	json_t *ctx = json_object();
	json_object_set_new_nocheck(ctx, "performer", p);
	cat_set_list(ctx, "videos", videos);
	cat_set_list(ctx, "photos", photos);
	json_t *sorts = json_array();
	for (long long i = 0; i < PERF_SORT__MAX; i++)
		json_array_append_new(sorts, json_pack("{s:s, s:s+, s:b}", "label", sort_labels[i],
		    "href", arena_printf(a, "/performers/%s", slug),
		    i == PERF_SORT_NEWEST ? "" : arena_printf(a, "?sort=%s", sort_names[i]),
		    "current", i == sort));
	json_object_set_new_nocheck(ctx, "sorts", sorts);
	json_object_set_new_nocheck(ctx, "pager", pager_json(base, prefix, (long)page, (long)pages));

	const char *url = cat_abs_url(app, a, arena_printf(a, "/performers/%s", slug));
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s}", "@context", "https://schema.org",
	    "@type", "Person", "name", name, "url", url);
	if (bio)
		json_object_set_new_nocheck(ld, "description", json_string_nocheck(cat_truncate(a, bio, 2000)));
	if (cat_safe_src(photo, strlen(photo)))
		json_object_set_new_nocheck(ld, "image",
		    json_string_nocheck(photo[0] == '/' ? cat_abs_url(app, a, photo) : photo));
	if (json_array_size(same_as))
		json_object_set_new_nocheck(ld, "sameAs", same_as);
	else
		json_decref(same_as);
	json_object_set_new_nocheck(ctx, "jsonld", json_string_nocheck(cat_jsonld(a, ld)));
	json_decref(ld);

	const char *title = page > 1 ? arena_printf(a, "%s, page %lld", name, page) : name;
	cat_page_meta(ctx, app, a, title, bio, path, "profile", photo);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "performer", ctx) == 0 ? 0 : 500;
}
