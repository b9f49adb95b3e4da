/*
 * content.c - marqueectl commands that change the state of catalog items:
 *
 *   publish VIDEO / unpublish VIDEO     is_published + published_at
 *   check-2257                          published videos breaking the rule
 *   delete KIND KEY / restore KIND KEY  soft delete (deleted_at) and undo
 *   purge --older-than DAYS             hard delete of old soft-deleted rows
 *   feature VIDEO [--off]               videos.is_featured
 *   set-collection-featured COLL VIDEO|--none
 *   refresh                             REFRESH MATERIALIZED VIEW CONCURRENTLY
 *   maintain                            the periodic job: fold views, refresh,
 *                                       billing-send (outbox.c)
 *
 * The database enforces the rules (the deferred 2257 trigger of migration
 * 003, the counters of 002, ON DELETE RESTRICT); these commands check first
 * only to say clearly why something is refused.  Changes that the 2257
 * trigger may refuse run in an explicit transaction and report the
 * trigger's message when COMMIT fails.  Counters are never touched here:
 * the triggers keep them right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "config.h"
#include "ctl.h"
#include "ctl/ctl_util.h"
#include "ctl/outbox.h"
#include "util.h"

/* Longest slugs the schema allows (VARCHAR sizes). */
#define VIDEO_SLUG_MAX 500
#define SLUG_MAX       255
/* purge --older-than: a century covers any retention policy. */
#define PURGE_DAYS_MAX 36500

/* Run sql (one statement) in its own transaction; 0, or -1 after printing
 * "WHAT refused: MESSAGE" (the 2257 trigger fires at COMMIT). */
static int
exec_tx(PGconn *c, const char *sql, int n, const char *const *v, const char *what)
{
	char err[1024];
	if (ctl_exec(c, "BEGIN", 0, NULL) != 0)
		return -1;
	if (ctl_exec_msg(c, sql, n, v, err, sizeof err) != 0
	    || ctl_exec_msg(c, "COMMIT", 0, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "marqueectl: %s refused: %s\n", what, err);
		ctl_rollback(c);
		return -1;
	}
	return 0;
}

static int
check_slug(const char *what, const char *s, size_t max)
{
	if (ctl_is_slug(s, max))
		return 0;
	fprintf(stderr, "marqueectl: \"%s\" is not a %s slug (a-z, 0-9 and single hyphens)\n", s, what);
	return -1;
}

/* ------------------------------------------------------------ publish */

static const char sql_video_state[] =
	"SELECT id, is_published, deleted_at IS NOT NULL, release_date IS NULL,"
	"       (SELECT count(*) FROM video_performers vp WHERE vp.video_id = v.id), performer_count"
	"  FROM videos v WHERE slug = $1";

/* Each performer of the video with what keeps it from being published. */
static const char sql_performer_problems[] =
	"SELECT p.slug, coalesce(btrim(p.legal_name), '') = '', p.date_of_birth IS NULL,"
	"       v.release_date IS NOT NULL AND NOT marquee_adult_on(p.date_of_birth, v.release_date),"
	"       to_char(v.release_date, 'YYYY-MM-DD')"
	"  FROM video_performers vp JOIN performers p ON p.id = vp.performer_id"
	"  JOIN videos v ON v.id = vp.video_id"
	" WHERE vp.video_id = $1"
	" ORDER BY vp.billing_order NULLS LAST, p.slug";

/* Append every reason the video (row 0 of st) breaks the 2257 rule to
 * out, one "  - ..." line each; returns how many, or -1 on a query error. */
