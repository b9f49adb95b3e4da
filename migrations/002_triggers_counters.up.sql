-- 002_triggers_counters: updated_at maintenance and the denormalised
-- counters, kept right by triggers under any INSERT, UPDATE, DELETE and
-- TRUNCATE, including soft delete (deleted_at), publish/unpublish and moving
-- a video to another collection.
--
-- The counting rule (the same everywhere, also in dataset.sql and the
-- top_performers view): a video is *live* when is_published AND deleted_at
-- IS NULL.
--   collections.video_count = live videos of the collection
--   performers.video_count  = live videos linked through video_performers
-- (whatever the performer's own deleted_at: soft-deleting a performer changes
-- no count).  videos.performer_count is checked by the 2257 gate (003).
--
-- Counter triggers are AFTER ... FOR EACH STATEMENT with transition tables:
-- each statement applies one net +n/-n per affected counter row instead of
-- recounting, and a bulk load (dataset.sql: 20,000 videos) costs a handful
-- of UPDATEs instead of one per row on the same seven collection rows.

-- ------------------------------------------------------------ updated_at
-- Sets updated_at to the transaction time on every UPDATE that changes the
-- row's content, except:
--   * when the statement itself assigns updated_at a new value (imports and
--     restores keep the timestamps they carry);
--   * when only the columns named as trigger arguments change: derived
--     statistics (counters, view counts, ratings) are not edits, and
--     updated_at feeds the sitemap's lastmod.
CREATE FUNCTION marquee_set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ignored text[] := coalesce(TG_ARGV, '{}');  -- TG_ARGV is NULL, not empty, without arguments
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
       AND (to_jsonb(NEW) - ignored) IS DISTINCT FROM (to_jsonb(OLD) - ignored) THEN
        NEW.updated_at := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER collections_updated_at BEFORE UPDATE ON collections
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at('video_count');
CREATE TRIGGER videos_updated_at BEFORE UPDATE ON videos
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at('view_count', 'like_count', 'rating');
CREATE TRIGGER performers_updated_at BEFORE UPDATE ON performers
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at('video_count');
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at('last_login_at', 'last_login_ip');
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at();
CREATE TRIGGER social_media_links_updated_at BEFORE UPDATE ON social_media_links
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at();

-- ------------------------------------------------ videos -> collections
-- Net change per collection: +1 for each live new row, -1 for each live old
-- row.  Summing both sides (rather than pairing old and new rows) also
-- covers a video moved between collections and an UPDATE of the id.
CREATE FUNCTION marquee_videos_count_collections() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE collections c SET video_count = c.video_count + d.n
        FROM (SELECT collection_id, count(*) AS n FROM new_rows
              WHERE is_published AND deleted_at IS NULL GROUP BY collection_id) d
        WHERE c.id = d.collection_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE collections c SET video_count = c.video_count - d.n
        FROM (SELECT collection_id, count(*) AS n FROM old_rows
              WHERE is_published AND deleted_at IS NULL GROUP BY collection_id) d
        WHERE c.id = d.collection_id;
    ELSE
        UPDATE collections c SET video_count = c.video_count + d.n
        FROM (SELECT collection_id, sum(n) AS n FROM (
                  SELECT collection_id, 1 AS n FROM new_rows
                  WHERE is_published AND deleted_at IS NULL
                  UNION ALL
                  SELECT collection_id, -1 FROM old_rows
                  WHERE is_published AND deleted_at IS NULL) x
              GROUP BY collection_id HAVING sum(n) <> 0) d
        WHERE c.id = d.collection_id;
    END IF;
    RETURN NULL;
END
$$;

-- ------------------------------------------------- videos -> performers
-- A video that becomes live adds 1 to each of its performers, one that stops
-- being live subtracts 1.  Old and new rows are paired by id: an UPDATE
-- that changes the id of a video with performers fails its foreign keys
-- anyway, so unpaired rows never have links.  A new video has no links yet
-- (they reference it), so INSERT needs nothing.
CREATE FUNCTION marquee_videos_count_performers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE performers p SET video_count = p.video_count + d.n
        FROM (SELECT vp.performer_id, sum(CASE WHEN n.is_published AND n.deleted_at IS NULL
                                               THEN 1 ELSE -1 END) AS n
              FROM old_rows o
              JOIN new_rows n ON n.id = o.id
              JOIN video_performers vp ON vp.video_id = n.id
              WHERE (o.is_published AND o.deleted_at IS NULL)
                    <> (n.is_published AND n.deleted_at IS NULL)
              GROUP BY vp.performer_id) d
        WHERE p.id = d.performer_id;
    END IF;
    RETURN NULL;
