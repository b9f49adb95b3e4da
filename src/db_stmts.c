/*
 * db_stmts.c - every SQL statement the application runs, by enum db_stmt.
 *
 * Parameters only ($1..$n), never string-built SQL.  Mark a statement
 * DB_IDEMPOTENT only if sending it twice is harmless (reads).
 */
#include "db.h"

/* ---- pages: shared column blocks ---- */

/* The video card columns, in the order cat_card() reads them (pages/catalog_util.h). */
#define CARD(t) t ".slug, " t ".title, " t ".thumbnail_url, " t ".duration_seconds, " \
	t ".release_date, " t ".view_count, " t ".rating, " t ".has_4k, " t ".has_1080p"

/*
 * The active collections in sort_order with their featured video when it is
 * live, as DB_HOME's kind 0 rows (columns: see DB_HOME).
 */
#define COLLECTION_TILES_SQL \
	"SELECT 0 AS kind, c.ord, c.slug, c.name, c.description," \
	"  c.color_scheme->>'primary', c.color_scheme->>'accent'," \
	"  c.thumbnail_url, c.banner_image_url, c.video_count, " CARD("v") \
	" FROM (SELECT *, row_number() OVER (ORDER BY sort_order NULLS LAST, name, id) AS ord" \
	"       FROM collections WHERE deleted_at IS NULL AND is_active) c" \
	" LEFT JOIN videos v ON v.id = c.featured_video_id AND v.is_published AND v.deleted_at IS NULL"

/* Videos in each home page row. */
#define HOME_ROW "12"

/*
 * "Continue watching" for user $1, newest first: up to 12 live videos
 * started and not completed, as rows of v: the video's columns plus
 * h_watched_at and h_percent (completed_percentage).
 */
#define CONTINUE_ROWS \
	"(SELECT v.*, h.watched_at AS h_watched_at, h.completed_percentage AS h_percent" \
	" FROM user_watch_history h JOIN videos v ON v.id = h.video_id" \
	" WHERE h.user_id = $1 AND NOT h.completed AND h.watch_position_seconds > 0" \
	"   AND v.is_published AND v.deleted_at IS NULL" \
	" ORDER BY h.watched_at DESC LIMIT 12) v"

/* The home page's rows (DB_HOME), without the final ORDER BY. */
#define HOME_SQL \
	COLLECTION_TILES_SQL \
	" UNION ALL " \
	"SELECT 1, row_number() OVER (ORDER BY v.release_date DESC, v.id)," \
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " CARD("v") \
	" FROM (SELECT * FROM videos WHERE is_published AND deleted_at IS NULL" \
	"       ORDER BY release_date DESC, id LIMIT " HOME_ROW ") v" \
	" UNION ALL " \
	"SELECT 2, row_number() OVER (ORDER BY v.view_count DESC, v.id)," \
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " CARD("v") \
	" FROM (SELECT * FROM videos WHERE is_published AND deleted_at IS NULL" \
	"       ORDER BY view_count DESC, id LIMIT " HOME_ROW ") v"

/* The quality filter of the collection grid: $3 is a quality name. */
#define QUALITY(t) "(($3 = '4k' AND " t ".has_4k) OR ($3 = '1080p' AND " t ".has_1080p)" \
	" OR ($3 = '720p' AND " t ".has_720p) OR ($3 = '480p' AND " t ".has_480p))"

/*
 * Collection page: $1 slug, $2 offset, and for the _Q variants $3 the
 * quality ('4k', '1080p', '720p' or '480p').  One row per video of the page
 * (24), or one row with NULL card columns when the page is empty; no row
 * when the collection is unknown, deleted or inactive.  The header comes on
 * every row:
 * 0 slug, 1 name, 2 description, 3 primary, 4 accent, 5 thumbnail_url,
 * 6 banner_image_url, 7 total (the stored live counter, or with a quality
 * the sum of the collection's release counts by month, 020), 8.. card.
 *
 * Deferred join: the page's ids come from an index-only scan of the sort's
 * partial index (005/011: the quality flags are INCLUDE columns there), so
 * a deep page skips entries without visiting the heap; only the 24 rows
 * shown are fetched.  The CTEs are MATERIALIZED so they run once.
 *
 * Why two statements per sort: the quality filter is a different index
 * condition, and with the quality as an optional parameter the generic
 * plan would carry both.
 */
#define COLLECTION_HEAD(TOTAL) \
	"WITH c AS MATERIALIZED (" \
	"  SELECT id, slug, name, description, color_scheme->>'primary' AS pri," \
	"    color_scheme->>'accent' AS acc, thumbnail_url, banner_image_url, " TOTAL " AS total" \
	"  FROM collections WHERE slug = $1 AND deleted_at IS NULL AND is_active)"
#define COLLECTION_COLS \
	" SELECT c.slug, c.name, c.description, c.pri, c.acc, c.thumbnail_url, c.banner_image_url," \
	"  c.total, " CARD("v")
#define LIVE_IN_C(FILTER) \
	"k.collection_id = c.id AND k.is_published AND k.deleted_at IS NULL" FILTER
/* A release count's number of the videos the page lists (collection_release_counts, 020). */
#define RELEASE_N_ALL "m.n"
#define RELEASE_N_Q \
	"CASE $3 WHEN '4k' THEN m.n_4k WHEN '1080p' THEN m.n_1080p" \
	" WHEN '720p' THEN m.n_720p WHEN '480p' THEN m.n_480p END"
#define TOTAL_Q \
	"(SELECT COALESCE(sum(" RELEASE_N_Q "), 0) FROM collection_release_counts m" \
	"  WHERE m.collection_id = collections.id AND NOT m.is_day)"

/*
 * The other sorts skip OFFSET entries of their index, from whichever end is
 * nearer: pages in the second half walk the same index backwards (REV is
 * the reversed order), so the last page costs what the first does and no
 * page skips more than half the collection.  KEY is the sort key with its
 * direction, NULLS the NULLS LAST the index spells (the planner needs the
 * identical order).  Only one branch of the UNION runs (its condition on
 * $2 and the total is a one-time filter).
 */
#define COLLECTION_SQL(KEY, NULLS, REV, TOTAL, FILTER) \
	COLLECTION_HEAD(TOTAL) \
	COLLECTION_COLS \
	" FROM c LEFT JOIN LATERAL (" \
	"   SELECT v.* FROM (" \
	"    (SELECT k.id FROM videos k WHERE " LIVE_IN_C(FILTER) \
	"     AND $2::bigint * 2 <= c.total" \
	"     ORDER BY k." KEY NULLS ", k.id LIMIT 24 OFFSET $2::bigint)" \
	"    UNION ALL" \
	"    (SELECT k.id FROM videos k WHERE " LIVE_IN_C(FILTER) \
	"     AND $2::bigint * 2 > c.total" \
	"     ORDER BY k." REV ", k.id DESC" \
	"     LIMIT greatest(0, least(24, c.total - $2::bigint))" \
	"     OFFSET greatest(0, c.total - $2::bigint - 24))) ids" \
	"   JOIN videos v ON v.id = ids.id) v ON true" \
	" ORDER BY v." KEY NULLS ", v.id"