static int
publish_problems(PGconn *c, const PGresult *st, struct buf *out)
{
	int n = 0;
	long links = strtol(PQgetvalue(st, 0, 4), NULL, 10);
	long count = strtol(PQgetvalue(st, 0, 5), NULL, 10);
	const char *id = PQgetvalue(st, 0, 0);

	if (ctl_bool(st, 0, 3)) {
		buf_puts(out, "  - it has no release_date: the performers' ages are checked on it\n");
		n++;
	}
	if (links < 1 || links > 10) {
		buf_printf(out, "  - it has %ld performers (1-10 required)\n", links);
		n++;
	} else if (links != count) {
		buf_printf(out, "  - it has %ld performers but performer_count is %ld\n", links, count);
		n++;
	}
	PGresult *r = ctl_query(c, sql_performer_problems, 1, &id);
	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *p = PQgetvalue(r, i, 0);
		if (ctl_bool(r, i, 1)) {
			buf_printf(out, "  - performer \"%s\" has no legal name on record\n", p);
			n++;
		}
		if (ctl_bool(r, i, 2)) {
			buf_printf(out, "  - performer \"%s\" has no date of birth on record\n", p);
			n++;
		} else if (ctl_bool(r, i, 3)) {
			buf_printf(out, "  - performer \"%s\" was under 18 on the release date %s\n",
			    p, PQgetvalue(r, i, 4));
			n++;
		}
	}
	PQclear(r);
	return n;
}

static int
set_published(int argc, char **argv, int publish)
{
	if (argc != 2) {
		fprintf(stderr, "usage: marqueectl %s VIDEO_SLUG\n", argv[0]);
		return 2;
	}
	const char *slug = argv[1];
	if (check_slug("video", slug, VIDEO_SLUG_MAX) != 0)
		return 2;
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	PGresult *st = ctl_query(c, sql_video_state, 1, (const char *const[]){slug});
	if (st == NULL)
		goto out;
	if (PQntuples(st) == 0) {
		fprintf(stderr, "marqueectl: no video \"%s\"\n", slug);
	} else if (publish && ctl_bool(st, 0, 2)) {
		fprintf(stderr, "marqueectl: video \"%s\" is deleted; restore it first\n", slug);
	} else if (ctl_bool(st, 0, 1) == publish) {
		printf("video \"%s\" is already %s\n", slug, publish ? "published" : "unpublished");
		rc = 0;
	} else if (!publish) {
		const char *id = PQgetvalue(st, 0, 0);
		if (exec_tx(c, "UPDATE videos SET is_published = false, published_at = NULL"
		    " WHERE id = $1", 1, &id, "unpublish") == 0) {
			printf("video \"%s\" unpublished\n", slug);
			rc = 0;
		}
	} else {
		struct buf why = BUF_INIT;
		int n = publish_problems(c, st, &why);
		const char *id = PQgetvalue(st, 0, 0);
		if (n > 0) {
			fprintf(stderr, "marqueectl: publish refused: video \"%s\" breaks the 2257 rule:\n%s",
			    slug, why.data);
		} else if (n == 0 && exec_tx(c, "UPDATE videos SET is_published = true,"
		    " published_at = LOCALTIMESTAMP(0) WHERE id = $1", 1, &id, "publish") == 0) {
			printf("video \"%s\" published\n", slug);
			rc = 0;
		}
		buf_free(&why);
	}
	PQclear(st);
out:
	PQfinish(c);
	return rc;
}

int
ctl_publish(int argc, char **argv)
{
	return set_published(argc, argv, 1);
}

int
ctl_unpublish(int argc, char **argv)
{
	return set_published(argc, argv, 0);
}

/* ------------------------------------------------------------ check-2257 */

