/*
 * import.c - `marqueectl import [--dry-run] FILE.json|-`: load a catalog file
 * (docs/IMPORT.md) in one transaction, all or nothing.
 *
 * Three stages, and nothing is written to the catalog tables until the first
 * two have passed:
 *   1. the file alone: JSON syntax, then every item against the format
 *      (catalog.c), cross-field rules and duplicates within the file;
 *   2. the file against the database: the items are COPYed into temporary
 *      tables and queries find references to unknown slugs, clashing
 *      collection names and videos that would break the 2257 publish rule;
 *   3. set-based upserts from the temporary tables.  Each UPDATE only
 *      touches rows whose values differ (IS DISTINCT FROM), which is how
 *      "updated" and "unchanged" are counted and why re-importing a file
 *      changes nothing.  The deferred 2257 trigger still runs at the end
 *      (SET CONSTRAINTS ALL IMMEDIATE) as the last word.
 *
 * Every error names its place in the file ("videos[12].performers[1]") and
 * the command exits 1 with the transaction rolled back.  Import adds and
 * updates; it never deletes items, restores soft-deleted ones, or removes
 * photos absent from the file.  A performer's social links and a video's
 * performers are attributes of the item and are replaced by the file's list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "buf.h"
#include "ctl.h"
#include "ctl/catalog.h"
#include "ctl/ctl_util.h"
#include "util.h"

/* Far above the 20,000-video benchmark file (~25 MB): a larger input is a
 * wrong file, and jansson holds the whole tree in memory. */
#define IMPORT_FILE_MAX (512L * 1024 * 1024)
/* Errors printed before "... and N more": enough to fix a file in one go. */
#define IMPORT_ERRORS_SHOWN 50
/* Rows created by one import above which the tables are re-analyzed. */
#define ANALYZE_AFTER 1000
/* COPY data is sent in chunks of this size. */
#define COPY_CHUNK (1024 * 1024)

enum part { PART_COLLECTIONS, PART_PERFORMERS, PART_VIDEOS, PART_PHOTOS, PART__MAX };

static const char *const part_names[PART__MAX] = {
	[PART_COLLECTIONS] = "collections",
	[PART_PERFORMERS]  = "performers",
	[PART_VIDEOS]      = "videos",
	[PART_PHOTOS]      = "photos",
};

/* ------------------------------------------------------------ stage 1 */

static char *
read_input(const char *path, size_t *lenp)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "import: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > (size_t)IMPORT_FILE_MAX) {
			fprintf(stderr, "import: %s: larger than %ld bytes\n", path, IMPORT_FILE_MAX);
			break;
		}
		buf_append(&b, chunk, n);
	}
	int bad = ferror(f) || n > 0;
	if (ferror(f))
		fprintf(stderr, "import: %s: read error\n", path);
	if (f != stdin)
		fclose(f);
	if (bad || b.data == NULL) {
		if (!bad)
			fprintf(stderr, "import: %s: empty input\n", path);
		buf_free(&b);
		return NULL;
	}
	*lenp = b.len;
	return b.data;
}

struct key {
	const char *s;
	size_t      i;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * Report every key that appears twice: "PREFIX[i]SUFFIX: duplicate "s"
 * (first at PREFIX[j])".  Sorts k.
 */
static void
report_dups(struct key *k, size_t n, const char *prefix, const char *suffix,
    const char *what, struct cat_errs *e)
{
	char place[512];
	qsort(k, n, sizeof *k, key_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(k[i].s, k[first].s) != 0) {
			first = i;
			continue;
		}
		snprintf(place, sizeof place, "%s[%zu]%s", prefix, k[i].i, suffix);
		cat_err(e, place, "duplicate %s \"%s\" (first at %s[%zu])", what, k[i].s,
		    prefix, k[first].i);
	}
}

/* Collect key `field` of every object in arr that has it as a string. */
static size_t
collect(const json_t *arr, const char *field, struct key *k)
{
	size_t i, n = 0;
	const json_t *o;
	json_array_foreach(arr, i, o) {
		const char *s = json_string_value(json_object_get(o, field));
		if (s)
			k[n++] = (struct key){s, i};
	}
	return n;
}

static void
dups_in(const json_t *arr, const char *field, const char *prefix, const char *suffix,
    const char *what, struct cat_errs *e)
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return;
	struct key *k = xcalloc(n, sizeof *k);
	report_dups(k, collect(arr, field, k), prefix, suffix, what, e);
	free(k);
}

/* Validate a list field's items (photos, social links) of one item. */
static void
check_sublist(const json_t *item, const char *key, enum cat_kind sub, const char *place,
    int under_video, struct cat_errs *e)
{
	const json_t *list = json_object_get(item, key);
	char where[512], prefix[512];
	size_t i;
	const json_t *o;
	if (!json_is_array(list))
		return;
	json_array_foreach(list, i, o) {
		snprintf(where, sizeof where, "%s.%s[%zu]", place, key, i);
		cat_validate(sub, o, where, under_video, e);
	}
	snprintf(prefix, sizeof prefix, "%s.%s", place, key);
	if (sub == CAT_PHOTO)
		dups_in(list, "url", prefix, ".url", "photo url", e);
	else
		dups_in(list, "platform", prefix, ".platform", "platform", e);
}

