-- 015_performer_filmography: a performer's filmography reads 24 index
-- entries, not all of the performer's videos (issue 8).
--
-- The performer page sorts the performer's live videos by release date or
-- views and shows 24.  The sort keys live in videos, the link in
-- video_performers, so PostgreSQL had to fetch every video of the
-- performer and sort them: 356 heap fetches and a top-N sort (2.5 ms) for
-- the dataset's busiest performer, on every page view.  Here each link
-- carries a copy of its video's sort keys and liveness, kept equal by
-- triggers, and two partial indexes match the page's two sorts exactly:
-- a page is an index range scan of 24 entries plus 24 primary-key fetches,
-- the same for every performer and every page.
--
-- The copies are derived data: nothing writes them but these triggers.
-- Tools that load the shared datasets name their columns, so the three new
-- columns (at the end, with defaults) do not disturb them.

ALTER TABLE video_performers
    ADD COLUMN video_release_date DATE,
    ADD COLUMN video_view_count BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN video_live BOOLEAN NOT NULL DEFAULT false;

-- A new link, or one moved to another video, copies that video's keys.
CREATE FUNCTION marquee_video_performers_copy_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT v.release_date, v.view_count, v.is_published AND v.deleted_at IS NULL
      INTO NEW.video_release_date, NEW.video_view_count, NEW.video_live
      FROM videos v WHERE v.id = NEW.video_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER video_performers_copy_keys
    BEFORE INSERT OR UPDATE OF video_id ON video_performers
    FOR EACH ROW EXECUTE FUNCTION marquee_video_performers_copy_keys();

-- A video whose keys or liveness change updates its links, once per
-- statement (the views fold updates thousands of videos at once); rows
-- whose copied values did not change are not touched.
CREATE FUNCTION marquee_videos_copy_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE video_performers vp
       SET video_release_date = n.release_date,
           video_view_count = n.view_count,
           video_live = n.is_published AND n.deleted_at IS NULL
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE vp.video_id = n.id
       AND (o.release_date IS DISTINCT FROM n.release_date
            OR o.view_count <> n.view_count
            OR (o.is_published AND o.deleted_at IS NULL)
               IS DISTINCT FROM (n.is_published AND n.deleted_at IS NULL));
    RETURN NULL;
END
$$;
CREATE TRIGGER videos_copy_keys AFTER UPDATE ON videos
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_copy_keys();

-- The filmography's two sorts (pages: PERFORMER_SQL in src/db_stmts.c);
-- DESC keys with the default NULLS FIRST, as the statements spell them.
CREATE INDEX idx_video_performers_newest
    ON video_performers(performer_id, video_release_date DESC, video_id)
    WHERE video_live;
CREATE INDEX idx_video_performers_views
    ON video_performers(performer_id, video_view_count DESC, video_id)
    WHERE video_live;

-- Fill the copies last: CREATE INDEX refuses a table with trigger events
-- still pending in the transaction (the link-count triggers of 002 queue
-- some for this UPDATE).
UPDATE video_performers vp
   SET video_release_date = v.release_date,
       video_view_count = v.view_count,
       video_live = v.is_published AND v.deleted_at IS NULL
  FROM videos v WHERE v.id = vp.video_id;