int
ctl_check_2257(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: marqueectl check-2257\n");
		return 2;
	}
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	PGresult *r = ctl_query(c,
	    "SELECT slug, why, count(*) OVER () FROM ("
	    "  SELECT v.slug, marquee_2257_violation(v.id) AS why"
	    "    FROM videos v WHERE v.is_published AND v.deleted_at IS NULL) x"
	    " ORDER BY why IS NULL, slug COLLATE \"C\"", 0, NULL);
	if (r != NULL) {
		int bad = 0;
		for (int i = 0; i < PQntuples(r) && !PQgetisnull(r, i, 1); i++, bad++)
			printf("video \"%s\": %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
		long total = PQntuples(r) ? strtol(PQgetvalue(r, 0, 2), NULL, 10) : 0;
		if (bad) {
			printf("%d of %ld published videos break the 2257 rule: unpublish or fix them\n",
			    bad, total);
		} else {
			printf("all %ld published videos pass the 2257 check\n", total);
			rc = 0;
		}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

/* ------------------------------------------------------------ delete / restore */

enum item {
	ITEM_VIDEO,
	ITEM_PERFORMER,
	ITEM_COLLECTION,
	ITEM_PHOTO,
	ITEM__MAX
};

struct item_def {
	const char *name;
	const char *sql_delete;    /* $1 = key; returns a row when it changed */
	const char *sql_restore;
	const char *sql_state;     /* $1 = key; one row (deleted?) if it exists */
	size_t      slug_max;      /* 0: the key is a photo's UUID */
};

static const struct item_def items[ITEM__MAX] = {
	[ITEM_VIDEO] = {"video",
	    "UPDATE videos SET deleted_at = LOCALTIMESTAMP WHERE slug = $1 AND deleted_at IS NULL RETURNING id",
	    "UPDATE videos SET deleted_at = NULL WHERE slug = $1 AND deleted_at IS NOT NULL RETURNING id",
	    "SELECT deleted_at IS NOT NULL FROM videos WHERE slug = $1", VIDEO_SLUG_MAX},
	[ITEM_PERFORMER] = {"performer",
	    "UPDATE performers SET deleted_at = LOCALTIMESTAMP WHERE slug = $1 AND deleted_at IS NULL RETURNING id",
	    "UPDATE performers SET deleted_at = NULL WHERE slug = $1 AND deleted_at IS NOT NULL RETURNING id",
	    "SELECT deleted_at IS NOT NULL FROM performers WHERE slug = $1", SLUG_MAX},
	[ITEM_COLLECTION] = {"collection",
	    "UPDATE collections SET deleted_at = LOCALTIMESTAMP WHERE slug = $1 AND deleted_at IS NULL RETURNING id",
	    "UPDATE collections SET deleted_at = NULL WHERE slug = $1 AND deleted_at IS NOT NULL RETURNING id",
	    "SELECT deleted_at IS NOT NULL FROM collections WHERE slug = $1", SLUG_MAX},
	[ITEM_PHOTO] = {"photo",
	    "UPDATE photos SET deleted_at = LOCALTIMESTAMP WHERE id = $1 AND deleted_at IS NULL RETURNING id",
	    "UPDATE photos SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL RETURNING id",
	    "SELECT deleted_at IS NOT NULL FROM photos WHERE id = $1", 0},
};

static int
find_item(const char *name)
{
	for (int k = 0; k < ITEM__MAX; k++)
		if (strcmp(items[k].name, name) == 0)
			return k;
	return -1;
}

/* delete (deleting = 1) or restore (0) one item. */
static int
soft_delete(int argc, char **argv, int deleting)
{
	int k = argc == 3 ? find_item(argv[1]) : -1;
	if (k < 0) {
		fprintf(stderr, "usage: marqueectl %s video|performer|collection SLUG\n"
		    "       marqueectl %s photo ID\n", argv[0], argv[0]);
		if (!deleting)
			fprintf(stderr, "       marqueectl restore BACKUP_FILE   (see backup)\n");
		return 2;
	}
	const struct item_def *d = &items[k];
	const char *key = argv[2];
	if (d->slug_max == 0 ? !ctl_is_uuid(key) : !ctl_is_slug(key, d->slug_max)) {
		fprintf(stderr, "marqueectl: \"%s\" is not a %s %s\n", key, d->name,
		    d->slug_max ? "slug" : "id (UUID)");
		return 2;
	}
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	char err[1024];
	const char *verb = deleting ? "delete" : "restore";
	if (ctl_exec(c, "BEGIN", 0, NULL) != 0)
		goto out;
	PGresult *r = PQexecParams(c, deleting ? d->sql_delete : d->sql_restore, 1, NULL,
	    &key, NULL, NULL, 0);
	int changed = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : -1;
	if (changed < 0)
		snprintf(err, sizeof err, "%s", PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
		    ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c));
	PQclear(r);
	if (changed > 0 && ctl_exec_msg(c, "COMMIT", 0, NULL, err, sizeof err) != 0)
		changed = -1;
	if (changed < 0) {
		fprintf(stderr, "marqueectl: %s refused: %s\n", verb, err);
		goto out;
	}
	if (changed > 0) {
		printf("%s \"%s\" %s\n", d->name, key, deleting ? "deleted" : "restored");
		rc = 0;
		goto out;
	}
	ctl_rollback(c);
	PGresult *st = ctl_query(c, d->sql_state, 1, &key);
	if (st == NULL)
		goto out;
	if (PQntuples(st) == 0) {
		fprintf(stderr, "marqueectl: no %s \"%s\"\n", d->name, key);
	} else {
		printf("%s \"%s\" was already %s\n", d->name, key,
		    deleting ? "deleted" : "live (not deleted)");
		rc = 0;
	}
	PQclear(st);
out:
	ctl_rollback(c);
	PQfinish(c);
	return rc;
}

int
ctl_delete(int argc, char **argv)
{
	return soft_delete(argc, argv, 1);
}

/* `restore KIND KEY` undoes a soft delete; `restore FILE` loads a backup. */
int
ctl_restore(int argc, char **argv)
{
	if (argc == 2)
		return ctl_restore_backup(argc, argv);
	return soft_delete(argc, argv, 0);
}

/* ------------------------------------------------------------ purge */

/* $1 = days; rows soft-deleted before LOCALTIMESTAMP - $1 days.  Order
 * matters: videos go before the performers and collections they hold. */
#define CUTOFF "LOCALTIMESTAMP - make_interval(days => $1::int)"

static const char *const sql_purge[] = {
	"DELETE FROM photos WHERE deleted_at < " CUTOFF,
	"DELETE FROM videos WHERE deleted_at < " CUTOFF,
	/* A credited performer stays: removing the link would rewrite the
	 * video's records (and the 2257 gate would refuse it if published). */
	"DELETE FROM performers p WHERE deleted_at < " CUTOFF
	"   AND NOT EXISTS (SELECT 1 FROM video_performers vp WHERE vp.performer_id = p.id)",
	/* videos.collection_id is ON DELETE RESTRICT. */
	"DELETE FROM collections c WHERE deleted_at < " CUTOFF
	"   AND NOT EXISTS (SELECT 1 FROM videos v WHERE v.collection_id = c.id)",
};
static const char *const purge_names[] = {"photos", "videos", "performers", "collections"};

/* What purge had to keep, and why; run after the DELETEs. */
static const char sql_purge_kept[] =
	"SELECT 'performer', p.slug,"
	"       format('still credited on %s video(s) that stay', count(*))"
	"  FROM performers p JOIN video_performers vp ON vp.performer_id = p.id"
	" WHERE p.deleted_at < " CUTOFF " GROUP BY p.slug"
	" UNION ALL "
	"SELECT 'collection', c.slug,"
	"       format('%s video(s) still belong to it (ON DELETE RESTRICT)', count(*))"
	"  FROM collections c JOIN videos v ON v.collection_id = c.id"
	" WHERE c.deleted_at < " CUTOFF " GROUP BY c.slug"
	" ORDER BY 1, 2";

int
ctl_purge(int argc, char **argv)
{
	long long days;
	if (argc != 3 || strcmp(argv[1], "--older-than") != 0
	    || ctl_parse_long(argv[2], 0, PURGE_DAYS_MAX, &days) != 0) {
		fprintf(stderr, "usage: marqueectl purge --older-than DAYS   (0-%d)\n", PURGE_DAYS_MAX);
		return 2;
	}
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	const char *v[] = {argv[2]};
	char counts[NELEM(sql_purge)][24];
	char err[1024];
	if (ctl_exec(c, "BEGIN", 0, NULL) != 0)
		goto out;
	for (size_t i = 0; i < NELEM(sql_purge); i++) {
		PGresult *r = PQexecParams(c, sql_purge[i], 1, NULL, v, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "marqueectl: purge of %s failed: %s", purge_names[i],
			    PQresultErrorMessage(r));
			PQclear(r);
			goto out;
		}
		snprintf(counts[i], sizeof counts[i], "%s", PQcmdTuples(r));
		PQclear(r);
	}
	PGresult *kept = ctl_query(c, sql_purge_kept, 1, v);
	if (kept == NULL)
		goto out;
	if (ctl_exec_msg(c, "COMMIT", 0, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "marqueectl: purge refused: %s\n", err);
		PQclear(kept);
		goto out;
	}
	printf("purged (soft-deleted more than %lld days ago): %s photos, %s videos,"
	    " %s performers, %s collections\n", days, counts[0], counts[1], counts[2], counts[3]);
	for (int i = 0; i < PQntuples(kept); i++)
		printf("kept %s \"%s\": %s\n", PQgetvalue(kept, i, 0), PQgetvalue(kept, i, 1),
		    PQgetvalue(kept, i, 2));
	PQclear(kept);
	rc = 0;
out:
	ctl_rollback(c);
	PQfinish(c);
	return rc;
}

