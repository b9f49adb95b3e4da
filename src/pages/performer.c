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

/*
 * The links whose URL is safe, as template values; their URLs also go to
 * same_as, the JSON-LD sameAs list (real JSON, so still jansson).  The
 * strings are the arena's (cat_pg_array), so they are borrowed.
 */
static struct tval *
social_links(struct arena *a, const PGresult *r, json_t *same_as)
{
	struct tval *list = tv_list(a);
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
		struct tval *l = tv_obj(a);
		tv_set_str(l, "label", platform_label(plat[i]));
		tv_set_str(l, "handle", handle[i] ? handle[i] : "");
		tv_set_str(l, "url", url[i]);
		tv_push(list, l);
		json_array_append_new(same_as, json_string_nocheck(url[i]));
	}
	return list;
}

static struct tval *
gallery_photo(struct arena *a, const PGresult *r, int i, const char *name)
{
	const char *url = PQgetvalue(r, i, F_URL);
	if (!cat_safe_src(url, (size_t)PQgetlength(r, i, F_URL)))
		return NULL;
	const char *thumb = PQgetvalue(r, i, F_THUMB);
	struct tval *p = tv_obj(a);
	tv_set_str(p, "src", url);
	tv_set_str(p, "thumb", cat_safe_src(thumb, (size_t)PQgetlength(r, i, F_THUMB)) ? thumb : url);
	if (!PQgetisnull(r, i, F_ALT) && PQgetlength(r, i, F_ALT) > 0)
		tv_set(p, "alt", cat_col_str(a, r, i, F_ALT));
	else
		tv_set(p, "alt", tv_concat(a, "Photo of ", name));
	if (!PQgetisnull(r, i, F_W) && !PQgetisnull(r, i, F_H)) {
		tv_set(p, "width", cat_col_int(a, r, i, F_W));
		tv_set(p, "height", cat_col_int(a, r, i, F_H));
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
	struct tval *p = tv_obj(a);
	tv_set_str(p, "slug", slug);
	tv_set(p, "name", cat_col_str(a, r, 0, P_NAME));
	tv_set(p, "bio", cat_col_str(a, r, 0, P_BIO));
	if (cat_safe_src(photo, strlen(photo)))
		tv_set_str(p, "photo", photo);
	if (cat_safe_src(cover, strlen(cover)))
		tv_set_str(p, "cover", cover);
	char *count = arena_alloc(a, 32);
	cat_thousands(count, 32, total);
	tv_set_str(p, "count", count);
	tv_set_bool(p, "count_one", total == 1);
	tv_set_list(p, "links", social_links(a, r, same_as));

	struct tval *videos = tv_list(a), *photos = tv_list(a);
	for (int i = 0; i < PQntuples(f); i++) {
		struct tval *item = NULL;
		if (PQgetvalue(f, i, F_KIND)[0] == 'v' && (item = cat_card(a, f, i, F_CARD)))
			tv_push(videos, item);
		else if (PQgetvalue(f, i, F_KIND)[0] == 'p' && (item = gallery_photo(a, f, i, name)))
			tv_push(photos, item);
	}

	struct tval *ctx = tv_obj(a);
	tv_set(ctx, "performer", p);
	tv_set_list(ctx, "videos", videos);
	tv_set_list(ctx, "photos", photos);
	struct tval *sorts = tv_list(a);
	for (long long i = 0; i < PERF_SORT__MAX; i++) {
		struct tval *o = tv_obj(a);
		tv_set_str(o, "label", sort_labels[i]);
		tv_set_str(o, "href", arena_printf(a, "/performers/%s%s%s", slug,
		    i == PERF_SORT_NEWEST ? "" : "?sort=", i == PERF_SORT_NEWEST ? "" : sort_names[i]));
		tv_set_bool(o, "current", i == sort);
		tv_push(sorts, o);
	}
	tv_set(ctx, "sorts", sorts);
	tv_set(ctx, "pager", pager_values(a, base, prefix, (long)page, (long)pages));

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
	/* The Person block is real JSON, so built with jansson; its text (in the arena) goes in ctx. */
	tv_set_str(ctx, "jsonld", cat_jsonld(a, ld));
	json_decref(ld);

	const char *title = page > 1 ? arena_printf(a, "%s, page %lld", name, page) : name;
	cat_page_meta(ctx, app, a, title, bio, path, "profile", photo);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "performer", ctx) == 0 ? 0 : 500;
}
