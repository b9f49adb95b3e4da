-- 020_collection_release_counts (down): collection pages skip with OFFSET again.
DROP TRIGGER IF EXISTS videos_truncate_releases ON videos;
DROP FUNCTION IF EXISTS marquee_truncate_releases();
DROP TRIGGER IF EXISTS videos_count_releases_del ON videos;
DROP TRIGGER IF EXISTS videos_count_releases_upd ON videos;
DROP TRIGGER IF EXISTS videos_count_releases_ins ON videos;
DROP FUNCTION IF EXISTS marquee_videos_count_releases();
DROP TABLE IF EXISTS collection_release_counts;
DROP FUNCTION IF EXISTS marquee_release_month(date);