/* ------------------------------------------------------------ featuring */

int
ctl_feature(int argc, char **argv)
{
	int on = 1;
	if (argc == 3 && strcmp(argv[2], "--off") == 0)
		on = 0;
	else if (argc != 2) {
		fprintf(stderr, "usage: marqueectl feature VIDEO_SLUG [--off]\n");
		return 2;
	}
	const char *slug = argv[1];
	if (check_slug("video", slug, VIDEO_SLUG_MAX) != 0)
		return 2;
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	const char *v[] = {slug, on ? "t" : "f"};
	PGresult *r = ctl_query(c,
	    "UPDATE videos SET is_featured = $2 WHERE slug = $1 AND deleted_at IS NULL"
	    " RETURNING is_published", 2, v);
	if (r != NULL && PQntuples(r) == 1) {
		printf("video \"%s\" is %s%s\n", slug, on ? "featured" : "no longer featured",
		    on && !ctl_bool(r, 0, 0) ? " (it shows once published)" : "");
		rc = 0;
	} else if (r != NULL) {
		fprintf(stderr, "marqueectl: no live video \"%s\" (missing or deleted)\n", slug);
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const char sql_featured_why[] =
	"SELECT c.deleted_at IS NOT NULL, v.id IS NOT NULL, v.collection_id = c.id,"
	"       coalesce(v.is_published AND v.deleted_at IS NULL, false)"
	"  FROM collections c LEFT JOIN videos v ON v.slug = $2 WHERE c.slug = $1";

int
ctl_set_collection_featured(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: marqueectl set-collection-featured COLLECTION_SLUG VIDEO_SLUG|--none\n");
		return 2;
	}
	const char *coll = argv[1], *video = argv[2];
	int none = strcmp(video, "--none") == 0;
	if (check_slug("collection", coll, SLUG_MAX) != 0
	    || (!none && check_slug("video", video, VIDEO_SLUG_MAX) != 0))
		return 2;
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 1;
	const char *v[] = {coll, none ? NULL : video};
	PGresult *r = none
	    ? ctl_query(c, "UPDATE collections SET featured_video_id = NULL WHERE slug = $1"
	        " RETURNING id", 1, v)
	    : ctl_query(c,
	        "UPDATE collections c SET featured_video_id = v.id FROM videos v"
	        " WHERE c.slug = $1 AND v.slug = $2 AND v.collection_id = c.id"
	        "   AND v.is_published AND v.deleted_at IS NULL RETURNING c.id", 2, v);
	if (r == NULL)
		goto out;
	if (PQntuples(r) == 1) {
		if (none)
			printf("collection \"%s\" has no featured video\n", coll);
		else
			printf("collection \"%s\" features video \"%s\"\n", coll, video);
		rc = 0;
	} else if (none) {
		fprintf(stderr, "marqueectl: no collection \"%s\"\n", coll);
	} else {
		PGresult *w = ctl_query(c, sql_featured_why, 2, v);
		if (w != NULL && PQntuples(w) == 0)
			fprintf(stderr, "marqueectl: no collection \"%s\"\n", coll);
		else if (w != NULL && !ctl_bool(w, 0, 1))
			fprintf(stderr, "marqueectl: no video \"%s\"\n", video);
		else if (w != NULL && !ctl_bool(w, 0, 2))
			fprintf(stderr, "marqueectl: video \"%s\" does not belong to collection \"%s\"\n",
			    video, coll);
		else if (w != NULL)
			fprintf(stderr, "marqueectl: video \"%s\" is not published (or is deleted)\n", video);
		PQclear(w);
	}
	PQclear(r);
out:
	PQfinish(c);
	return rc;
}

/* ------------------------------------------------------------ refresh, maintain */

/* Refresh top_performers and say how many rows it holds.  0 or -1. */
static int
refresh_top(PGconn *c)
{
	int rc = -1;
	/* CONCURRENTLY: readers keep the old rows until the new ones are in
	 * (needs the unique index on top_performers(id) of migration 004). */
	if (ctl_exec(c, "REFRESH MATERIALIZED VIEW CONCURRENTLY top_performers", 0, NULL) == 0) {
		PGresult *r = ctl_query(c, "SELECT count(*) FROM top_performers", 0, NULL);
		if (r != NULL) {
			printf("top_performers refreshed: %s rows\n", PQgetvalue(r, 0, 0));
			rc = 0;
		}
		PQclear(r);
	}
	return rc;
}

/*
 * Make search's first tier the `size` most viewed live videos (migration
 * 019) and say how many videos entered or left it.  After the views fold,
 * so the tier follows the counts just folded.  0 or -1.
 */
static int
refresh_search_tier(PGconn *c, int size)
{
	char n[16];
	snprintf(n, sizeof n, "%d", size);
	const char *v[] = {n};
	PGresult *r = ctl_query(c, "SELECT marquee_refresh_search_tier($1)", 1, v);
	if (r == NULL)
		return -1;
	long changed = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	printf("search tier (%s videos): %ld changed\n", n, changed);
	PQclear(r);
	/*
	 * A change of a tenth of the tier (the first refresh, a new
	 * search_tier) is followed by what autovacuum would do too late on a
	 * big catalog, where 20,000 changed rows are below its thresholds; a
	 * minute's churn is left to it.
	 * - The planner must know how big the tier is: believing it empty
	 *   (the statistics of a fresh migration), it walks
	 *   idx_videos_search_hot and parses every title in the tier instead of
	 *   reading idx_videos_fulltext_hot (a frequent word: 1.2 ms became
	 *   350 ms).  ANALYZE also invalidates the workers' cached plans.
	 * - Every changed row went into the pending lists of the GIN indexes
	 *   of videos, which each search then scans whole (at 1,000,000 videos
	 *   suggest took 1.2 ms instead of 0.4, "did you mean" 6.8 instead of
	 *   0.8): they are merged into the indexes.
	 */
	if (changed > 0 && changed * 10 >= size
	    && (ctl_exec(c, "ANALYZE videos (search_hot)", 0, NULL) != 0
	        || ctl_exec(c, "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i"
	            " JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam"
	            " WHERE i.indrelid = 'videos'::regclass AND a.amname = 'gin'", 0, NULL) != 0))
		return -1;
	return 0;
}

int
ctl_refresh(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: marqueectl refresh\n");
		return 2;
	}
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = refresh_top(c) == 0 ? 0 : 1;
	PQfinish(c);
	return rc;
}

