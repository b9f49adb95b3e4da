-- 005_page_indexes: indexes that match the catalog pages' queries (issue 5,
-- "Data access"), so each page reads only the rows it shows by walking an
-- index in the page's order instead of sorting a whole collection.
--
-- "Live" = is_published AND deleted_at IS NULL.  The partial indexes below
-- carry exactly that predicate, so a query is eligible only when its WHERE
-- clause contains `is_published AND deleted_at IS NULL` (or the `= true`
-- spelling), and its ORDER BY must match the column order and direction,
-- including NULLS LAST where it is given.  The trailing id is the tie-breaker
-- that makes pagination stable.

-- Collection page, one index per sort:
--   WHERE collection_id = $1 AND <live> ORDER BY release_date DESC, id
CREATE INDEX idx_videos_coll_newest ON videos(collection_id, release_date DESC, id)
    WHERE is_published AND deleted_at IS NULL;
--   ... ORDER BY view_count DESC, id
CREATE INDEX idx_videos_coll_views ON videos(collection_id, view_count DESC, id)
    WHERE is_published AND deleted_at IS NULL;
--   ... ORDER BY rating DESC NULLS LAST, id      (unrated videos last)
CREATE INDEX idx_videos_coll_rating ON videos(collection_id, rating DESC NULLS LAST, id)
    WHERE is_published AND deleted_at IS NULL;
--   ... ORDER BY duration_seconds DESC NULLS LAST, id
CREATE INDEX idx_videos_coll_duration ON videos(collection_id, duration_seconds DESC NULLS LAST, id)
    WHERE is_published AND deleted_at IS NULL;

-- Home page rows across all collections, and the sitemap's newest first:
--   WHERE <live> ORDER BY release_date DESC, id
CREATE INDEX idx_videos_live_newest ON videos(release_date DESC, id)
    WHERE is_published AND deleted_at IS NULL;
--   WHERE <live> ORDER BY view_count DESC, id
CREATE INDEX idx_videos_live_views ON videos(view_count DESC, id)
    WHERE is_published AND deleted_at IS NULL;

-- Performers A-Z browsing:
--   WHERE deleted_at IS NULL ORDER BY name, id
CREATE INDEX idx_performers_name ON performers(name, id) WHERE deleted_at IS NULL;

-- Already in 001 (document names, widened there): video_performers
-- (video_id, billing_order) and (performer_id, video_id); photos
-- (video_id, sort_order) and (performer_id, sort_order); user_watch_history
-- (user_id, watched_at DESC).  Top performers read the top_performers view
-- (004), or performers(video_count DESC) for the live counter.
