-- 002_triggers_counters (down)

DROP TRIGGER video_performers_truncate_counts ON video_performers;
DROP TRIGGER video_performers_count_del ON video_performers;
DROP TRIGGER video_performers_count_upd ON video_performers;
DROP TRIGGER video_performers_count_ins ON video_performers;
DROP TRIGGER videos_truncate_counts ON videos;
DROP TRIGGER videos_delete_performers ON videos;
DROP TRIGGER videos_count_performers_upd ON videos;
DROP TRIGGER videos_count_collections_del ON videos;
DROP TRIGGER videos_count_collections_upd ON videos;
DROP TRIGGER videos_count_collections_ins ON videos;
DROP TRIGGER social_media_links_updated_at ON social_media_links;
DROP TRIGGER subscriptions_updated_at ON subscriptions;
DROP TRIGGER users_updated_at ON users;
DROP TRIGGER performers_updated_at ON performers;
DROP TRIGGER videos_updated_at ON videos;
DROP TRIGGER collections_updated_at ON collections;

DROP FUNCTION marquee_truncate_counts();
DROP FUNCTION marquee_video_performers_count();
DROP FUNCTION marquee_videos_delete_performers();
DROP FUNCTION marquee_videos_count_performers();
DROP FUNCTION marquee_videos_count_collections();
DROP FUNCTION marquee_set_updated_at();
