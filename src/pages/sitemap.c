/*
 * sitemap.c - GET /sitemap.xml: every public URL for crawlers, videos with
 * the Google video extension (<video:video>: thumbnail, title,
 * description, player page, duration, publication date, not family
 * friendly, subscription required).
 *
 * The sitemap protocol allows 50,000 URLs a file.  Videos come in chunks
 * of SITEMAP_VIDEOS_PER_FILE, newest first:
 *   /sitemap.xml         everything in one <urlset> while the live videos
 *                        fit one chunk, else a <sitemapindex> of the pages
 *   /sitemap.xml?page=1  home, legal pages, collections, performers and the
 *                        first chunk of videos
 *   /sitemap.xml?page=N  the Nth chunk of videos (404 past the last)
 * Only live videos (published, not deleted), active collections and
 * non-deleted performers are listed.  At most 2 statements a request.
 * Deep chunks use OFFSET over idx_videos_live_newest: a sitemap is fetched
 * rarely and cached, so that cost is accepted rather than keyset URLs that
 * would change whenever a video is published (DB_SITEMAP_VIDEOS keeps the
 * offset on the index alone).
 */
#include "pages/pages.h"

#include "app.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * With at most 40,000 performers (DB_SITEMAP_PAGES) the first file stays
 * under the protocol's 50,000 URLs; 5,000 videos (about 3 MB of XML) keep
 * one file's statement and rendering near a tenth of a second.
 */
#define SITEMAP_VIDEOS_PER_FILE 5000
/* Crawlers refetch sitemaps daily at most; an hour keeps new releases prompt. */
#define SITEMAP_MAX_AGE 3600

/* url, made absolute against base when it is a path on this site; NULL when unusable. */
static struct tval *
absolute(struct arena *a, const char *base, const char *url)
{
	if (url == NULL || *url == '\0')
		return NULL;
	if (url[0] == '/' && url[1] != '/')
		return tv_concat(a, base, url);
	if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0)
		return tv_str(a, url);
	return NULL;
}

/* Collections and performers into ctx; returns the number of live videos, or -1 (status in *err). */
static long
add_pages(struct app *app, struct request *req, struct tval *ctx, int *err)
{
	PGresult *r = db_exec(app->db, req->arena, DB_SITEMAP_PAGES, 0, NULL);
	if (r == NULL) {
		*err = db_last_unavailable(app->db) ? 503 : 500;
		return -1;
	}
	struct arena *a = req->arena;
	struct tval *collections = tv_list(a), *performers = tv_list(a);
	long nvideos = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *kind = PQgetvalue(r, i, 0);
		if (kind[0] == 'n') {
			nvideos = strtol(PQgetvalue(r, i, 2), NULL, 10);
			continue;
		}
		struct tval *o = tv_obj(a);
		tv_set_str(o, "slug", PQgetvalue(r, i, 1));
		tv_set_str(o, "lastmod", PQgetvalue(r, i, 2));
		tv_push(kind[0] == 'c' ? collections : performers, o);
	}
	tv_set(ctx, "collections", collections);
	tv_set(ctx, "performers", performers);
	tv_set_bool(ctx, "pages", 1);
	return nvideos;
}

/* One chunk of videos into ctx; returns how many, or -1 (status in *err). */
static int
add_videos(struct app *app, struct request *req, struct tval *ctx, const char *base, long chunk, int *err)
{
	char limit[24], offset[24];
	snprintf(limit, sizeof limit, "%d", SITEMAP_VIDEOS_PER_FILE);
	snprintf(offset, sizeof offset, "%ld", chunk * SITEMAP_VIDEOS_PER_FILE);
	const char *params[2] = {limit, offset};
	PGresult *r = db_exec(app->db, req->arena, DB_SITEMAP_VIDEOS, 2, params);
	if (r == NULL) {
		*err = db_last_unavailable(app->db) ? 503 : 500;
		return -1;
	}
	struct arena *a = req->arena;
	struct tval *videos = tv_list(a);
	for (int i = 0; i < PQntuples(r); i++) {
		struct tval *v = tv_obj(a);
		tv_set_str(v, "slug", PQgetvalue(r, i, 0));
		tv_set_str(v, "title", PQgetvalue(r, i, 1));
		tv_set_str(v, "description", PQgetvalue(r, i, 2));
		struct tval *thumb = absolute(a, base, PQgetvalue(r, i, 3));
		if (thumb)
			tv_set(v, "thumbnail", thumb);   /* absent, not null, without a usable one */
		/* SQL NULL dates are null members. */
		tv_set_str(v, "published", PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5));
		tv_set_str(v, "lastmod", PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6));
		if (!PQgetisnull(r, i, 4))
			tv_set_int(v, "duration", strtoll(PQgetvalue(r, i, 4), NULL, 10));
		tv_push(videos, v);
	}
	tv_set(ctx, "videos", videos);
	return PQntuples(r);
}

int
page_sitemap(struct app *app, struct request *req, struct response *resp)
{
	const char *base = app->cfg && app->cfg->base_url ? app->cfg->base_url : "";
	long page = (long)req_num(req, SITEMAP_PAGE, 0);
	struct tval *ctx = tv_obj(req->arena);
	int err = 0;

	/* ctx lives in the arena: an early return leaves nothing to free. */
	if (page <= 1) {
		long nvideos = add_pages(app, req, ctx, &err);
		if (nvideos < 0)
			return err;
		if (page == 0 && nvideos > SITEMAP_VIDEOS_PER_FILE) {
			long nfiles = (nvideos + SITEMAP_VIDEOS_PER_FILE - 1) / SITEMAP_VIDEOS_PER_FILE;
			struct tval *files = tv_list(req->arena);
			for (long n = 1; n <= nfiles; n++) {
				struct tval *f = tv_obj(req->arena);
				tv_set_int(f, "n", n);
				tv_push(files, f);
			}
			tv_set(ctx, "index", files);
			tv_set_bool(ctx, "is_index", 1);
		} else if (add_videos(app, req, ctx, base, 0, &err) < 0) {
			return err;
		}
	} else {
		int n = add_videos(app, req, ctx, base, page - 1, &err);
		if (n < 0)
			return err;
		if (n == 0)
			return 404;
	}
	resp_cache(resp, RESP_CACHE_PUBLIC, SITEMAP_MAX_AGE);
	if (resp_render(app, req, resp, "sitemap", ctx) != 0)
		return 500;
	resp->content_type = "application/xml; charset=utf-8";
	return 0;
}