END
$$;

-- Hard DELETE of a video: its links are removed by ON DELETE CASCADE after
-- the row is gone, when the link trigger below can no longer see whether the
-- video was live; so the performers are decremented here, before the row
-- (and its links) disappear.
CREATE FUNCTION marquee_videos_delete_performers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.is_published AND OLD.deleted_at IS NULL THEN
        UPDATE performers p SET video_count = p.video_count - 1
        FROM video_performers vp
        WHERE vp.video_id = OLD.id AND p.id = vp.performer_id;
    END IF;
    RETURN OLD;
END
$$;

-- ------------------------------------------ video_performers -> performers
-- A link counts when its video is live.  Links removed by the cascade of a
-- video DELETE find no video row here and count nothing (handled above).
CREATE FUNCTION marquee_video_performers_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE performers p SET video_count = p.video_count + d.n
        FROM (SELECT r.performer_id, count(*) AS n FROM new_rows r
              JOIN videos v ON v.id = r.video_id
              WHERE v.is_published AND v.deleted_at IS NULL
              GROUP BY r.performer_id) d
        WHERE p.id = d.performer_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE performers p SET video_count = p.video_count - d.n
        FROM (SELECT r.performer_id, count(*) AS n FROM old_rows r
              JOIN videos v ON v.id = r.video_id
              WHERE v.is_published AND v.deleted_at IS NULL
              GROUP BY r.performer_id) d
        WHERE p.id = d.performer_id;
    ELSE
        UPDATE performers p SET video_count = p.video_count + d.n
        FROM (SELECT performer_id, sum(n) AS n FROM (
                  SELECT r.performer_id, 1 AS n FROM new_rows r
                  JOIN videos v ON v.id = r.video_id
                  WHERE v.is_published AND v.deleted_at IS NULL
                  UNION ALL
                  SELECT r.performer_id, -1 FROM old_rows r
                  JOIN videos v ON v.id = r.video_id
                  WHERE v.is_published AND v.deleted_at IS NULL) x
              GROUP BY performer_id HAVING sum(n) <> 0) d
        WHERE p.id = d.performer_id;
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE fires no row or statement DELETE triggers: reset what it empties.
CREATE FUNCTION marquee_truncate_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'videos' THEN
        UPDATE collections SET video_count = 0 WHERE video_count <> 0;
    END IF;
    UPDATE performers SET video_count = 0 WHERE video_count <> 0;
    RETURN NULL;
END
$$;

-- One trigger per event: PostgreSQL allows transition tables only on
-- single-event triggers.
CREATE TRIGGER videos_count_collections_ins AFTER INSERT ON videos
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_collections();
CREATE TRIGGER videos_count_collections_upd AFTER UPDATE ON videos
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_collections();
CREATE TRIGGER videos_count_collections_del AFTER DELETE ON videos
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_collections();
CREATE TRIGGER videos_count_performers_upd AFTER UPDATE ON videos
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_videos_count_performers();
CREATE TRIGGER videos_delete_performers BEFORE DELETE ON videos
    FOR EACH ROW EXECUTE FUNCTION marquee_videos_delete_performers();
CREATE TRIGGER videos_truncate_counts AFTER TRUNCATE ON videos
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_truncate_counts();

CREATE TRIGGER video_performers_count_ins AFTER INSERT ON video_performers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_video_performers_count();
CREATE TRIGGER video_performers_count_upd AFTER UPDATE ON video_performers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_video_performers_count();
CREATE TRIGGER video_performers_count_del AFTER DELETE ON video_performers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_video_performers_count();
CREATE TRIGGER video_performers_truncate_counts AFTER TRUNCATE ON video_performers
    FOR EACH STATEMENT EXECUTE FUNCTION marquee_truncate_counts();