#define COLLECTION_ALL(KEY, NULLS, REV) COLLECTION_SQL(KEY, NULLS, REV, "video_count", "")

/*
 * The first page of a sort without a quality filter, the page most visits
 * land on: nothing to skip, so the deferred join above would only add a
 * second lookup per row.  The sort's partial index is read in order and
 * only the card's columns leave the lateral (never v.*: title_tsv and the
 * description would be copied through).  Column 17 is the video's id.
 *
 * No ORDER BY at the top: a LATERAL subquery that refers to the outer row
 * runs as the inner side of a nested loop, and c has at most one row, so
 * the rows come in the subquery's ORDER BY order.  Sorting them again (a
 * nested loop keeps only its outer side's order, so the planner must)
 * was 13 % of the statement: pgbench on the shared dataset, 0.111-0.117 ms
 * a page against 0.127-0.137 ms with it, and 0.122-0.135 ms for
 * tests/bench/minimal.c's statement.  SQL does not promise that order, so
 * pages/collection.c checks it on every page (sort key, then id) and asks
 * the general statement, which sorts, if it ever finds it broken.  $2 is
 * the offset, 0 for the first page: the same parameters as the general
 * statement, so pages/collection.c only picks the statement.
 */
#define COLLECTION_FIRST(KEY, NULLS) \
	COLLECTION_HEAD("video_count") \
	COLLECTION_COLS ", v.id" \
	" FROM c LEFT JOIN LATERAL (" \
	"   SELECT " CARD("k") ", k.id FROM videos k WHERE " LIVE_IN_C("") \
	"   ORDER BY k." KEY NULLS ", k.id LIMIT 24 OFFSET $2::bigint) v ON true"
#define COLLECTION_Q(KEY, NULLS, REV) COLLECTION_SQL(KEY, NULLS, REV, TOTAL_Q, " AND " QUALITY("k"))

/*
 * The default sort, newest first, skips at most one day's videos: the
 * release counts (020), summed newest first, give the month where row $2
 * falls (a backward range of their primary key, about 120 rows for ten
 * years) and how many rows come before it (mo.skip), then the day within
 * that month (at most 31 rows); the index is entered at the end of that day
 * (release_date < d.next) and skips only the rows of that day before $2
 * (d.skip).  The cost does not grow with the page number or the catalog.
 * N is a row's count of the videos listed.  Past the last page there is no
 * month, and the page is empty.  The first pages (offset below
 * NEWEST_DIRECT, 5 pages) skip with OFFSET from the top instead: fewer
 * entries than the two lookups cost, and mo and d, whose one-time filter
 * is then false, run no scan at all.
 */
#define NEWEST_DIRECT "120"
#define RELEASE_SUM(N) \
	"SELECT m.start, (" N ")::integer AS n, sum((" N ")::integer) OVER (ORDER BY m.start DESC) AS upto" \
	" FROM collection_release_counts m WHERE m.collection_id = (SELECT id FROM c)"
#define COLLECTION_NEWEST(TOTAL, FILTER, N) \
	COLLECTION_HEAD(TOTAL) "," \
	" mo AS MATERIALIZED (" \
	"  SELECT s.start, (s.start + interval '1 month')::date AS next, $2::bigint - (s.upto - s.n) AS skip" \
	"  FROM (" RELEASE_SUM(N) " AND NOT m.is_day) s" \
	"  WHERE $2::bigint >= " NEWEST_DIRECT " AND s.upto > $2::bigint ORDER BY s.start DESC LIMIT 1)," \
	" d AS MATERIALIZED (" \
	"  SELECT s.start + 1 AS next, (SELECT skip FROM mo) - (s.upto - s.n) AS skip" \
	"  FROM (" RELEASE_SUM(N) " AND m.is_day" \
	"    AND m.start >= (SELECT start FROM mo) AND m.start < (SELECT next FROM mo)) s" \
	"  WHERE $2::bigint >= " NEWEST_DIRECT " AND s.upto > (SELECT skip FROM mo)" \
	"  ORDER BY s.start DESC LIMIT 1)" \
	COLLECTION_COLS \
	" FROM c LEFT JOIN d ON true LEFT JOIN LATERAL (" \
	"   SELECT v.* FROM (" \
	"    SELECT k.id FROM videos k WHERE " LIVE_IN_C(FILTER) \
	"     AND k.release_date < CASE WHEN $2::bigint < " NEWEST_DIRECT " THEN 'infinity' ELSE d.next END" \
	"     ORDER BY k.release_date DESC, k.id LIMIT 24" \
	"     OFFSET CASE WHEN $2::bigint < " NEWEST_DIRECT " THEN $2::bigint ELSE d.skip END) ids" \
	"   JOIN videos v ON v.id = ids.id) v ON true" \
	" ORDER BY v.release_date DESC, v.id"

/*
 * Performer page, statement 2: $1 performer id, $2 offset.  Rows ordered
 * by (kind, ord): kind 'v' the filmography page (24 live videos sorted by
 * KEY), kind 'p' the photo gallery (up to 48, non-deleted, in sort order).
 * 0 kind, 1 ord, 2.. card, 11 url, 12 thumbnail_url, 13 alt_text,
 * 14 width, 15 height, 16 photo_type.
 * The filmography is a range of the sort's partial index on the links
 * (idx_video_performers_newest/_views, 015: each link carries its video's
 * sort keys and liveness), then 24 fetches by primary key: its cost does
 * not grow with the performer's number of videos.  COL is the link's copy
 * of the sort column (descending, as the index).
 */
#define PERFORMER_SQL(COL) \
	"SELECT 'v' AS kind, row_number() OVER (ORDER BY k." COL " DESC, k.video_id), " CARD("v") "," \
	"  NULL, NULL, NULL, NULL, NULL, NULL" \
	" FROM (SELECT vp.video_id, vp." COL " FROM video_performers vp" \
	"  WHERE vp.performer_id = $1 AND vp.video_live" \
	"  ORDER BY vp." COL " DESC, vp.video_id LIMIT 24 OFFSET $2) k" \
	" JOIN videos v ON v.id = k.video_id AND v.is_published AND v.deleted_at IS NULL" \
	" UNION ALL " \
	"(SELECT 'p', row_number() OVER (ORDER BY sort_order NULLS LAST, id)," \
	"  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL," \
	"  url, thumbnail_url, alt_text, width, height, photo_type" \
	" FROM photos WHERE performer_id = $1 AND deleted_at IS NULL" \
	" ORDER BY sort_order NULLS LAST, id LIMIT 48)" \
	" ORDER BY 1, 2"
/* ---- end pages: shared column blocks ---- */

/*
 * Search's two tiers (migration 019): at most LIM live videos matching
 * QUERY (a SELECT from `videos v` ending in its WHERE condition), those of
 * the first tier (search_hot: the most viewed) first, as a parenthesized
 * subquery to alias.  GIN has no ordered scan, so a lookup in
 * idx_videos_fulltext or idx_videos_title_trgm returns every match in the
 * catalog before any LIMIT applies; the tier's partial indexes
 * (idx_videos_fulltext_hot, idx_videos_title_trgm_hot) hold only the tier.
 * UNION ALL runs its branches in order and the outer LIMIT stops it, so the
 * second branch runs only when the tier has fewer than LIM matches.
 */
