-- 008_video_views (down)
DROP FUNCTION marquee_flush_video_views();
DROP TABLE video_view_events;
