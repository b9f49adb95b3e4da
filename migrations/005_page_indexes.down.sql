-- 005_page_indexes (down)
DROP INDEX idx_performers_name;
DROP INDEX idx_videos_live_views;
DROP INDEX idx_videos_live_newest;
DROP INDEX idx_videos_coll_duration;
DROP INDEX idx_videos_coll_rating;
DROP INDEX idx_videos_coll_views;
DROP INDEX idx_videos_coll_newest;
