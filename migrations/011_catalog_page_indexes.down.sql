-- 011_catalog_page_indexes, undone: the collection indexes as 005 made them.
DROP INDEX idx_videos_coll_newest;
CREATE INDEX idx_videos_coll_newest ON videos(collection_id, release_date DESC, id)
    WHERE is_published AND deleted_at IS NULL;
DROP INDEX idx_videos_coll_views;
CREATE INDEX idx_videos_coll_views ON videos(collection_id, view_count DESC, id)
    WHERE is_published AND deleted_at IS NULL;
DROP INDEX idx_videos_coll_rating;
CREATE INDEX idx_videos_coll_rating ON videos(collection_id, rating DESC NULLS LAST, id)
    WHERE is_published AND deleted_at IS NULL;
DROP INDEX idx_videos_coll_duration;
CREATE INDEX idx_videos_coll_duration ON videos(collection_id, duration_seconds DESC NULLS LAST, id)
    WHERE is_published AND deleted_at IS NULL;
