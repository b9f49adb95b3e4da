-- 011_catalog_page_indexes: the collection grid's quality filter (issue 5).
--
-- /collections/{slug}?quality=4k|1080p|720p|480p keeps only videos with that
-- quality.  The four collection indexes of 005 are rebuilt with the quality
-- flags as INCLUDE columns, so the grid (and its deep pages, which skip
-- OFFSET entries) stays an index-only scan with the filter evaluated on the
-- index tuples: without them every skipped entry costs a heap visit.  Same
-- names, keys, order and predicate as 005; only the INCLUDE list is new.

DROP INDEX idx_videos_coll_newest;
CREATE INDEX idx_videos_coll_newest ON videos(collection_id, release_date DESC, id)
    INCLUDE (has_4k, has_1080p, has_720p, has_480p)
    WHERE is_published AND deleted_at IS NULL;
DROP INDEX idx_videos_coll_views;
CREATE INDEX idx_videos_coll_views ON videos(collection_id, view_count DESC, id)
    INCLUDE (has_4k, has_1080p, has_720p, has_480p)
    WHERE is_published AND deleted_at IS NULL;
DROP INDEX idx_videos_coll_rating;
CREATE INDEX idx_videos_coll_rating ON videos(collection_id, rating DESC NULLS LAST, id)
    INCLUDE (has_4k, has_1080p, has_720p, has_480p)
    WHERE is_published AND deleted_at IS NULL;
DROP INDEX idx_videos_coll_duration;
CREATE INDEX idx_videos_coll_duration ON videos(collection_id, duration_seconds DESC NULLS LAST, id)
    INCLUDE (has_4k, has_1080p, has_720p, has_480p)
    WHERE is_published AND deleted_at IS NULL;
