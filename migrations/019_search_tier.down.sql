-- 019_search_tier (down): no tier; search reads the whole catalog (and the
-- updated_at trigger of 002 as it was).
DROP FUNCTION IF EXISTS marquee_refresh_search_tier(integer);
DROP INDEX IF EXISTS idx_videos_search_hot;
DROP INDEX IF EXISTS idx_videos_title_trgm_hot;
DROP INDEX IF EXISTS idx_videos_fulltext_hot;
DROP TRIGGER IF EXISTS videos_updated_at ON videos;
CREATE TRIGGER videos_updated_at BEFORE UPDATE ON videos
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at('view_count', 'like_count', 'rating');
ALTER TABLE videos DROP COLUMN IF EXISTS search_hot;
