/*
 * video.c - GET /videos/{slug}: a live video with its performers (billing
 * order, non-deleted only), stills and behind-the-scenes photos, the player
 * area, related videos and a VideoObject JSON-LD block.
 *
 * Two SQL round trips: DB_VIDEO (the video, its collection and performers
 * as arrays, and for a signed-in member the player's data) and DB_VIDEO_EXTRAS (photos and related videos in one UNION,
 * carrying any due batch of view events: pages/view.h explains why views
 * are counted that way).  Unknown, unpublished and soft-deleted videos are
 * 404 (the first statement finds no row).
 *
 * The player area: an entitled member gets the player (pages/playback.h),
 * everyone else the call to join.
 */
#include "pages/pages.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "http.h"
#include "pages/catalog_util.h"
#include "pages/playback.h"
#include "pages/view.h"
#include "session.h"

/* Columns of DB_VIDEO (db_stmts.c). */
enum {
	VC_ID, VC_SLUG, VC_TITLE, VC_DESC, VC_RELEASE, VC_DURATION, VC_480, VC_720, VC_1080, VC_4K,
	VC_THUMB, VC_VIEWS, VC_RATING, VC_PUBLISHED, VC_COLL_ID, VC_COLL_SLUG, VC_COLL_NAME,
	VC_PERF_SLUGS, VC_PERF_NAMES, VC_PERF_PHOTOS, VC_PLAYER
};
/* Columns of DB_VIDEO_EXTRAS. */
enum { X_KIND, X_ORD, X_CARD, X_URL = X_CARD + CAT_CARD_COLS, X_THUMB, X_ALT, X_W, X_H, X_TYPE };

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Performers from the three parallel arrays, as template values (their
 * strings are cat_pg_array's, in the arena); fills the JSON-LD actor list
 * (jansson: it is dumped as JSON) too.
 */
static struct tval *
performers(struct arena *a, const PGresult *r, json_t *actors)
{
	struct tval *list = tv_list(a);
	if (PQgetisnull(r, 0, VC_PERF_SLUGS))
		return list;
	char **slugs, **names, **photos;
	long n = cat_pg_array(a, PQgetvalue(r, 0, VC_PERF_SLUGS), &slugs);
	if (n != cat_pg_array(a, PQgetvalue(r, 0, VC_PERF_NAMES), &names) ||
	    n != cat_pg_array(a, PQgetvalue(r, 0, VC_PERF_PHOTOS), &photos))
		return list;
	for (long i = 0; i < n; i++) {
		if (slugs[i] == NULL || names[i] == NULL)
			continue;
		struct tval *p = tv_obj(a);
		tv_set_str(p, "name", names[i]);
		tv_set_str(p, "slug", slugs[i]);
		tv_set(p, "href", tv_concat(a, "/performers/", slugs[i]));
		if (photos[i] && cat_safe_src(photos[i], strlen(photos[i])))
			tv_set_str(p, "photo", photos[i]);
		tv_push(list, p);
		json_array_append_new(actors, json_pack("{s:s, s:s}", "@type", "Person", "name", names[i]));
	}
	return list;
}

static struct tval *
photo(struct arena *a, const PGresult *r, int i, const char *title)
{
	const char *url = PQgetvalue(r, i, X_URL);
	if (!cat_safe_src(url, (size_t)PQgetlength(r, i, X_URL)))
		return NULL;
	struct tval *p = tv_obj(a);
	tv_set_str(p, "src", url);
	const char *thumb = PQgetvalue(r, i, X_THUMB);
	tv_set_str(p, "thumb", cat_safe_src(thumb, (size_t)PQgetlength(r, i, X_THUMB)) ? thumb : url);
	if (!PQgetisnull(r, i, X_ALT) && PQgetlength(r, i, X_ALT) > 0)
		tv_set(p, "alt", cat_col_str(a, r, i, X_ALT));
	else
		tv_set(p, "alt", tv_concat(a, "Photo from ", title));
	if (!PQgetisnull(r, i, X_W) && !PQgetisnull(r, i, X_H)) {
		tv_set(p, "width", cat_col_int(a, r, i, X_W));
		tv_set(p, "height", cat_col_int(a, r, i, X_H));
	}
	return p;
}

int
page_video(struct app *app, struct request *req, struct response *resp)
{
	struct arena *a = req->arena;
	const char *slug = req_capture(req, "slug")->value;
	const struct member *m = sess_member(req);
	const char *params[2] = {slug, m ? m->user_id : NULL};
	PGresult *r = db_exec(app->db, a, DB_VIDEO, 2, params);
	if (r == NULL)
		return cat_db_error(app);
	if (PQntuples(r) != 1)
		return 404;

	const char *id = PQgetvalue(r, 0, VC_ID);
	const char *title = PQgetvalue(r, 0, VC_TITLE);
	const char *description = PQgetisnull(r, 0, VC_DESC) ? NULL : PQgetvalue(r, 0, VC_DESC);
	const char *poster = PQgetvalue(r, 0, VC_THUMB);
	const char *path = arena_printf(a, "/videos/%s", slug);
	const char *url = cat_abs_url(app, a, path);
	int poster_ok = cat_safe_src(poster, strlen(poster));

	/* Views: only real page loads (HEAD is a check, not a view). */
	if (req->method == HTTP_GET)
		view_record(id, now_ms());
	const char *extras_params[3] = {
		id, PQgetisnull(r, 0, VC_COLL_ID) ? NULL : PQgetvalue(r, 0, VC_COLL_ID),
		view_take_due(a, now_ms()),
	};
	PGresult *x = db_exec(app->db, a, DB_VIDEO_EXTRAS, 3, extras_params);
	if (x == NULL)
		return cat_db_error(app);

	struct tval *v = tv_obj(a);
	tv_set_str(v, "slug", slug);
	tv_set(v, "title", cat_col_str(a, r, 0, VC_TITLE));
	tv_set(v, "description", cat_col_str(a, r, 0, VC_DESC));
	tv_set(v, "release_date", cat_col_str(a, r, 0, VC_RELEASE));
	/* buf is reused below (and for the JSON-LD): values copy out of it. */
	char buf[32];
	long long secs = cat_col_ll(r, 0, VC_DURATION);
	if (!PQgetisnull(r, 0, VC_DURATION)) {
		cat_duration(buf, sizeof buf, secs);
		tv_set_copy(v, "duration", buf, strlen(buf));
	}
	cat_thousands(buf, sizeof buf, cat_col_ll(r, 0, VC_VIEWS));
	tv_set_copy(v, "views", buf, strlen(buf));
	if (!PQgetisnull(r, 0, VC_RATING))
		tv_set(v, "rating", cat_col_str(a, r, 0, VC_RATING));
	if (poster_ok)
		tv_set_str(v, "poster", poster);
	static const struct { int col; const char *label; } qual[] = {
		{VC_4K, "4K"}, {VC_1080, "1080p"}, {VC_720, "720p"}, {VC_480, "480p"},
	};
	struct tval *qs = tv_list(a);
	for (size_t i = 0; i < sizeof qual / sizeof qual[0]; i++)
		if (cat_col_bool(r, 0, qual[i].col)) {
			struct tval *q = tv_obj(a);
			tv_set_str(q, "label", qual[i].label);
			tv_push(qs, q);
		}
	if (tv_len(qs))
		tv_set(v, "top_quality", tv_get(tv_at(qs, 0), "label"));
	tv_set_list(v, "qualities", qs);
	if (!PQgetisnull(r, 0, VC_COLL_SLUG)) {
		struct tval *coll = tv_obj(a);
		tv_set(coll, "name", cat_col_str(a, r, 0, VC_COLL_NAME));
		tv_set(coll, "href", tv_concat(a, "/collections/", PQgetvalue(r, 0, VC_COLL_SLUG)));
		tv_set(v, "collection", coll);
	}

	json_t *actors = json_array();
	struct tval *ctx = tv_obj(a);
	tv_set(ctx, "video", v);
	tv_set_list(ctx, "performers", performers(a, r, actors));
	tv_set_bool(ctx, "member", req->member);

	struct tval *stills = tv_list(a), *bts = tv_list(a), *related = tv_list(a);
	for (int i = 0; i < PQntuples(x); i++) {
		const char *kind = PQgetvalue(x, i, X_KIND);
		struct tval *item = NULL;
		if (kind[0] == 'r' && (item = cat_card(a, x, i, X_CARD)))
			tv_push(related, item);
		else if (kind[0] == 'p' && (item = photo(a, x, i, title)))
			tv_push(strcmp(PQgetvalue(x, i, X_TYPE), "behind_scenes") == 0 ? bts : stills,
			    item);
	}
	tv_set_list(ctx, "stills", stills);
	tv_set_list(ctx, "behind_scenes", bts);
	tv_set_list(ctx, "related", related);

	/*
	 * schema.org VideoObject: only what a visitor can see on the page.
	 * Built with jansson because it is dumped as real JSON; the context
	 * gets its text (in the arena).
	 */
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s}", "@context", "https://schema.org",
	    "@type", "VideoObject", "name", title, "url", url);
	json_object_set_new_nocheck(ld, "description", json_string_nocheck(
	    cat_truncate(a, description ? description : title, 2000)));
	if (poster_ok)
		json_object_set_new_nocheck(ld, "thumbnailUrl",
		    json_string_nocheck(poster[0] == '/' ? cat_abs_url(app, a, poster) : poster));
	if (!PQgetisnull(r, 0, VC_PUBLISHED))
		json_object_set_new_nocheck(ld, "uploadDate", json_stringn_nocheck(
		    PQgetvalue(r, 0, VC_PUBLISHED), (size_t)PQgetlength(r, 0, VC_PUBLISHED)));
	if (!PQgetisnull(r, 0, VC_DURATION)) {
		cat_iso_duration(buf, sizeof buf, secs);
		json_object_set_new_nocheck(ld, "duration", json_string_nocheck(buf));
	}
	if (json_array_size(actors))
		json_object_set_new_nocheck(ld, "actor", actors);
	else
		json_decref(actors);
	tv_set_str(ctx, "jsonld", cat_jsonld(a, ld));
	json_decref(ld);
	playback_player(app, req, resp, ctx, r, 0, VC_PLAYER);

	cat_page_meta(ctx, app, a, title, description, path, "video.other", poster);
	resp_cache(resp, RESP_CACHE_PUBLIC, HTTP_CACHE_MAX_AGE);
	return resp_render(app, req, resp, "video", ctx) == 0 ? 0 : 500;
}
