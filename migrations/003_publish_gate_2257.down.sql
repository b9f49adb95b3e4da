-- 003_publish_gate_2257 (down)

DROP TRIGGER performers_2257 ON performers;
DROP TRIGGER video_performers_2257 ON video_performers;
DROP TRIGGER videos_2257_upd ON videos;
DROP TRIGGER videos_2257_ins ON videos;
DROP FUNCTION marquee_2257_performers_trg();
DROP FUNCTION marquee_2257_video_performers_trg();
DROP FUNCTION marquee_2257_videos_trg();
DROP FUNCTION marquee_2257_assert(uuid);
DROP FUNCTION marquee_2257_violation(uuid);
