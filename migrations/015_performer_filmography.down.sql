DROP INDEX IF EXISTS idx_video_performers_views;
DROP INDEX IF EXISTS idx_video_performers_newest;
DROP TRIGGER IF EXISTS videos_copy_keys ON videos;
DROP FUNCTION IF EXISTS marquee_videos_copy_keys();
DROP TRIGGER IF EXISTS video_performers_copy_keys ON video_performers;
DROP FUNCTION IF EXISTS marquee_video_performers_copy_keys();
ALTER TABLE video_performers
    DROP COLUMN IF EXISTS video_live,
    DROP COLUMN IF EXISTS video_view_count,
    DROP COLUMN IF EXISTS video_release_date;
