/*
 * export.c - `marqueectl export [FILE|-]`: write the catalog (collections,
 * performers with social links and photos, videos with performers and
 * photos) in the import format (docs/IMPORT.md).
 *
 * The output is stable: items are ordered by slug (byte order, whatever the
 * database's collation), sub-lists by their display order, keys by the
 * field tables of catalog.c, so exporting, importing into an empty database
 * and exporting again gives the same bytes.  Soft-deleted items are included
 * with their deleted_at, so that videos that name them still import.
 * Statistics (view counts, ratings, counters) and row timestamps other than
 * published_at/deleted_at are not catalog content and are not written.
 *
 * The file holds legal names and dates of birth: it is created with mode
 * 0600, written to FILE.tmp and renamed into place once complete.  All
 * queries run in one read-only REPEATABLE READ transaction (one snapshot).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ctl.h"
#include "ctl/catalog.h"
#include "ctl/ctl_util.h"
#include "util.h"

/* A TIMESTAMP (UTC) in the import format; microseconds only when present. */
#define TS(col) "to_char(" col ", 'YYYY-MM-DD\"T\"HH24:MI:SS')" \
	" || CASE WHEN date_trunc('second', " col ") = " col " THEN ''" \
	" ELSE to_char(" col ", '.US') END || 'Z'"
#define DATE(col) "to_char(" col ", 'YYYY-MM-DD')"

/* Column lists follow the field tables of catalog.c. */
static const char sql_collections[] =
	"SELECT c.slug, c.name, c.description, c.color_scheme->>'primary',"
	"       c.color_scheme->>'accent', c.thumbnail_url, c.banner_image_url, c.is_active,"
	"       c.sort_order, fv.slug, " TS("c.deleted_at")
	"  FROM collections c LEFT JOIN videos fv ON fv.id = c.featured_video_id"
	" ORDER BY c.slug COLLATE \"C\"";

static const char sql_performers[] =
	"SELECT p.slug, p.name, p.stage_name, p.legal_name, " DATE("p.date_of_birth") ","
	"       p.bio, p.profile_photo_url, p.cover_photo_url, p.is_active, " TS("p.deleted_at")
	"  FROM performers p ORDER BY p.slug COLLATE \"C\"";

static const char sql_links[] =
	"SELECT p.slug, s.platform, s.handle, s.url, s.icon_url, s.sort_order, s.is_verified"
	"  FROM social_media_links s JOIN performers p ON p.id = s.performer_id"
	" ORDER BY p.slug COLLATE \"C\", s.sort_order NULLS LAST, s.platform";

static const char sql_videos[] =
	"SELECT v.slug, c.slug, v.title, v.description, " DATE("v.release_date") ","
	"       v.hls_manifest_url, v.thumbnail_url, v.has_480p, v.has_720p, v.has_1080p,"
	"       v.has_4k, v.duration_seconds, v.file_size_bytes, v.age_verified, v.is_featured,"
	"       v.is_published, " TS("v.published_at") ", " TS("v.deleted_at")
	"  FROM videos v JOIN collections c ON c.id = v.collection_id"
	" ORDER BY v.slug COLLATE \"C\"";

static const char sql_video_performers[] =
	"SELECT v.slug, p.slug"
	"  FROM video_performers vp JOIN videos v ON v.id = vp.video_id"
	"  JOIN performers p ON p.id = vp.performer_id"
	" ORDER BY v.slug COLLATE \"C\", vp.billing_order NULLS LAST, p.slug COLLATE \"C\"";

/* Owner kind, owner slug, then the photo fields. */
static const char sql_photos[] =
	"SELECT CASE WHEN ph.video_id IS NOT NULL THEN 'v' ELSE 'p' END, coalesce(v.slug, p.slug),"
	"       ph.photo_type, ph.url, ph.thumbnail_url, ph.alt_text, ph.width, ph.height,"
	"       ph.file_size_bytes, ph.sort_order, ph.is_primary,"
	"       CASE WHEN ph.video_id IS NOT NULL THEN p.slug END, " TS("ph.deleted_at")
	"  FROM photos ph LEFT JOIN videos v ON v.id = ph.video_id"
	"  LEFT JOIN performers p ON p.id = ph.performer_id"
	" ORDER BY ph.video_id IS NULL, coalesce(v.slug, p.slug) COLLATE \"C\", ph.sort_order NULLS LAST, ph.url COLLATE \"C\", ph.id";

/* Append item to the array stored under key in map (created on first use). */
static void
map_append(json_t *map, const char *key, json_t *item)
{
	json_t *a = json_object_get(map, key);
	if (a == NULL) {
		a = json_array();
		json_object_set_new(map, key, a);
	}
	json_array_append_new(a, item);
}