#define TIERED(QUERY, LIM) \
	" (SELECT * FROM ((" QUERY " AND v.search_hot AND v.is_published AND v.deleted_at IS NULL" \
	"   LIMIT " LIM ") UNION ALL (" QUERY " AND NOT v.search_hot AND v.is_published" \
	"   AND v.deleted_at IS NULL LIMIT " LIM ")) t LIMIT " LIM ")"

const struct db_stmt_def db_stmts[DB_STMT__MAX] = {
	[DB_PING] = {"ping", "SELECT 1", 0, DB_IDEMPOTENT},

	/* ---- discovery (pages/performers.c, search.c, sitemap.c) ---- */

	/*
	 * /performers: $1 letter bucket ('a'..'z', '0') or NULL, $2 limit, $3 offset.
	 * part 't': top performers (only without a letter), n = rank, from
	 * the view; until the view is first refreshed (it is empty after a
	 * fresh load) from the live counters instead (idx_performers_video_count);
	 * part 'a': one page of the letter in name order, n = the letter's total.
	 * performer_initial() is the expression of idx_performers_initial (010).
	 */
	[DB_PERFORMERS_BROWSE] = {"performers_browse",
	    "(SELECT 't' AS part, t.rank AS n, p.name, p.slug, p.profile_photo_url, t.video_count"
	    "   FROM top_performers t JOIN performers p ON p.id = t.id"
	    "  WHERE p.deleted_at IS NULL AND $1::text IS NULL"
	    "  ORDER BY t.rank LIMIT 12)"
	    " UNION ALL "
	    "(SELECT 't', row_number() OVER (ORDER BY c.video_count DESC, c.name, c.id),"
	    "   c.name, c.slug, c.profile_photo_url, c.video_count"
	    "   FROM (SELECT p.id, p.name, p.slug, p.profile_photo_url, p.video_count FROM performers p"
	    "          WHERE p.deleted_at IS NULL AND p.video_count > 0 AND $1::text IS NULL"
	    "            AND NOT EXISTS (SELECT 1 FROM top_performers)"
	    "          ORDER BY p.video_count DESC, p.name, p.id LIMIT 12) c)"
	    " UNION ALL "
	    "(SELECT 'a', count(*) OVER (), p.name, p.slug, p.profile_photo_url, p.video_count"
	    "   FROM performers p"
	    "  WHERE performer_initial(p.name) = $1 AND p.deleted_at IS NULL"
	    "  ORDER BY p.name, p.id LIMIT $2 OFFSET $3)",
	    3, DB_IDEMPOTENT},

	/*
	 * /search: $1 the visitor's text (websearch_to_tsquery accepts anything),
	 * $2 limit, $3 offset, $4 how many matches are ranked at most.
	 * Rows by kind: 'v' a page of videos, 'p' up to 12 performers (first
	 * page only), 'n' one row with the number of video matches (capped at
	 * $4), 'd' at most one "did you mean" title or name by trigram
	 * similarity, only when fewer than 3 videos matched.  Highlights come
	 * back between \x01 and \x02 for search.c to escape and mark up.
	 * The to_tsvector expressions of the WHERE clauses are exactly those of
	 * idx_videos_fulltext and idx_performers_fulltext (001): any other
	 * spelling misses the index.  Ranking: ts_rank needs each match's
	 * tsvector, which the index does not hold; it ranks the title alone (a
	 * title match is the better signal), from the stored videos.title_tsv
	 * (016) rather than parsing each title again.  Equal ranks (e.g. matches in
	 * the description only) go by popularity.  Only the first $4 matches are
	 * ranked, so a query matching most of the catalog costs the same as one
	 * matching $4 videos, taken from search's first tier first (TIERED).
	 */
	[DB_SEARCH] = {"search",
	    "WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('english', $1) AS q,"
	    "   btrim(regexp_replace($1, '[^[:alnum:]]+', ' ', 'g')) AS words),"
	    " hits AS MATERIALIZED ("
	    "  SELECT m.id, ts_rank(m.title_tsv, q.q) AS r, m.view_count FROM q, LATERAL"
	    TIERED("SELECT v.id, v.title_tsv, v.view_count FROM videos v"
	    "  WHERE to_tsvector('english', v.title || ' ' || COALESCE(v.description, '')) @@ q.q", "$4")
	    "   m),"
	    " total AS (SELECT count(*) AS n FROM hits),"
	    " page AS (SELECT id, r, view_count FROM hits ORDER BY r DESC, view_count DESC, id LIMIT $2 OFFSET $3),"
	    " perf AS ("
	    "  SELECT p.id, ts_rank(to_tsvector('english', p.name), q.q) AS r, p.video_count"
	    "    FROM performers p, q"
	    "   WHERE to_tsvector('english', p.name || ' ' || COALESCE(p.bio, '')) @@ q.q"
	    "     AND p.deleted_at IS NULL AND $3 = 0"
	    "   ORDER BY r DESC, p.video_count DESC, p.id LIMIT 12)"
	    " (SELECT 'v' AS kind, page.r, v.slug,"
	    "   ts_headline('english', v.title, q.q, 'HighlightAll=true, StartSel=\x01, StopSel=\x02') AS label,"
	    "   ts_headline('english', COALESCE(v.description, ''), q.q,"
	    "     'MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=\" … \", StartSel=\x01, StopSel=\x02') AS snippet,"
	    "   v.thumbnail_url AS image, v.duration_seconds AS n"
	    "  FROM page JOIN videos v ON v.id = page.id, q ORDER BY page.r DESC, page.view_count DESC, page.id)"
	    " UNION ALL "
	    "(SELECT 'p', perf.r, p.slug,"
	    "   ts_headline('english', p.name, q.q, 'HighlightAll=true, StartSel=\x01, StopSel=\x02'),"
	    "   ts_headline('english', COALESCE(p.bio, ''), q.q,"
	    "     'MaxFragments=1, MaxWords=25, MinWords=10, StartSel=\x01, StopSel=\x02'),"
	    "   p.profile_photo_url, p.video_count"
	    "  FROM perf JOIN performers p ON p.id = perf.id, q ORDER BY perf.r DESC, perf.video_count DESC, perf.id)"
	    " UNION ALL "
	    "SELECT 'n', NULL, NULL, NULL, NULL, NULL, (SELECT n FROM total)"
	    " UNION ALL "
	    /*
	     * Did you mean: trigram similarity with the query's words (punctuation
	     * and operators dropped).  Taken from the materialized q, the words are
	     * unknown when planning, so no query text can make the planner guess
	     * a sequential scan; slug is selected so the performers side cannot
	     * be answered by scanning all of idx_performers_initial.
	     */
	    "(SELECT 'd', NULL, d.slug, d.t, NULL, NULL, NULL FROM ("
	    "   SELECT v.title AS t, v.slug, word_similarity(q.words, v.title) AS s FROM videos v, q"
	    "    WHERE (v.title % q.words OR q.words <% v.title) AND v.is_published AND v.deleted_at IS NULL"
	    "   UNION ALL "
	    "   SELECT p.name, p.slug, word_similarity(q.words, p.name) FROM performers p, q"
	    "    WHERE (p.name % q.words OR q.words <% p.name) AND p.deleted_at IS NULL) d"
	    "  WHERE (SELECT n FROM total) < 3"
	    "  ORDER BY d.s DESC, d.t LIMIT 1)",
	    4, DB_IDEMPOTENT},

	/*
	 * /search/suggest: $1 the typed text.  Titles, names and collection
	 * names containing it (LIKE metacharacters escaped), through the
	 * trigram indexes; each kind looks at its first 50 matches only and
	 * prefers prefix matches.  5 videos + 3 performers + 2 collections.
	 * Videos come from search's first tier first (TIERED).
	 */
	[DB_SEARCH_SUGGEST] = {"search_suggest",
	    "WITH pat AS (SELECT replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') AS e)"
	    "(SELECT 'video' AS kind, m.title AS label, m.slug FROM"
	    TIERED("SELECT v.title, v.slug, v.view_count, v.id, v.title ILIKE pat.e || '%' AS pre"
	    "  FROM videos v, pat WHERE v.title ILIKE '%' || pat.e || '%'", "50")
	    "   m"
	    "  ORDER BY m.pre DESC, m.view_count DESC, m.id LIMIT 5)"
	    " UNION ALL "
	    "(SELECT 'performer', m.name, m.slug FROM ("
	    "   SELECT p.name, p.slug, p.video_count, p.id, p.name ILIKE pat.e || '%' AS pre"
	    "     FROM performers p, pat WHERE p.name ILIKE '%' || pat.e || '%'"
	    "      AND p.deleted_at IS NULL LIMIT 50) m"
	    "  ORDER BY m.pre DESC, m.video_count DESC, m.id LIMIT 3)"
	    " UNION ALL "
	    "(SELECT 'collection', c.name, c.slug FROM collections c, pat"
	    "  WHERE c.name ILIKE '%' || pat.e || '%' AND c.is_active AND c.deleted_at IS NULL"
	    "  ORDER BY c.name ILIKE pat.e || '%' DESC, c.sort_order, c.id LIMIT 2)",
	    1, DB_IDEMPOTENT},

	/*
	 * /sitemap.xml, everything but videos: kind 'n' (slug NULL, lastmod =
	 * the number of live videos, from the collections' live counters),
	 * 'c' active collections, 'p' performers (at most 40,000, so a sitemap
	 * file with one chunk of videos stays under the protocol's 50,000 URLs).
	 */
	[DB_SITEMAP_PAGES] = {"sitemap_pages",
	    "SELECT 'n' AS kind, NULL AS slug, (SELECT COALESCE(sum(video_count), 0) FROM collections)::text AS lastmod"
	    " UNION ALL "
	    "(SELECT 'c', slug, to_char(updated_at, 'YYYY-MM-DD') FROM collections"
	    "  WHERE is_active AND deleted_at IS NULL ORDER BY sort_order, id)"
	    " UNION ALL "
	    "(SELECT 'p', slug, to_char(updated_at, 'YYYY-MM-DD') FROM performers"
	    "  WHERE deleted_at IS NULL ORDER BY name, id LIMIT 40000)",
	    0, DB_IDEMPOTENT},

	/*
	 * /sitemap.xml videos: live ones newest first, $1 limit, $2 offset.  The
	 * offset walks idx_videos_live_newest alone (index-only); the LATERAL
	 * with OFFSET 0 then fetches each row by primary key, which the planner
	 * would otherwise replace by a sequential scan and a sort.
	 */
	[DB_SITEMAP_VIDEOS] = {"sitemap_videos",
	    "SELECT v.slug, v.title, v.description, v.thumbnail_url, v.duration_seconds, v.published, v.lastmod"
	    " FROM (SELECT id, release_date FROM videos WHERE is_published AND deleted_at IS NULL"
	    "       ORDER BY release_date DESC, id LIMIT $1 OFFSET $2) k"
	    " CROSS JOIN LATERAL ("
	    "  SELECT v.slug, v.title, left(COALESCE(NULLIF(v.description, ''), v.title), 2048) AS description,"
	    "   v.thumbnail_url, v.duration_seconds,"
	    "   to_char(v.published_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') AS published,"
	    "   to_char(v.updated_at, 'YYYY-MM-DD') AS lastmod"
	    "  FROM videos v WHERE v.id = k.id OFFSET 0) v"
	    " ORDER BY k.release_date DESC, k.id",
	    2, DB_IDEMPOTENT},
	/* ---- end discovery ---- */

	/* ---- pages (pages/home.c, collection.c, video.c, performer.c) ---- */

	/*
	 * Home: one statement, rows ordered by (kind, ord).
	 * kind 0: the active collections in sort_order with their featured
	 * video if live; 1: the 12 newest live videos (idx_videos_live_newest);
	 * 2: the 12 most viewed (idx_videos_live_views).
	 * Columns: 0 kind, 1 ord, 2 slug, 3 name, 4 description, 5 primary,
	 * 6 accent, 7 thumbnail_url, 8 banner_image_url, 9 video_count, 10.. card.
	 */
	[DB_HOME] = {"home", HOME_SQL " ORDER BY 1, 2", 0, DB_IDEMPOTENT},

	/*
	 * Home for a signed-in member, $1 user id: DB_HOME's rows, then kind 3,
	 * the member's "Continue watching" (CONTINUE_ROWS) with the
	 * completed_percentage as text in column 4 (description).
	 */
	[DB_HOME_MEMBER] = {"home_member",
	    HOME_SQL
	    " UNION ALL "
	    "SELECT 3, row_number() OVER (ORDER BY v.h_watched_at DESC),"
	    "  NULL, NULL, v.h_percent::text, NULL, NULL, NULL, NULL, NULL, " CARD("v")
	    " FROM " CONTINUE_ROWS
	    " ORDER BY 1, 2",
	    1, DB_IDEMPOTENT},

	/* /collections: the kind 0 rows of DB_HOME alone. */
	[DB_COLLECTIONS] = {"collections", COLLECTION_TILES_SQL " ORDER BY 1, 2", 0, DB_IDEMPOTENT},

	[DB_COLLECTION_NEWEST] = {"collection_newest",
	    COLLECTION_NEWEST("video_count", "", RELEASE_N_ALL), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_VIEWS] = {"collection_views",
	    COLLECTION_ALL("view_count DESC", "", "view_count ASC NULLS LAST"), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_RATING] = {"collection_rating",
	    COLLECTION_ALL("rating DESC", " NULLS LAST", "rating ASC NULLS FIRST"), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_DURATION] = {"collection_duration",
	    COLLECTION_ALL("duration_seconds DESC", " NULLS LAST", "duration_seconds ASC NULLS FIRST"), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_NEWEST_FIRST] = {"collection_newest_first",
	    COLLECTION_FIRST("release_date DESC", ""), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_VIEWS_FIRST] = {"collection_views_first",
	    COLLECTION_FIRST("view_count DESC", ""), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_RATING_FIRST] = {"collection_rating_first",
	    COLLECTION_FIRST("rating DESC", " NULLS LAST"), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_DURATION_FIRST] = {"collection_duration_first",
	    COLLECTION_FIRST("duration_seconds DESC", " NULLS LAST"), 2, DB_IDEMPOTENT},
	[DB_COLLECTION_NEWEST_Q] = {"collection_newest_q",
	    COLLECTION_NEWEST(TOTAL_Q, " AND " QUALITY("k"), RELEASE_N_Q), 3, DB_IDEMPOTENT},
	[DB_COLLECTION_VIEWS_Q] = {"collection_views_q",
	    COLLECTION_Q("view_count DESC", "", "view_count ASC NULLS LAST"), 3, DB_IDEMPOTENT},
	[DB_COLLECTION_RATING_Q] = {"collection_rating_q",
	    COLLECTION_Q("rating DESC", " NULLS LAST", "rating ASC NULLS FIRST"), 3, DB_IDEMPOTENT},
	[DB_COLLECTION_DURATION_Q] = {"collection_duration_q",
	    COLLECTION_Q("duration_seconds DESC", " NULLS LAST", "duration_seconds ASC NULLS FIRST"), 3, DB_IDEMPOTENT},

	/* /collections.css: every collection's colours (a handful of rows). */
	[DB_COLLECTION_THEMES] = {"collection_themes",
	    "SELECT slug, color_scheme->>'primary', color_scheme->>'accent'"
	    " FROM collections WHERE deleted_at IS NULL ORDER BY slug",
	    0, DB_IDEMPOTENT},

	/*
	 * Video page, statement 1: $1 slug, $2 the signed-in member's user id
	 * (NULL for anonymous visitors).  One row if the video is live.
	 * 0 id, 1 slug, 2 title, 3 description, 4 release_date, 5 duration,
	 * 6 has_480p, 7 has_720p, 8 has_1080p, 9 has_4k, 10 thumbnail_url,
	 * 11 view_count, 12 rating, 13 published_at (ISO 8601 UTC),
	 * 14 collection id, 15 collection slug, 16 collection name (NULL when
	 * the collection is hidden), 17..19 the non-deleted performers' slugs,
	 * names and profile photos as text[] in billing order (NULL if none),
	 * 20..22 the player's columns: hls_manifest_url, and from the member's
	 * watch history watch_position_seconds and completed (NULL without a
	 * row).  Never legal names or dates of birth.
	 */
	[DB_VIDEO] = {"video",
	    "SELECT v.id, v.slug, v.title, v.description, v.release_date, v.duration_seconds,"
	    "  v.has_480p, v.has_720p, v.has_1080p, v.has_4k, v.thumbnail_url, v.view_count, v.rating,"
	    "  to_char(v.published_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    "  c.id, c.slug, c.name, pf.slugs, pf.names, pf.photos,"
	    "  v.hls_manifest_url, h.watch_position_seconds, h.completed"
	    " FROM videos v"
	    " LEFT JOIN collections c ON c.id = v.collection_id AND c.deleted_at IS NULL AND c.is_active"
	    " LEFT JOIN LATERAL ("
	    "   SELECT array_agg(p.slug ORDER BY vp.billing_order NULLS LAST, p.name) AS slugs,"
	    "          array_agg(p.name ORDER BY vp.billing_order NULLS LAST, p.name) AS names,"
	    "          array_agg(p.profile_photo_url ORDER BY vp.billing_order NULLS LAST, p.name) AS photos"
	    "   FROM video_performers vp JOIN performers p ON p.id = vp.performer_id"
	    "   WHERE vp.video_id = v.id AND p.deleted_at IS NULL) pf ON true"
	    " LEFT JOIN user_watch_history h ON h.video_id = v.id AND h.user_id = $2"
	    " WHERE v.slug = $1 AND v.is_published AND v.deleted_at IS NULL",
	    2, DB_IDEMPOTENT},

	/*
	 * Video page, statement 2: $1 video id, $2 collection id (may be NULL),
	 * $3 a batch of views to record (uuid[], usually '{}': pages/view.h).
	 * Rows ordered by (kind, ord).  kind 'p': the video's photos (stills and
	 * behind the scenes) in sort order; kind 'r': up to 8 related live
	 * videos, those sharing a non-deleted performer first (most viewed
	 * first), then the most viewed of the same collection.
	 * 0 kind, 1 ord, 2.. card, 11 url, 12 thumbnail_url, 13 alt_text,
	 * 14 width, 15 height, 16 photo_type.
	 * The performers' side reads each performer's 8 most viewed live videos
	 * from idx_video_performers_views (015: the links carry their video's
	 * view_count and liveness) instead of every video of every performer:
	 * the 8 most viewed of the union are among those, and a prolific
	 * performer costs what any other does.
	 * Not idempotent: it may insert the view batch.  The batch is joined
	 * to videos so a video purged since its views were buffered (up to
	 * VIEW_FLUSH_MS ago) drops its views instead of failing the page.
	 */
	[DB_VIDEO_EXTRAS] = {"video_extras",
	    "WITH counted AS ("
	    "  INSERT INTO video_view_events (video_id)"
	    "  SELECT v.id FROM unnest($3::uuid[]) AS b(id) JOIN videos v ON v.id = b.id"
	    "), by_perf AS ("
	    "  SELECT o.video_id AS id, 0 AS grp, max(o.video_view_count) AS view_count"
	    "  FROM video_performers me"
	    "  JOIN performers p ON p.id = me.performer_id AND p.deleted_at IS NULL"
	    "  CROSS JOIN LATERAL ("
	    "    SELECT vp.video_id, vp.video_view_count FROM video_performers vp"
	    "    WHERE vp.performer_id = me.performer_id AND vp.video_live AND vp.video_id <> $1"
	    "    ORDER BY vp.video_view_count DESC, vp.video_id LIMIT 8) o"
	    "  WHERE me.video_id = $1"
	    "  GROUP BY o.video_id ORDER BY 3 DESC, 1 LIMIT 8"
	    "), by_coll AS ("
	    "  SELECT id, 1 AS grp, view_count FROM videos"
	    "  WHERE collection_id = $2 AND is_published AND deleted_at IS NULL AND id <> $1"
	    "  ORDER BY view_count DESC, id LIMIT 8"
	    "), rel AS ("
	    "  SELECT DISTINCT ON (id) id, grp, view_count FROM"
	    "    (SELECT * FROM by_perf UNION ALL SELECT * FROM by_coll) x ORDER BY id, grp"
	    ")"
	    " SELECT 'r' AS kind, row_number() OVER (ORDER BY r.grp, r.view_count DESC, r.id), " CARD("v") ","
	    "  NULL, NULL, NULL, NULL, NULL, NULL"
	    " FROM (SELECT * FROM rel ORDER BY grp, view_count DESC, id LIMIT 8) r JOIN videos v ON v.id = r.id"
	    " UNION ALL "
	    "(SELECT 'p', row_number() OVER (ORDER BY sort_order NULLS LAST, id),"
	    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
	    "  url, thumbnail_url, alt_text, width, height, photo_type"
	    " FROM photos WHERE video_id = $1 AND deleted_at IS NULL"
	    " ORDER BY sort_order NULLS LAST, id LIMIT 48)"
	    " ORDER BY 1, 2",
	    3, 0},

	/*
	 * Performer page, statement 1: $1 slug.  One row if not deleted.
	 * 0 id, 1 slug, 2 name, 3 bio, 4 profile_photo_url, 5 cover_photo_url,
	 * 6 video_count (live videos), 7..9 social links' platforms, handles
	 * and urls as text[] in display order.  Never legal_name nor
	 * date_of_birth.
	 */
	[DB_PERFORMER] = {"performer",
	    "SELECT p.id, p.slug, p.name, p.bio, p.profile_photo_url, p.cover_photo_url, p.video_count,"
	    "  s.platforms, s.handles, s.urls"
	    " FROM performers p LEFT JOIN LATERAL ("
	    "   SELECT array_agg(platform ORDER BY sort_order NULLS LAST, platform) AS platforms,"
	    "          array_agg(handle ORDER BY sort_order NULLS LAST, platform) AS handles,"
	    "          array_agg(url ORDER BY sort_order NULLS LAST, platform) AS urls"
	    "   FROM social_media_links WHERE performer_id = p.id) s ON true"
	    " WHERE p.slug = $1 AND p.deleted_at IS NULL",
	    1, DB_IDEMPOTENT},

	[DB_PERFORMER_NEWEST] = {"performer_newest",
	    PERFORMER_SQL("video_release_date"), 2, DB_IDEMPOTENT},
	[DB_PERFORMER_VIEWS] = {"performer_views",
	    PERFORMER_SQL("video_view_count"), 2, DB_IDEMPOTENT},
	/* ---- end pages ---- */

	/* ---- playback ---- */
	/* (The video page's player data comes with DB_VIDEO.) */
	/*
	 * POST /api/progress: $1 user id, $2 slug (or NULL), $3 video id (or
	 * NULL), $4 position (s), $5 completed_percentage, $6 completed.
	 * Upserts the member's row for a live video unless the member paused
	 * their history.  One row: 0 live videos found (0/1), 1 rows written
	 * (0/1).  Sending it twice leaves the same row (only watched_at moves).
	 */
	[DB_PROGRESS] = {"progress",
	    "WITH v AS (SELECT id FROM videos"
	    "  WHERE (slug = $2 OR id = $3::uuid) AND is_published AND deleted_at IS NULL LIMIT 1),"
	    " w AS (INSERT INTO user_watch_history"
	    "   (user_id, video_id, watched_at, watch_position_seconds, completed_percentage, completed)"
	    "  SELECT u.id, v.id, now(), $4, $5, $6 FROM v JOIN users u ON u.id = $1"
	    "  WHERE NOT u.history_paused AND u.deleted_at IS NULL"
	    "  ON CONFLICT (user_id, video_id) DO UPDATE SET watched_at = EXCLUDED.watched_at,"
	    "   watch_position_seconds = EXCLUDED.watch_position_seconds,"
	    "   completed_percentage = EXCLUDED.completed_percentage, completed = EXCLUDED.completed"
	    "  RETURNING 1)"
	    " SELECT (SELECT count(*) FROM v), (SELECT count(*) FROM w)",
	    6, 0},

	/*
	 * Continue watching: $1 user id.  The member's 12 most recently watched
	 * live videos that are started and not completed, newest first, walking
	 * idx_watch_history_user (user_id, watched_at DESC).
	 * 0.. card, 9 completed_percentage.
	 */
	[DB_CONTINUE] = {"continue",
	    "SELECT " CARD("v") ", v.h_percent FROM " CONTINUE_ROWS " ORDER BY v.h_watched_at DESC",
	    1, DB_IDEMPOTENT},

	/*
	 * The history page: $1 user id, $2 offset.  24 live videos the member
	 * watched, newest first.  0.. card, 9 video id, 10 watched_at (ISO
	 * 8601 UTC), 11 completed_percentage, 12 completed, 13 total rows.
	 */
	[DB_HISTORY_PAGE] = {"history_page",
	    "SELECT " CARD("v") ", v.id, to_char(h.watched_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    "  h.completed_percentage, h.completed, count(*) OVER ()"
	    " FROM user_watch_history h JOIN videos v ON v.id = h.video_id"
	    " WHERE h.user_id = $1 AND v.is_published AND v.deleted_at IS NULL"
	    " ORDER BY h.watched_at DESC, h.id LIMIT 24 OFFSET $2",
	    2, DB_IDEMPOTENT},

	/* Remove one entry: $1 user id, $2 video id. */
	[DB_HISTORY_REMOVE] = {"history_remove",
	    "DELETE FROM user_watch_history WHERE user_id = $1 AND video_id = $2",
	    2, 0},

	/* Remove every entry of $1 user id. */
	[DB_HISTORY_CLEAR] = {"history_clear",
	    "DELETE FROM user_watch_history WHERE user_id = $1",
	    1, 0},
	/* ---- end playback ---- */

	/* ---- accounts (session.c, throttle.c, juris.c, pages/account.c, pages/agegate.c) ---- */

	/*
	 * A session by token hash ($1 bytea), alive: not past expires_at, seen
	 * within $2 seconds (idle limit), its user active.  0 session id,
	 * 1 user id, 2 username, 3 email, 4 age_verified, 5 entitled,
	 * 6 preferred_quality, 7 autoplay_videos, 8 history_paused,
	 * 9 csrf_secret, 10 last_seen_at older than $3 seconds (touch it).
	 */
	[DB_SESS_LOAD] = {"sess_load",
	    "SELECT s.id, u.id, coalesce(u.username, ''), u.email, u.age_verified,"
	    "  marquee_entitled(u.id),"
	    "  u.preferred_quality, u.autoplay_videos, u.history_paused, s.csrf_secret,"
	    "  s.last_seen_at < now() - make_interval(secs => $3::int)"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE s.token_hash = $1::bytea AND s.expires_at > now()"
	    "   AND s.last_seen_at > now() - make_interval(secs => $2::int)"
	    "   AND u.deleted_at IS NULL AND u.is_active",
	    3, DB_IDEMPOTENT},
	[DB_SESS_TOUCH] = {"sess_touch",
	    "UPDATE sessions SET last_seen_at = now() WHERE id = $1",
	    1, 0},
	/*
	 * Login: a new session for $1 (token hash $2, CSRF secret $3, absolute
	 * lifetime $4 s, ip $5, user agent $6); the user's dead sessions are
	 * purged on the way and the login recorded.
	 */
	[DB_SESS_CREATE] = {"sess_create",
	    "WITH purge AS (DELETE FROM sessions WHERE user_id = $1 AND expires_at <= now()),"
	    " s AS (INSERT INTO sessions (user_id, token_hash, csrf_secret, expires_at, ip, user_agent)"
	    "       VALUES ($1, $2::bytea, $3::bytea, now() + make_interval(secs => $4::int), $5, $6)"
	    "       RETURNING id)"
	    " UPDATE users SET last_login_at = now(), last_login_ip = $5 WHERE id = $1"
	    " RETURNING (SELECT id FROM s)",
	    6, 0},
	[DB_SESS_DELETE] = {"sess_delete",
	    "DELETE FROM sessions WHERE token_hash = $1::bytea",
	    1, 0},
	[DB_SESS_DELETE_USER] = {"sess_delete_user",
	    "DELETE FROM sessions WHERE user_id = $1",
	    1, 0},

	/* Login by e-mail ($1, any case): 0 id, 1 password_hash.  No row: unknown or deleted. */
	[DB_USER_LOGIN] = {"user_login",
	    "SELECT id, password_hash FROM users"
	    " WHERE lower(email) = lower($1) AND deleted_at IS NULL AND is_active",
	    1, DB_IDEMPOTENT},
	/*
	 * Sign up: $1 email, $2 username, $3 password hash.  One row (id), or
	 * none when the e-mail or the username is taken (any case).
	 */
	[DB_USER_CREATE] = {"user_create",
	    "INSERT INTO users (email, username, password_hash) VALUES ($1, $2, $3)"
	    " ON CONFLICT DO NOTHING RETURNING id",
	    3, 0},
	[DB_USER_USERNAME_TAKEN] = {"user_username_taken",
	    "SELECT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1))",
	    1, DB_IDEMPOTENT},
	[DB_USER_PASSWORD] = {"user_password",
	    "SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL",
	    1, DB_IDEMPOTENT},
	[DB_USER_SET_PASSWORD] = {"user_set_password",
	    "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
	    2, 0},
	/* $2 preferred_quality, $3 autoplay_videos, $4 history_paused. */
	[DB_USER_PREFS] = {"user_prefs",
	    "UPDATE users SET preferred_quality = $2, autoplay_videos = $3::boolean,"
	    "  history_paused = $4::boolean, updated_at = now() WHERE id = $1",
	    4, 0},
	/*
	 * Delete account $1, in one statement (atomic): cancel its running
	 * subscriptions (kept, without payment details, for the accounts) and
	 * queue a cancel request to the processor for each it knows
	 * (billing_outbox, which keeps the processor's id: the request outlives
	 * the account; "prev" reads each row's status before this update),
	 * delete history and sessions, and strip the user row of everything
	 * personal.  The row stays as a tombstone (subscriptions and billing
	 * events point at it); the e-mail and username become free again.
	 */
	[DB_USER_DELETE] = {"user_delete",
	    "WITH subs AS (UPDATE subscriptions s SET"
	    "    status = CASE WHEN prev.live THEN 'canceled' ELSE s.status END,"
	    "    canceled_at = CASE WHEN prev.live THEN now() ELSE s.canceled_at END,"
	    "    canceled_reason = CASE WHEN prev.live THEN 'account deleted' ELSE s.canceled_reason END,"
	    "    next_billing_at = NULL, payment_method_token = NULL, last_4_digits = NULL,"
	    "    updated_at = now()"
	    "  FROM (SELECT id, status IN ('active', 'past_due') AS live FROM subscriptions"
	    "        WHERE user_id = $1 FOR UPDATE) prev"
	    "  WHERE s.id = prev.id RETURNING s.id, s.processor_subscription_id, prev.live),"
	    " outbox AS (INSERT INTO billing_outbox (kind, subscription_id, processor_subscription_id, reason)"
	    "  SELECT 'cancel', id, processor_subscription_id, 'account deleted' FROM subs"
	    "  WHERE live AND processor_subscription_id IS NOT NULL),"
	    " hist AS (DELETE FROM user_watch_history WHERE user_id = $1 RETURNING id),"
	    " sess AS (DELETE FROM sessions WHERE user_id = $1 RETURNING id)"
	    " UPDATE users SET email = 'deleted-' || id || '@deleted.invalid', username = NULL,"
	    "  password_hash = '!', first_name = NULL, last_name = NULL,"
	    "  age_verified = false, age_verified_at = NULL, age_verification_method = NULL,"
	    "  country_code = NULL, state_province = NULL, last_login_at = NULL, last_login_ip = NULL,"
	    "  email_verified_at = NULL, is_verified = false, is_active = false, history_paused = false,"
	    "  deleted_at = now(), updated_at = now()"
	    " WHERE id = $1 AND deleted_at IS NULL"
	    " RETURNING (SELECT count(*) FROM subs), (SELECT count(*) FROM hist), (SELECT count(*) FROM sess)",
	    1, 0},

	/*
	 * Throttling ($1 account key or NULL, $2 address key, $3 window s,
	 * $4 account limit, $5 address limit): seconds until the first key over
	 * its limit leaves its window, 0 when both are under.
	 */
	[DB_THROTTLE_CHECK] = {"throttle_check",
	    "SELECT coalesce(max(ceil(extract(epoch FROM"
	    "  window_start + make_interval(secs => $3::int) - now()))), 0)::int"
	    " FROM login_attempts"
	    " WHERE window_start > now() - make_interval(secs => $3::int)"
	    "   AND ((key = $1 AND count >= $4::int) OR (key = $2 AND count >= $5::int))",
	    5, DB_IDEMPOTENT},
	/* One more failure for keys $1 (may be NULL) and $2; a window older than $3 s starts over. */
	[DB_THROTTLE_FAIL] = {"throttle_fail",
	    "INSERT INTO login_attempts AS a (key, count, window_start)"
	    " SELECT k, 1, now() FROM unnest(ARRAY[$1, $2]::text[]) k WHERE k IS NOT NULL"
	    " ON CONFLICT (key) DO UPDATE SET"
	    "  count = CASE WHEN a.window_start <= now() - make_interval(secs => $3::int)"
	    "          THEN 1 ELSE a.count + 1 END,"
	    "  window_start = CASE WHEN a.window_start <= now() - make_interval(secs => $3::int)"
	    "          THEN now() ELSE a.window_start END",
	    3, 0},
	[DB_THROTTLE_CLEAR] = {"throttle_clear",
	    "DELETE FROM login_attempts WHERE key = $1",
	    1, 0},

	/* Every jurisdiction rule (a small table, cached per worker: juris.c). */
	[DB_JURIS_RULES] = {"juris_rules",
	    "SELECT country_code, region, rule FROM jurisdiction_rules",
	    0, DB_IDEMPOTENT},

	/*
	 * An age-verification callback: $1 vendor event id, $2 user id (uuid
	 * text, or NULL), $3 result, $4 method.  Stored once per event id; an
	 * approval marks the live account verified.  One row: 0 1 if the event
	 * is new (0: a replay, nothing changed), 1 1 if an account was marked.
	 */
	[DB_AGE_EVENT] = {"age_event",
	    "WITH e AS (INSERT INTO age_verification_events (vendor_event_id, user_id, result, method)"
	    "   SELECT $1, u.id, $3, $4 FROM (SELECT 1) one"
	    "   LEFT JOIN users u ON u.id = $2::uuid AND u.deleted_at IS NULL"
	    "   ON CONFLICT (vendor_event_id) DO NOTHING RETURNING user_id, result, method),"
	    " v AS (UPDATE users SET age_verified = true, age_verified_at = now(),"
	    "   age_verification_method = e.method, updated_at = now()"
	    "   FROM e WHERE users.id = e.user_id AND e.result = 'approved' RETURNING users.id)"
	    " SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM v)",
	    4, 0},
	/* ---- end accounts ---- */

	/* ---- billing (pages/billing_webhook.c, pages/join.c) ---- */
	/*
	 * subscriptions' times are TIMESTAMP holding UTC (migration 013): unix
	 * seconds go in as to_timestamp($n) AT TIME ZONE 'UTC' and come out as
	 * extract(epoch ...), both independent of the session's TimeZone.
	 */

	/*
	 * A verified processor event: $1 event id, $2 type, $3 member (uuid
	 * text), $4 occurred_at (unix s), $5 payload (the verified body).  One
	 * row (id, member exists) if new; no row for a replay.  A member who no
	 * longer exists gives user_id NULL.
	 */
	[DB_BILLING_EVENT_INSERT] = {"billing_event_insert",
	    "INSERT INTO billing_events (processor_event_id, type, user_id, occurred_at, payload)"
	    " SELECT $1, $2, u.id, to_timestamp($4::bigint), $5::jsonb FROM (SELECT 1) one"
	    " LEFT JOIN users u ON u.id = $3::uuid AND u.deleted_at IS NULL"
	    " ON CONFLICT (processor_event_id) DO NOTHING RETURNING id, user_id IS NOT NULL",
	    5, 0},
	/* The subscription an event is about, locked for the rest of the transaction. */
	[DB_BILLING_SUB_LOCK] = {"billing_sub_lock",
	    "SELECT id, status, extract(epoch FROM current_period_start)::bigint,"
	    " extract(epoch FROM current_period_end)::bigint,"
	    " COALESCE(extract(epoch FROM canceled_at)::bigint, 0),"
	    " COALESCE(extract(epoch FROM last_event_at)::bigint, 0)"
	    " FROM subscriptions WHERE processor_subscription_id = $1 FOR UPDATE",
	    1, 0},
	/*
	 * $1 user, $2 plan, $3 amount, $4 currency, $5 cycle, $6 status,
	 * $7 period start, $8 period end, $9 canceled_at (0: none), $10 token,
	 * $11 last 4, $12 processor subscription id, $13 last_event_at.
	 */
	[DB_BILLING_SUB_INSERT] = {"billing_sub_insert",
	    "INSERT INTO subscriptions (user_id, plan_name, billing_amount, billing_currency,"
	    " billing_cycle, status, started_at, current_period_start, current_period_end, canceled_at,"
	    " next_billing_at, payment_method_token, last_4_digits, processor_subscription_id,"
	    " last_event_at)"
	    " VALUES ($1::uuid, $2, $3::numeric, $4, $5, $6::text,"
	    " to_timestamp($7::bigint) AT TIME ZONE 'UTC', to_timestamp($7::bigint) AT TIME ZONE 'UTC',"
	    " to_timestamp($8::bigint) AT TIME ZONE 'UTC',"
	    " CASE WHEN $9::bigint > 0 THEN to_timestamp($9::bigint) AT TIME ZONE 'UTC' END,"
	    " CASE WHEN $6::text = 'active' THEN to_timestamp($8::bigint) AT TIME ZONE 'UTC' END,"
	    " $10, $11, $12, to_timestamp($13::bigint)) RETURNING id",
	    13, 0},
	/*
	 * $1 id, $2 status, $3 period start, $4 period end, $5 canceled_at
	 * (0: none), $6 last_event_at, $7 token, $8 last 4 (NULL: unchanged).
	 */
	[DB_BILLING_SUB_UPDATE] = {"billing_sub_update",
	    "UPDATE subscriptions SET status = $2::text,"
	    " current_period_start = to_timestamp($3::bigint) AT TIME ZONE 'UTC',"
	    " current_period_end = to_timestamp($4::bigint) AT TIME ZONE 'UTC',"
	    " canceled_at = CASE WHEN $5::bigint > 0 THEN to_timestamp($5::bigint) AT TIME ZONE 'UTC' END,"
	    " next_billing_at = CASE WHEN $2::text = 'active'"
	    "   THEN to_timestamp($4::bigint) AT TIME ZONE 'UTC' END,"
	    " payment_method_token = COALESCE($7, payment_method_token),"
	    " last_4_digits = COALESCE($8, last_4_digits),"
	    " last_event_at = to_timestamp($6::bigint), updated_at = now() AT TIME ZONE 'UTC'"
	    " WHERE id = $1::uuid",
	    8, 0},
	/* $1 event row id, $2 subscription id (or NULL), $3 outcome. */
	[DB_BILLING_EVENT_DONE] = {"billing_event_done",
	    "UPDATE billing_events SET subscription_id = $2::uuid, processed_at = now(), outcome = $3"
	    " WHERE id = $1::uuid",
	    3, 0},
	/* The member's newest subscription, for the account page; dates as YYYY-MM-DD (UTC). */
	[DB_BILLING_ACCOUNT] = {"billing_account",
	    "SELECT plan_name, status, billing_amount::text, billing_currency,"
	    " to_char(current_period_start, 'YYYY-MM-DD'), to_char(current_period_end, 'YYYY-MM-DD'),"
	    " to_char(next_billing_at, 'YYYY-MM-DD'), to_char(canceled_at, 'YYYY-MM-DD'), last_4_digits,"
	    " status IN ('active', 'canceled') AND current_period_end > (now() AT TIME ZONE 'UTC')"
	    " FROM subscriptions WHERE user_id = $1::uuid ORDER BY started_at DESC LIMIT 1",
	    1, DB_IDEMPOTENT},
	/*
	 * The member cancels: access stays until current_period_end (the
	 * processor's cancellation webhook confirms later).  In the same
	 * statement, so that both commit or neither does, each subscription
	 * the processor knows gets a cancel request in billing_outbox
	 * (migration 017), which marqueectl billing-send delivers.  Rows: the
	 * subscriptions canceled (none if there was nothing to cancel).
	 * Whole seconds, as the state machine reads and writes them back.
	 */
	[DB_BILLING_CANCEL] = {"billing_cancel",
	    "WITH c AS (UPDATE subscriptions SET status = 'canceled',"
	    "  canceled_at = date_trunc('second', now() AT TIME ZONE 'UTC'),"
	    "  canceled_reason = 'member', next_billing_at = NULL, updated_at = now() AT TIME ZONE 'UTC'"
	    "  WHERE user_id = $1::uuid AND status IN ('active', 'past_due')"
	    "  RETURNING id, processor_subscription_id),"
	    " outbox AS (INSERT INTO billing_outbox (kind, subscription_id, processor_subscription_id, reason)"
	    "  SELECT 'cancel', id, processor_subscription_id, 'member' FROM c"
	    "  WHERE processor_subscription_id IS NOT NULL)"
	    " SELECT processor_subscription_id FROM c",
	    1, 0},
	/* ---- end billing ---- */
};