/* Rules between fields of one video that the field table cannot express. */
static void
check_video(const json_t *v, const char *place, struct cat_errs *e)
{
	char where[512];
	const json_t *pub = json_object_get(v, "is_published");
	const json_t *at = json_object_get(v, "published_at");
	if (at && !json_is_null(at) && !json_is_true(pub)) {
		snprintf(where, sizeof where, "%s.published_at", place);
		cat_err(e, where, "is set but is_published is not true");
	}
}

static const json_t *
top_array(const json_t *root, const char *key, struct cat_errs *e)
{
	const json_t *a = json_object_get(root, key);
	if (a == NULL || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		cat_err(e, key, "must be an array");
		return NULL;
	}
	return a;
}

struct input {
	const json_t *collections, *performers, *videos;
	size_t        total[PART__MAX];
};

static void
validate_file(const json_t *root, struct input *in, struct cat_errs *e)
{
	char place[64];
	const char *key;
	const json_t *v, *o;
	size_t i;

	if (!json_is_object(root)) {
		cat_err(e, "(top)", "must be an object with collections, performers and videos");
		return;
	}
	json_object_foreach((json_t *)root, key, v) {
		if (strcmp(key, "version") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) != 1)
				cat_err(e, "version", "must be 1 (the only format version)");
		} else if (strcmp(key, "collections") && strcmp(key, "performers")
		    && strcmp(key, "videos")) {
			cat_err(e, key, "unknown key (version, collections, performers, videos)");
		}
	}
	in->collections = top_array(root, "collections", e);
	in->performers = top_array(root, "performers", e);
	in->videos = top_array(root, "videos", e);

	json_array_foreach(in->collections, i, o) {
		snprintf(place, sizeof place, "collections[%zu]", i);
		cat_validate(CAT_COLLECTION, o, place, 0, e);
	}
	json_array_foreach(in->performers, i, o) {
		snprintf(place, sizeof place, "performers[%zu]", i);
		if (cat_validate(CAT_PERFORMER, o, place, 0, e) == 0 || json_is_object(o)) {
			check_sublist(o, "social_links", CAT_SOCIAL_LINK, place, 0, e);
			check_sublist(o, "photos", CAT_PHOTO, place, 0, e);
		}
		in->total[PART_PHOTOS] += json_array_size(json_object_get(o, "photos"));
	}
	json_array_foreach(in->videos, i, o) {
		snprintf(place, sizeof place, "videos[%zu]", i);
		if (json_is_object(o)) {
			cat_validate(CAT_VIDEO, o, place, 1, e);
			check_video(o, place, e);
			check_sublist(o, "photos", CAT_PHOTO, place, 1, e);
		} else {
			cat_validate(CAT_VIDEO, o, place, 1, e);
		}
		in->total[PART_PHOTOS] += json_array_size(json_object_get(o, "photos"));
	}
	dups_in(in->collections, "slug", "collections", ".slug", "slug", e);
	dups_in(in->collections, "name", "collections", ".name", "name", e);
	dups_in(in->performers, "slug", "performers", ".slug", "slug", e);
	dups_in(in->videos, "slug", "videos", ".slug", "slug", e);
	in->total[PART_COLLECTIONS] = json_array_size(in->collections);
	in->total[PART_PERFORMERS] = json_array_size(in->performers);
	in->total[PART_VIDEOS] = json_array_size(in->videos);
}

/* ------------------------------------------------------------ stage 2 */

static const char sql_temp_tables[] =
	"CREATE TEMP TABLE imp_collections (pos int, slug text, name text, description text,"
	" color_primary text, color_accent text, thumbnail_url text, banner_image_url text,"
	" is_active boolean, sort_order int, featured_video text, deleted_at timestamp)"
	" ON COMMIT DROP;"
	"CREATE TEMP TABLE imp_performers (pos int, slug text, name text, stage_name text,"
	" legal_name text, date_of_birth date, bio text, profile_photo_url text,"
	" cover_photo_url text, is_active boolean, deleted_at timestamp) ON COMMIT DROP;"
	"CREATE TEMP TABLE imp_links (ppos int, idx int, performer text, platform text,"
	" handle text, url text, icon_url text, sort_order int, is_verified boolean)"
	" ON COMMIT DROP;"
	"CREATE TEMP TABLE imp_videos (pos int, performer_count int, slug text, collection text,"
	" title text, description text, release_date date, hls_manifest_url text,"
	" thumbnail_url text, has_480p boolean, has_720p boolean, has_1080p boolean,"
	" has_4k boolean, duration_seconds int, file_size_bytes bigint, age_verified boolean,"
	" is_featured boolean, is_published boolean, published_at timestamp,"
	" deleted_at timestamp) ON COMMIT DROP;"
	"CREATE TEMP TABLE imp_vp (vpos int, idx int, video text, performer text) ON COMMIT DROP;"
	"CREATE TEMP TABLE imp_photos (owner char(1), opos int, idx int, video text,"
	" owner_performer text, photo_type text, url text, thumbnail_url text, alt_text text,"
	" width int, height int, file_size_bytes int, sort_order int, is_primary boolean,"
	" performer text, deleted_at timestamp) ON COMMIT DROP;"
	"CREATE TEMP TABLE imp_done (kind text, id uuid, created boolean) ON COMMIT DROP;";