/* Move map[slug] (if any) into obj under key; an absent list is omitted
 * unless `always`. */
static void
attach(json_t *obj, const char *key, json_t *map, const char *slug, int always)
{
	json_t *a = json_object_get(map, slug);
	if (a)
		json_object_set(obj, key, a);
	else if (always)
		json_object_set_new(obj, key, json_array());
}

static json_t *
build(PGconn *c)
{
	PGresult *rc = NULL, *rp = NULL, *rl = NULL, *rv = NULL, *rvp = NULL, *rph = NULL;
	json_t *root = NULL;
	json_t *links = json_object(), *vperf = json_object();
	json_t *vphotos = json_object(), *pphotos = json_object();

	if ((rc = ctl_query(c, sql_collections, 0, NULL)) == NULL
	    || (rp = ctl_query(c, sql_performers, 0, NULL)) == NULL
	    || (rl = ctl_query(c, sql_links, 0, NULL)) == NULL
	    || (rv = ctl_query(c, sql_videos, 0, NULL)) == NULL
	    || (rvp = ctl_query(c, sql_video_performers, 0, NULL)) == NULL
	    || (rph = ctl_query(c, sql_photos, 0, NULL)) == NULL)
		goto out;

	for (int i = 0; i < PQntuples(rl); i++)
		map_append(links, PQgetvalue(rl, i, 0), cat_from_row(CAT_SOCIAL_LINK, rl, i, 1));
	for (int i = 0; i < PQntuples(rvp); i++)
		map_append(vperf, PQgetvalue(rvp, i, 0), json_string(PQgetvalue(rvp, i, 1)));
	for (int i = 0; i < PQntuples(rph); i++)
		map_append(PQgetvalue(rph, i, 0)[0] == 'v' ? vphotos : pphotos,
		    PQgetvalue(rph, i, 1), cat_from_row(CAT_PHOTO, rph, i, 2));

	json_t *cols = json_array(), *perfs = json_array(), *vids = json_array();
	root = json_pack("{s:i,s:o,s:o,s:o}", "version", 1, "collections", cols,
	    "performers", perfs, "videos", vids);
	for (int i = 0; i < PQntuples(rc); i++)
		json_array_append_new(cols, cat_from_row(CAT_COLLECTION, rc, i, 0));
	for (int i = 0; i < PQntuples(rp); i++) {
		json_t *o = cat_from_row(CAT_PERFORMER, rp, i, 0);
		attach(o, "social_links", links, PQgetvalue(rp, i, 0), 0);
		attach(o, "photos", pphotos, PQgetvalue(rp, i, 0), 0);
		json_array_append_new(perfs, o);
	}
	for (int i = 0; i < PQntuples(rv); i++) {
		json_t *o = cat_from_row(CAT_VIDEO, rv, i, 0);
		attach(o, "performers", vperf, PQgetvalue(rv, i, 0), 1);
		attach(o, "photos", vphotos, PQgetvalue(rv, i, 0), 0);
		json_array_append_new(vids, o);
	}
out:
	PQclear(rc);
	PQclear(rp);
	PQclear(rl);
	PQclear(rv);
	PQclear(rvp);
	PQclear(rph);
	json_decref(links);
	json_decref(vperf);
	json_decref(vphotos);
	json_decref(pphotos);
	return root;
}

/* Write root to path via path.tmp (mode 0600) and rename; "-" = stdout. */
static int
write_out(const json_t *root, const char *path)
{
	const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
	if (strcmp(path, "-") == 0) {
		if (json_dumpf(root, stdout, flags) != 0 || fputc('\n', stdout) == EOF
		    || fflush(stdout) != 0) {
			fprintf(stderr, "export: writing to standard output failed\n");
			return -1;
		}
		return 0;
	}
	size_t n = strlen(path) + 5;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = -1;
	if (f == NULL) {
		fprintf(stderr, "export: %s: %s\n", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(tmp);
		return -1;
	}
	if (json_dumpf(root, f, flags) == 0 && fputc('\n', f) != EOF && fflush(f) == 0
	    && fsync(fileno(f)) == 0)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "export: writing %s failed: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

int
ctl_export(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		fprintf(stderr, "usage: marqueectl export [FILE|-]\n");
		return 2;
	}
	const char *path = argc == 2 ? argv[1] : "-";
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	json_t *root = NULL;
	if (ctl_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) == 0
	    && (root = build(c)) != NULL && write_out(root, path) == 0) {
		rc = 0;
		fprintf(stderr, "export: %zu collections, %zu performers, %zu videos\n",
		    json_array_size(json_object_get(root, "collections")),
		    json_array_size(json_object_get(root, "performers")),
		    json_array_size(json_object_get(root, "videos")));
	}
	json_decref(root);
	ctl_rollback(c);
	PQfinish(c);
	return rc;
}
