-- 021_trigger_plans: the statement-level counter triggers plan their
-- statements at every call, with the real size of the transition tables.
--
-- PL/pgSQL keeps the plan of a static statement for the whole session, and
-- a statement without parameters gets one generic plan at its first call.
-- The planner sizes a transition table from its row count at that call, so
-- a session whose first UPDATE of videos touched no row (the views fold with
-- nothing to fold) kept a plan made for one row: a nested loop over
-- old_rows x new_rows.  The search tier's first refresh (20,000 rows) then
-- compared 334 million row pairs in marquee_videos_copy_keys: 220 s instead
-- of 3 s in `marqueectl maintain` after loading the shared dataset.
--
-- Every statement over a transition table is now run with EXECUTE, planned
-- afresh each time (a few hundred microseconds per writing statement, not
-- per row); 020's marquee_videos_count_releases already was.  The counting
-- rules are those of 002 and 015; the INSERT, UPDATE and DELETE forms of
-- each count are one statement over signed rows, as in 020.
-- test_schema checks that no trigger function reads a transition table in a
-- static statement.

-- videos -> collections (002)
CREATE OR REPLACE FUNCTION marquee_videos_count_collections() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    src text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS s FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS s FROM old_rows'
        ELSE 'SELECT *, 1 AS s FROM new_rows UNION ALL SELECT *, -1 FROM old_rows' END;
BEGIN
    EXECUTE format($q$
        UPDATE collections c SET video_count = c.video_count + d.n
          FROM (SELECT r.collection_id, sum(r.s) AS n FROM (%s) r
                 WHERE r.is_published AND r.deleted_at IS NULL
                 GROUP BY r.collection_id HAVING sum(r.s) <> 0) d
         WHERE c.id = d.collection_id
    $q$, src);
    RETURN NULL;
END
$$;

-- videos -> performers, on UPDATE only (002)
CREATE OR REPLACE FUNCTION marquee_videos_count_performers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        EXECUTE $q$
            UPDATE performers p SET video_count = p.video_count + d.n
              FROM (SELECT vp.performer_id,
                           sum(CASE WHEN n.is_published AND n.deleted_at IS NULL
                                    THEN 1 ELSE -1 END) AS n
                      FROM old_rows o
                      JOIN new_rows n ON n.id = o.id
                      JOIN video_performers vp ON vp.video_id = n.id
                     WHERE (o.is_published AND o.deleted_at IS NULL)
                           <> (n.is_published AND n.deleted_at IS NULL)
                     GROUP BY vp.performer_id) d
             WHERE p.id = d.performer_id
        $q$;
    END IF;
    RETURN NULL;
END
$$;

-- video_performers -> performers (002): a link counts when its video is live
CREATE OR REPLACE FUNCTION marquee_video_performers_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    src text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS s FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS s FROM old_rows'
        ELSE 'SELECT *, 1 AS s FROM new_rows UNION ALL SELECT *, -1 FROM old_rows' END;
BEGIN
    EXECUTE format($q$
        UPDATE performers p SET video_count = p.video_count + d.n
          FROM (SELECT r.performer_id, sum(r.s) AS n FROM (%s) r
                  JOIN videos v ON v.id = r.video_id
                 WHERE v.is_published AND v.deleted_at IS NULL
                 GROUP BY r.performer_id HAVING sum(r.s) <> 0) d
         WHERE p.id = d.performer_id
    $q$, src);
    RETURN NULL;
END
$$;

-- videos -> the keys copied into video_performers (015)
CREATE OR REPLACE FUNCTION marquee_videos_copy_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        UPDATE video_performers vp
           SET video_release_date = n.release_date,
               video_view_count = n.view_count,
               video_live = n.is_published AND n.deleted_at IS NULL
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE vp.video_id = n.id
           AND (o.release_date IS DISTINCT FROM n.release_date
                OR o.view_count <> n.view_count
                OR (o.is_published AND o.deleted_at IS NULL)
                   IS DISTINCT FROM (n.is_published AND n.deleted_at IS NULL))
    $q$;
    RETURN NULL;
END
$$;