/*
 * The periodic job (deploy/systemd/marquee-maintain.timer; deploy/local runs
 * it every minute): fold the page views the workers appended to
 * video_view_events into videos.view_count (migration 008), rebuild
 * search's first tier from the new counts (019, `search_tier`), refresh
 * top_performers, then deliver the processor requests waiting in
 * billing_outbox (outbox.h).  Each step runs even if an earlier one failed
 * (a processor outage must not stop view counts, nor the reverse); the
 * exit status is 1 if any failed.  Safe to run concurrently with itself
 * and with the site.
 */
int
ctl_maintain(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: marqueectl maintain\n");
		return 2;
	}
	PGconn *c = ctl_db_open();
	if (c == NULL)
		return 1;
	int rc = 0;
	PGresult *r = ctl_query(c, "SELECT marquee_flush_video_views()", 0, NULL);
	if (r != NULL)
		printf("views folded: %s\n", PQgetvalue(r, 0, 0));
	else
		rc = 1;
	PQclear(r);
	if (refresh_search_tier(c, ctl_config()->search_tier) != 0)
		rc = 1;
	if (refresh_top(c) != 0)
		rc = 1;
	if (outbox_deliver(c, OUTBOX_LIMIT_DEFAULT) != 0)
		rc = 1;
	PQfinish(c);
	return rc;
}