struct copy {
	PGconn    *c;
	struct buf b;
	int        failed;
};

static int
copy_begin(struct copy *cp, const char *sql)
{
	PGresult *r = PQexec(cp->c, sql);
	int ok = PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		fprintf(stderr, "import: %s", PQerrorMessage(cp->c));
	PQclear(r);
	buf_reset(&cp->b);
	cp->failed = !ok;
	return ok ? 0 : -1;
}

static void
copy_flush(struct copy *cp, size_t min)
{
	if (cp->b.len < min || cp->b.len == 0 || cp->failed)
		return;
	if (PQputCopyData(cp->c, cp->b.data, (int)cp->b.len) != 1)
		cp->failed = 1;
	buf_reset(&cp->b);
}

static void
copy_row_end(struct copy *cp)
{
	buf_putc(&cp->b, '\n');
	copy_flush(cp, COPY_CHUNK);
}

static int
copy_end(struct copy *cp)
{
	copy_flush(cp, 1);
	int rc = PQputCopyEnd(cp->c, cp->failed ? "client error" : NULL) == 1 ? 0 : -1;
	PGresult *r;
	while ((r = PQgetResult(cp->c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "import: loading failed: %s",
			    PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	return cp->failed ? -1 : rc;
}

static void
put_num(struct buf *b, size_t n)
{
	buf_put_i64(b, (long long)n);
}

static void
put_col(struct buf *b, const char *s)
{
	buf_putc(b, '\t');
	if (s)
		cat_copy_text(b, s);
	else
		buf_append(b, "\\N", 2);
}

/* The photos of one item: owner 'v' (video) or 'p' (performer). */
static void
copy_photos(struct copy *cp, const json_t *item, char owner, size_t opos)
{
	const char *slug = json_string_value(json_object_get(item, "slug"));
	const json_t *list = json_object_get(item, "photos");
	size_t i;
	const json_t *ph;
	json_array_foreach(list, i, ph) {
		buf_putc(&cp->b, owner);
		buf_putc(&cp->b, '\t');
		put_num(&cp->b, opos);
		buf_putc(&cp->b, '\t');
		put_num(&cp->b, i);
		put_col(&cp->b, owner == 'v' ? slug : NULL);
		put_col(&cp->b, owner == 'p' ? slug : NULL);
		cat_copy_columns(CAT_PHOTO, ph, &cp->b);
		copy_row_end(cp);
	}
}

static int
load_temp_tables(PGconn *c, const struct input *in)
{
	struct copy cp = {.c = c, .b = BUF_INIT};
	size_t i, j;
	const json_t *o, *x;
	int rc = -1;

	if (copy_begin(&cp, "COPY imp_collections FROM STDIN") != 0)
		goto out;
	json_array_foreach(in->collections, i, o) {
		put_num(&cp.b, i);
		cat_copy_columns(CAT_COLLECTION, o, &cp.b);
		copy_row_end(&cp);
	}
	if (copy_end(&cp) != 0 || copy_begin(&cp, "COPY imp_performers FROM STDIN") != 0)
		goto out;
	json_array_foreach(in->performers, i, o) {
		put_num(&cp.b, i);
		cat_copy_columns(CAT_PERFORMER, o, &cp.b);
		copy_row_end(&cp);
	}
	if (copy_end(&cp) != 0 || copy_begin(&cp, "COPY imp_links FROM STDIN") != 0)
		goto out;
	json_array_foreach(in->performers, i, o) {
		const char *slug = json_string_value(json_object_get(o, "slug"));
		json_array_foreach(json_object_get(o, "social_links"), j, x) {
			put_num(&cp.b, i);
			buf_putc(&cp.b, '\t');
			put_num(&cp.b, j);
			put_col(&cp.b, slug);
			cat_copy_columns(CAT_SOCIAL_LINK, x, &cp.b);
			copy_row_end(&cp);
		}
	}
	if (copy_end(&cp) != 0 || copy_begin(&cp, "COPY imp_videos FROM STDIN") != 0)
		goto out;
	json_array_foreach(in->videos, i, o) {
		put_num(&cp.b, i);
		buf_putc(&cp.b, '\t');
		put_num(&cp.b, json_array_size(json_object_get(o, "performers")));
		cat_copy_columns(CAT_VIDEO, o, &cp.b);
		copy_row_end(&cp);
	}
	if (copy_end(&cp) != 0 || copy_begin(&cp, "COPY imp_vp FROM STDIN") != 0)
		goto out;
	json_array_foreach(in->videos, i, o) {
		const char *slug = json_string_value(json_object_get(o, "slug"));
		json_array_foreach(json_object_get(o, "performers"), j, x) {
			put_num(&cp.b, i);
			buf_putc(&cp.b, '\t');
			put_num(&cp.b, j);
			put_col(&cp.b, slug);
			put_col(&cp.b, json_string_value(x));
			copy_row_end(&cp);
		}
	}
	if (copy_end(&cp) != 0 || copy_begin(&cp, "COPY imp_photos FROM STDIN") != 0)
		goto out;
	json_array_foreach(in->performers, i, o)
		copy_photos(&cp, o, 'p', i);
	json_array_foreach(in->videos, i, o)
		copy_photos(&cp, o, 'v', i);
	if (copy_end(&cp) != 0)
		goto out;
	/* No ANALYZE: without statistics the planner sizes temporary tables
	 * from their pages, which is enough for the hash joins below, and
	 * sampling them cost more than the upserts. */
	rc = 0;
out:
	buf_free(&cp.b);
	return rc;
}

/*
 * Checks of the file against the database.  Each returns (place, message,
 * order keys) for every problem; nothing is modified.
 */
static const char *const sql_checks[] = {
	/* A collection name is UNIQUE: another slug may already have it. */
	"SELECT 'collections[' || i.pos || '].name',"
	"       format('\"%s\" is already the name of collection \"%s\"', i.name, c.slug), i.pos, 0"
	"  FROM imp_collections i JOIN collections c ON c.name = i.name AND c.slug <> i.slug"
	" ORDER BY 3, 4",

	"SELECT 'videos[' || i.pos || '].collection',"
	"       format('unknown collection slug \"%s\"', i.collection), i.pos, 0"
	"  FROM imp_videos i"
	" WHERE NOT EXISTS (SELECT 1 FROM imp_collections c WHERE c.slug = i.collection)"
	"   AND NOT EXISTS (SELECT 1 FROM collections c WHERE c.slug = i.collection)"
	" ORDER BY 3, 4",

	"SELECT 'videos[' || l.vpos || '].performers[' || l.idx || ']',"
	"       format('unknown performer slug \"%s\"', l.performer), l.vpos, l.idx"
	"  FROM imp_vp l"
	" WHERE NOT EXISTS (SELECT 1 FROM imp_performers p WHERE p.slug = l.performer)"
	"   AND NOT EXISTS (SELECT 1 FROM performers p WHERE p.slug = l.performer)"
	" ORDER BY 3, 4",

	"SELECT 'videos[' || ph.opos || '].photos[' || ph.idx || '].performer',"
	"       format('unknown performer slug \"%s\"', ph.performer), ph.opos, ph.idx"
	"  FROM imp_photos ph"
	" WHERE ph.owner = 'v' AND ph.performer IS NOT NULL"
	"   AND NOT EXISTS (SELECT 1 FROM imp_performers p WHERE p.slug = ph.performer)"
	"   AND NOT EXISTS (SELECT 1 FROM performers p WHERE p.slug = ph.performer)"
	" ORDER BY 3, 4",

	/* The featured video must be (after the import) in that collection. */
	"SELECT 'collections[' || c.pos || '].featured_video',"
	"       CASE WHEN coalesce(iv.collection, cc.slug) IS NULL"
	"            THEN format('unknown video slug \"%s\"', c.featured_video)"
	"            ELSE format('video \"%s\" belongs to collection \"%s\", not to \"%s\"',"
	"                        c.featured_video, coalesce(iv.collection, cc.slug), c.slug) END,"
	"       c.pos, 0"
	"  FROM imp_collections c"
	"  LEFT JOIN imp_videos iv ON iv.slug = c.featured_video"
	"  LEFT JOIN videos v ON v.slug = c.featured_video"
	"  LEFT JOIN collections cc ON cc.id = v.collection_id"
	" WHERE c.featured_video IS NOT NULL"
	"   AND coalesce(iv.collection, cc.slug) IS DISTINCT FROM c.slug"
	" ORDER BY 3, 4",

	/* The 2257 rule for videos the file publishes, with the performers'
	 * records from the file where it has them, else from the database. */
	"SELECT 'videos[' || v.pos || '].release_date',"
	"       'is required to publish: the performers'' ages are checked on it (2257)', v.pos, -1"
	"  FROM imp_videos v"
	" WHERE v.is_published AND v.deleted_at IS NULL AND v.release_date IS NULL"
	" UNION ALL "
	"SELECT 'videos[' || x.pos || '].performers[' || x.idx || ']',"
	"       format('performer \"%s\" %s, so the video cannot be published (2257)', x.performer,"
	"         CASE WHEN coalesce(btrim(x.legal_name), '') = '' THEN 'has no legal name on record'"
	"              WHEN x.dob IS NULL THEN 'has no date of birth on record'"
	"              ELSE format('was under 18 on the release date %s', x.release_date) END),"
	"       x.pos, x.idx"
	"  FROM (SELECT v.pos, v.release_date, l.idx, l.performer,"
	"               CASE WHEN ip.slug IS NOT NULL THEN ip.legal_name ELSE p.legal_name END AS legal_name,"
	"               CASE WHEN ip.slug IS NOT NULL THEN ip.date_of_birth ELSE p.date_of_birth END AS dob"
	"          FROM imp_videos v JOIN imp_vp l ON l.vpos = v.pos"
	"          LEFT JOIN imp_performers ip ON ip.slug = l.performer"
	"          LEFT JOIN performers p ON p.slug = l.performer"
	"         WHERE v.is_published AND v.deleted_at IS NULL AND v.release_date IS NOT NULL"
	"           AND (ip.slug IS NOT NULL OR p.id IS NOT NULL)) x"
	" WHERE coalesce(btrim(x.legal_name), '') = '' OR x.dob IS NULL"
	"    OR NOT marquee_adult_on(x.dob, x.release_date)"
" ORDER BY 3, 4",
};

static int
check_references(PGconn *c, struct cat_errs *e)
{
	for (size_t k = 0; k < NELEM(sql_checks); k++) {
		PGresult *r = ctl_query(c, sql_checks[k], 0, NULL);
		if (r == NULL)
			return -1;
		for (int i = 0; i < PQntuples(r); i++)
			cat_err(e, PQgetvalue(r, i, 0), "%s", PQgetvalue(r, i, 1));
		PQclear(r);
	}
	return 0;
}

/* ------------------------------------------------------------ stage 3 */

/* Each statement records the ids it created or changed in imp_done. */
static const char *const sql_writes[] = {
	/* collections (the featured video comes last, once videos exist) */
	"WITH src AS ("
	"  SELECT i.*, CASE WHEN i.color_primary IS NOT NULL THEN jsonb_build_object("
	"         'primary', i.color_primary, 'accent', i.color_accent) END AS colors"
	"    FROM imp_collections i),"
	" upd AS ("
	"  UPDATE collections c SET name = s.name, description = s.description,"
	"         color_scheme = s.colors, thumbnail_url = s.thumbnail_url,"
	"         banner_image_url = s.banner_image_url, is_active = s.is_active,"
	"         sort_order = s.sort_order, deleted_at = coalesce(s.deleted_at, c.deleted_at)"
	"    FROM src s WHERE c.slug = s.slug"
	"     AND (c.name, c.description, c.color_scheme, c.thumbnail_url, c.banner_image_url,"
	"          c.is_active, c.sort_order, c.deleted_at)"
	"         IS DISTINCT FROM (s.name, s.description, s.colors, s.thumbnail_url,"
	"          s.banner_image_url, s.is_active, s.sort_order, coalesce(s.deleted_at, c.deleted_at))"
	"  RETURNING c.id),"
	" ins AS ("
	"  INSERT INTO collections (slug, name, description, color_scheme, thumbnail_url,"
	"         banner_image_url, is_active, sort_order, deleted_at)"
	"  SELECT s.slug, s.name, s.description, s.colors, s.thumbnail_url, s.banner_image_url,"
	"         s.is_active, s.sort_order, s.deleted_at"
	"    FROM src s WHERE NOT EXISTS (SELECT 1 FROM collections c WHERE c.slug = s.slug)"
	"  RETURNING id)"
	" INSERT INTO imp_done SELECT 'collections', id, false FROM upd"
	"  UNION ALL SELECT 'collections', id, true FROM ins",

	/* performers */
	"WITH upd AS ("
	"  UPDATE performers p SET name = s.name, stage_name = s.stage_name,"
	"         legal_name = s.legal_name, date_of_birth = s.date_of_birth, bio = s.bio,"
	"         profile_photo_url = s.profile_photo_url, cover_photo_url = s.cover_photo_url,"
	"         is_active = s.is_active, deleted_at = coalesce(s.deleted_at, p.deleted_at)"
	"    FROM imp_performers s WHERE p.slug = s.slug"
	"     AND (p.name, p.stage_name, p.legal_name, p.date_of_birth, p.bio,"
	"          p.profile_photo_url, p.cover_photo_url, p.is_active, p.deleted_at)"
	"         IS DISTINCT FROM (s.name, s.stage_name, s.legal_name, s.date_of_birth, s.bio,"
	"          s.profile_photo_url, s.cover_photo_url, s.is_active,"
	"          coalesce(s.deleted_at, p.deleted_at))"
	"  RETURNING p.id),"
	" ins AS ("
	"  INSERT INTO performers (slug, name, stage_name, legal_name, date_of_birth, bio,"
	"         profile_photo_url, cover_photo_url, is_active, deleted_at)"
	"  SELECT s.slug, s.name, s.stage_name, s.legal_name, s.date_of_birth, s.bio,"
	"         s.profile_photo_url, s.cover_photo_url, s.is_active, s.deleted_at"
	"    FROM imp_performers s WHERE NOT EXISTS (SELECT 1 FROM performers p WHERE p.slug = s.slug)"
	"  RETURNING id)"
	" INSERT INTO imp_done SELECT 'performers', id, false FROM upd"
	"  UNION ALL SELECT 'performers', id, true FROM ins",

	/* social links: the file's list replaces the performer's links */
	"WITH want AS ("
	"  SELECT p.id AS performer_id, l.platform, l.handle, l.url, l.icon_url, l.sort_order,"
	"         l.is_verified"
	"    FROM imp_links l JOIN performers p ON p.slug = l.performer),"
	" del AS ("
	"  DELETE FROM social_media_links s USING imp_performers ip JOIN performers p ON p.slug = ip.slug"
	"   WHERE s.performer_id = p.id AND NOT EXISTS (SELECT 1 FROM want w"
	"         WHERE w.performer_id = s.performer_id AND w.platform = s.platform)"
	"  RETURNING s.performer_id),"
	" upd AS ("
	"  UPDATE social_media_links s SET handle = w.handle, url = w.url, icon_url = w.icon_url,"
	"         sort_order = w.sort_order, is_verified = w.is_verified"
	"    FROM want w WHERE s.performer_id = w.performer_id AND s.platform = w.platform"
	"     AND (s.handle, s.url, s.icon_url, s.sort_order, s.is_verified)"
	"         IS DISTINCT FROM (w.handle, w.url, w.icon_url, w.sort_order, w.is_verified)"
	"  RETURNING s.performer_id),"
	" ins AS ("
	"  INSERT INTO social_media_links (performer_id, platform, handle, url, icon_url,"
	"         sort_order, is_verified)"
	"  SELECT w.* FROM want w WHERE NOT EXISTS (SELECT 1 FROM social_media_links s"
	"         WHERE s.performer_id = w.performer_id AND s.platform = w.platform)"
	"  RETURNING performer_id)"
	" INSERT INTO imp_done SELECT 'performers', performer_id, false FROM ("
	"  SELECT performer_id FROM del UNION ALL SELECT performer_id FROM upd"
	"  UNION ALL SELECT performer_id FROM ins) x",

	/* videos; published_at absent from the file keeps the stored one, or
	 * is the time of publication for a video published now */
	"WITH src AS ("
	"  SELECT i.*, c.id AS collection_id"
	"    FROM imp_videos i JOIN collections c ON c.slug = i.collection),"
	" upd AS ("
	"  UPDATE videos v SET collection_id = s.collection_id, title = s.title,"
	"         description = s.description, release_date = s.release_date,"
	"         hls_manifest_url = s.hls_manifest_url, thumbnail_url = s.thumbnail_url,"
	"         has_480p = s.has_480p, has_720p = s.has_720p, has_1080p = s.has_1080p,"
	"         has_4k = s.has_4k, duration_seconds = s.duration_seconds,"
	"         file_size_bytes = s.file_size_bytes, performer_count = s.performer_count,"
	"         age_verified = s.age_verified, is_featured = s.is_featured,"
	"         is_published = s.is_published,"
	"         published_at = CASE WHEN s.is_published"
	"             THEN coalesce(s.published_at, v.published_at, LOCALTIMESTAMP(0)) END,"
	"         deleted_at = coalesce(s.deleted_at, v.deleted_at)"
	"    FROM src s WHERE v.slug = s.slug"
	"     AND (v.collection_id, v.title, v.description, v.release_date, v.hls_manifest_url,"
	"          v.thumbnail_url, v.has_480p, v.has_720p, v.has_1080p, v.has_4k,"
	"          v.duration_seconds, v.file_size_bytes, v.performer_count, v.age_verified,"
	"          v.is_featured, v.is_published, v.published_at, v.deleted_at)"
	"         IS DISTINCT FROM (s.collection_id, s.title, s.description, s.release_date,"
	"          s.hls_manifest_url, s.thumbnail_url, s.has_480p, s.has_720p, s.has_1080p,"
	"          s.has_4k, s.duration_seconds, s.file_size_bytes, s.performer_count,"
	"          s.age_verified, s.is_featured, s.is_published,"
	"          CASE WHEN s.is_published"
	"             THEN coalesce(s.published_at, v.published_at, LOCALTIMESTAMP(0)) END,"
	"          coalesce(s.deleted_at, v.deleted_at))"
	"  RETURNING v.id),"
	" ins AS ("
	"  INSERT INTO videos (collection_id, title, slug, description, release_date,"
	"         hls_manifest_url, thumbnail_url, has_480p, has_720p, has_1080p, has_4k,"
	"         duration_seconds, file_size_bytes, performer_count, age_verified, is_featured,"
	"         is_published, published_at, deleted_at)"
	"  SELECT s.collection_id, s.title, s.slug, s.description, s.release_date,"
	"         s.hls_manifest_url, s.thumbnail_url, s.has_480p, s.has_720p, s.has_1080p,"
	"         s.has_4k, s.duration_seconds, s.file_size_bytes, s.performer_count,"
	"         s.age_verified, s.is_featured, s.is_published,"
	"         CASE WHEN s.is_published THEN coalesce(s.published_at, LOCALTIMESTAMP(0)) END,"
	"         s.deleted_at"
	"    FROM src s WHERE NOT EXISTS (SELECT 1 FROM videos v WHERE v.slug = s.slug)"
	"  RETURNING id)"
	" INSERT INTO imp_done SELECT 'videos', id, false FROM upd"
	"  UNION ALL SELECT 'videos', id, true FROM ins",

	/* performers of each video, in billing order: the file's list replaces
	 * the stored one */
	"WITH want AS ("
	"  SELECT v.id AS video_id, p.id AS performer_id, l.idx + 1 AS billing_order"
	"    FROM imp_vp l JOIN videos v ON v.slug = l.video JOIN performers p ON p.slug = l.performer),"
	" del AS ("
	"  DELETE FROM video_performers vp USING imp_videos i JOIN videos v ON v.slug = i.slug"
	"   WHERE vp.video_id = v.id AND NOT EXISTS (SELECT 1 FROM want w"
	"         WHERE w.video_id = vp.video_id AND w.performer_id = vp.performer_id)"
	"  RETURNING vp.video_id),"
	" upd AS ("
	"  UPDATE video_performers vp SET billing_order = w.billing_order"
	"    FROM want w WHERE vp.video_id = w.video_id AND vp.performer_id = w.performer_id"
	"     AND vp.billing_order IS DISTINCT FROM w.billing_order"
	"  RETURNING vp.video_id),"
	" ins AS ("
	"  INSERT INTO video_performers (video_id, performer_id, billing_order)"
	"  SELECT w.* FROM want w WHERE NOT EXISTS (SELECT 1 FROM video_performers vp"
	"         WHERE vp.video_id = w.video_id AND vp.performer_id = w.performer_id)"
	"  RETURNING video_id)"
	" INSERT INTO imp_done SELECT 'videos', video_id, false FROM ("
	"  SELECT video_id FROM del UNION ALL SELECT video_id FROM upd"
	"  UNION ALL SELECT video_id FROM ins) x",

	/* photos, identified by their owner (video, else performer) and url */
	"WITH want AS ("
	"  SELECT CASE WHEN ph.owner = 'v' THEN v.id ELSE p.id END AS owner_id,"
	"         ph.owner = 'v' AS of_video, v.id AS video_id, p.id AS performer_id,"
	"         ph.photo_type, ph.url, ph.thumbnail_url, ph.alt_text, ph.width, ph.height,"
	"         ph.file_size_bytes, ph.sort_order, ph.is_primary, ph.deleted_at"
	"    FROM imp_photos ph"
	"    LEFT JOIN videos v ON ph.owner = 'v' AND v.slug = ph.video"
	"    LEFT JOIN performers p ON p.slug = coalesce(ph.owner_performer, ph.performer)),"
	" upd AS ("
	"  UPDATE photos s SET performer_id = w.performer_id, photo_type = w.photo_type,"
	"         thumbnail_url = w.thumbnail_url, alt_text = w.alt_text, width = w.width,"
	"         height = w.height, file_size_bytes = w.file_size_bytes,"
	"         sort_order = w.sort_order, is_primary = w.is_primary,"
	"         deleted_at = coalesce(w.deleted_at, s.deleted_at)"
	"    FROM want w"
	"   WHERE coalesce(s.video_id, s.performer_id) = w.owner_id"
	"     AND (s.video_id IS NOT NULL) = w.of_video AND s.url = w.url"
	"     AND (s.performer_id, s.photo_type, s.thumbnail_url, s.alt_text, s.width, s.height,"
	"          s.file_size_bytes, s.sort_order, s.is_primary, s.deleted_at)"
	"         IS DISTINCT FROM (w.performer_id, w.photo_type, w.thumbnail_url, w.alt_text,"
	"          w.width, w.height, w.file_size_bytes, w.sort_order, w.is_primary,"
	"          coalesce(w.deleted_at, s.deleted_at))"
	"  RETURNING s.id),"
	" ins AS ("
	"  INSERT INTO photos (video_id, performer_id, photo_type, url, thumbnail_url, alt_text,"
	"         width, height, file_size_bytes, sort_order, is_primary, deleted_at)"
	"  SELECT w.video_id, w.performer_id, w.photo_type, w.url, w.thumbnail_url, w.alt_text,"
	"         w.width, w.height, w.file_size_bytes, w.sort_order, w.is_primary, w.deleted_at"
	"    FROM want w WHERE NOT EXISTS (SELECT 1 FROM photos s"
	"         WHERE coalesce(s.video_id, s.performer_id) = w.owner_id"
	"           AND (s.video_id IS NOT NULL) = w.of_video AND s.url = w.url)"
	"  RETURNING id)"
	" INSERT INTO imp_done SELECT 'photos', id, false FROM upd"
	"  UNION ALL SELECT 'photos', id, true FROM ins",

	/* featured videos of the collections */
	"WITH upd AS ("
	"  UPDATE collections c SET featured_video_id = v.id"
	"    FROM imp_collections i LEFT JOIN videos v ON v.slug = i.featured_video"
	"   WHERE c.slug = i.slug AND c.featured_video_id IS DISTINCT FROM v.id"
	"  RETURNING c.id)"
	" INSERT INTO imp_done SELECT 'collections', id, false FROM upd",

	/* the deferred 2257 trigger, now, so that --dry-run checks it too */
	"SET CONSTRAINTS ALL IMMEDIATE",
};

static const char sql_summary[] =
	"SELECT kind, count(*) FILTER (WHERE c), count(*) FILTER (WHERE NOT c)"
	"  FROM (SELECT kind, id, bool_or(created) AS c FROM imp_done GROUP BY kind, id) x"
	" GROUP BY kind";

static int
write_catalog(PGconn *c, const struct input *in, int dry_run)
{
	long long created[PART__MAX] = {0}, updated[PART__MAX] = {0};
	char err[2048];

	for (size_t k = 0; k < NELEM(sql_writes); k++) {
		if (ctl_exec_msg(c, sql_writes[k], 0, NULL, err, sizeof err) != 0) {
			fprintf(stderr, "import: refused by the database: %s\n", err);
			return -1;
		}
	}
	PGresult *r = ctl_query(c, sql_summary, 0, NULL);
	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		for (int p = 0; p < PART__MAX; p++)
			if (strcmp(PQgetvalue(r, i, 0), part_names[p]) == 0) {
				created[p] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
				updated[p] = strtoll(PQgetvalue(r, i, 2), NULL, 10);
			}
	PQclear(r);

	if (!dry_run && ctl_exec_msg(c, "COMMIT", 0, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "import: refused by the database at commit: %s\n", err);
		return -1;
	}
	for (int p = 0; p < PART__MAX; p++) {
		long long unchanged = (long long)in->total[p] - created[p] - updated[p];
		printf("%s: %lld created, %lld updated, %lld unchanged\n", part_names[p],
		    created[p], updated[p], unchanged < 0 ? 0 : unchanged);
	}
	if (dry_run) {
		printf("dry run: rolled back, nothing changed\n");
		return 0;
	}
	/* After a bulk load the planner knows nothing of the new rows until
	 * autovacuum comes round; the site's next queries (and a re-import)
	 * would be planned for nearly empty tables. */
	long long created_total = 0;
	for (int p = 0; p < PART__MAX; p++)
		created_total += created[p];
	if (created_total >= ANALYZE_AFTER)
		ctl_exec(c, "ANALYZE collections, performers, social_media_links, videos,"
		    " video_performers, photos", 0, NULL);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: marqueectl import [--dry-run] FILE.json|-\n");
}

int
ctl_import(int argc, char **argv)
{
	int dry_run = 0;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = 1;
		else if (path == NULL && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
			path = argv[i];
		else {
			usage();
			return 2;
		}
	}
	if (path == NULL) {
		usage();
		return 2;
	}

	size_t len;
	char *text = read_input(path, &len);
	if (text == NULL)
		return 1;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (root == NULL) {
		fprintf(stderr, "import: %s:%d:%d: %s; nothing was changed\n",
		    strcmp(path, "-") == 0 ? "(stdin)" : path, jerr.line, jerr.column, jerr.text);
		return 1;
	}

	struct cat_errs e = {.max = IMPORT_ERRORS_SHOWN};
	struct input in = {0};
	int rc = 1;
	PGconn *c = NULL;

	validate_file(root, &in, &e);
	if (e.n == 0) {
		c = ctl_db_open();
		if (c == NULL)
			goto out;
		/* Temporary tables live in the session's local buffers (8 MB by
		 * default); a large file's tables would otherwise be re-read
		 * from the OS on every scan.  The upserts hash-join tens of
		 * thousands of rows: with the default 4 MB they spill to disk. */
		const char *const tb[] = {"256MB", "64MB"};
		if (ctl_exec(c, "SELECT set_config('temp_buffers', $1, false),"
		        " set_config('work_mem', $2, false)", 2, tb) != 0
		    || ctl_exec(c, "BEGIN", 0, NULL) != 0)
			goto out;
		PGresult *r = PQexec(c, sql_temp_tables);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "import: %s", PQerrorMessage(c));
		PQclear(r);
		if (!ok || load_temp_tables(c, &in) != 0 || check_references(c, &e) != 0)
			goto out;
	}
	if (e.n > 0) {
		if (e.n > e.max)
			fprintf(stderr, "import: ... and %zu more errors\n", e.n - e.max);
		fprintf(stderr, "import: %zu error%s; nothing was changed\n", e.n, e.n == 1 ? "" : "s");
		goto out;
	}
	if (write_catalog(c, &in, dry_run) != 0) {
		fprintf(stderr, "import: nothing was changed\n");
		goto out;
	}
	rc = 0;
out:
	if (c) {
		if (rc != 0 || dry_run)
			ctl_rollback(c);
		PQfinish(c);
	}
	json_decref(root);
	return rc;
}
