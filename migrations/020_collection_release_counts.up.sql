-- 020_collection_release_counts: a collection page costs what page 1 costs, at
-- any depth and any catalog size, in the default (newest) sort (issue 8,
-- scale).
--
-- A page is OFFSET rows into idx_videos_coll_newest: the executor passes
-- every skipped entry.  Walking from the nearer end (005/011) halves the
-- worst case, but the middle page of a 1,000,000-video catalog still
-- skipped 114,000 entries (40 ms of PostgreSQL against 0.6 ms at 20,000).
-- Keyset pagination needs the key of the page's first row, which a
-- /collections/SLUG?page=N link does not carry and should not have to.
-- So each collection keeps its live videos counted by release month and by
-- release day: the page statement (src/db_stmts.c, COLLECTION_NEWEST) sums
-- the month counts newest first (about 120 rows for ten years) to find the
-- month where row (N-1)*24 falls, then that month's day counts (at most 31)
-- to find the day, seeks the index to that day's end and skips at most one
-- day's videos (about 60 at 1,000,000 videos).  The month counts, split by
-- quality, are also the totals of the quality-filtered pages (before: a
-- count over the collection's whole index range).
--
-- Derived data, exact at every commit: statement-level triggers apply the
-- net change of each INSERT, UPDATE and DELETE of videos (publish,
-- unpublish, soft delete, new release date, qualities, moving a video to
-- another collection), like the counters of 002.  Live videos always have
-- a release date (the 2257 gate of 003); one without (possible only inside
-- a transaction the gate will refuse) counts on the day 'infinity', which
-- sorts first in the newest order, as NULL does in the index.

CREATE TABLE collection_release_counts (
    collection_id UUID NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    is_day BOOLEAN NOT NULL,           -- false: a month's row, true: a day's
    start DATE NOT NULL,               -- the month's first day, or the day
    n BIGINT NOT NULL DEFAULT 0,       -- live videos released then
    n_4k BIGINT NOT NULL DEFAULT 0,    -- ... of which has_4k
    n_1080p BIGINT NOT NULL DEFAULT 0,
    n_720p BIGINT NOT NULL DEFAULT 0,
    n_480p BIGINT NOT NULL DEFAULT 0,
    -- The counts are INCLUDEd: the page reads them newest first with an
    -- index-only backward scan that stops at the row it needs (page 1 reads
    -- one month and one day).
    PRIMARY KEY (collection_id, is_day, start) INCLUDE (n, n_4k, n_1080p, n_720p, n_480p)
);

CREATE FUNCTION marquee_release_month(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(d - (extract(day FROM d)::integer - 1), 'infinity'::date);
$$;

-- The transition tables an event has (INSERT: new_rows, DELETE: old_rows,
-- UPDATE: both) are read by one dynamic statement; they are visible to
-- EXECUTE.  Months whose counts do not change (the views fold, the search
-- tier, any edit of other columns) are not written.
CREATE FUNCTION marquee_videos_count_releases() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    src text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS s FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS s FROM old_rows'
        ELSE 'SELECT *, 1 AS s FROM new_rows UNION ALL SELECT *, -1 FROM old_rows' END;
BEGIN
    EXECUTE format($q$
        INSERT INTO collection_release_counts AS m (collection_id, is_day, start, n, n_4k, n_1080p, n_720p, n_480p)
        SELECT r.collection_id, u.is_day,
               CASE WHEN u.is_day THEN COALESCE(r.release_date, 'infinity')
                    ELSE marquee_release_month(r.release_date) END,
               sum(r.s),
               COALESCE(sum(r.s) FILTER (WHERE r.has_4k), 0),
               COALESCE(sum(r.s) FILTER (WHERE r.has_1080p), 0),
               COALESCE(sum(r.s) FILTER (WHERE r.has_720p), 0),
               COALESCE(sum(r.s) FILTER (WHERE r.has_480p), 0)
          FROM (%s) r CROSS JOIN (VALUES (false), (true)) u(is_day)
         WHERE r.is_published AND r.deleted_at IS NULL
         GROUP BY 1, 2, 3
        HAVING sum(r.s) <> 0 OR sum(r.s) FILTER (WHERE r.has_4k) <> 0
            OR sum(r.s) FILTER (WHERE r.has_1080p) <> 0 OR sum(r.s) FILTER (WHERE r.has_720p) <> 0
            OR sum(r.s) FILTER (WHERE r.has_480p) <> 0
        ON CONFLICT (collection_id, is_day, start) DO UPDATE
           SET n = m.n + EXCLUDED.n, n_4k = m.n_4k + EXCLUDED.n_4k,
               n_1080p = m.n_1080p + EXCLUDED.n_1080p, n_720p = m.n_720p + EXCLUDED.n_720p,
               n_480p = m.n_480p + EXCLUDED.n_480p
    $q$, src);
    RETURN NULL;
END
$$;

CREATE TRIGGER videos_count_releases_ins AFTER INSERT ON videos
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_releases();
CREATE TRIGGER videos_count_releases_upd AFTER UPDATE ON videos
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_releases();
CREATE TRIGGER videos_count_releases_del AFTER DELETE ON videos
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_releases();

-- TRUNCATE videos empties the counts (002's marquee_truncate_counts does
-- the same for the live counters).
CREATE FUNCTION marquee_truncate_releases() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM collection_release_counts;
    RETURN NULL;
END
$$;
CREATE TRIGGER videos_truncate_releases AFTER TRUNCATE ON videos
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_truncate_releases();

-- The catalog as it is.
INSERT INTO collection_release_counts (collection_id, is_day, start, n, n_4k, n_1080p, n_720p, n_480p)
SELECT collection_id, u.is_day,
       CASE WHEN u.is_day THEN COALESCE(release_date, 'infinity')
            ELSE marquee_release_month(release_date) END, count(*),
       count(*) FILTER (WHERE has_4k), count(*) FILTER (WHERE has_1080p),
       count(*) FILTER (WHERE has_720p), count(*) FILTER (WHERE has_480p)
  FROM videos CROSS JOIN (VALUES (false), (true)) u(is_day)
 WHERE is_published AND deleted_at IS NULL
 GROUP BY 1, 2, 3;
