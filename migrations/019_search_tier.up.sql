-- 019_search_tier: search and suggest cost what they cost on a 20,000-video
-- catalog whatever the catalog's size (issue 8, scale).
--
-- GIN has no ordered scan: a full-text or trigram lookup returns every
-- match before LIMIT can stop it.  A word in 5 % of titles has 1,000
-- matches at 20,000 videos and 50,000 at 1,000,000, and /search and
-- /search/suggest grew with it (1.2 -> 41 ms and 0.3 -> 15 ms).  So the
-- most viewed live videos (20,000 by default, `search_tier` in the site
-- config) form a tier with its own partial indexes, as small as the whole
-- shared catalog; the statements look there first and go on to the rest of
-- the catalog only when the tier has fewer matches than they need
-- (src/db_stmts.c, DB_SEARCH and DB_SEARCH_SUGGEST).  A frequent word is
-- then answered from the tier (and from the most viewed videos, which is
-- also what a visitor looks for); a rare word reads both, and both are
-- small for it.
--
-- videos.search_hot marks the tier.  It is derived data: only
-- marquee_refresh_search_tier() writes it, called by `marqueectl maintain`
-- after the views fold.  Until the first call nothing is in the tier and
-- every search reads the whole catalog as before: results are right either
-- way, only the cost differs.  The flag is not an edit: updated_at ignores
-- it, like the counters.
--
-- Fixed here too: since 016, every UPDATE of a video set its updated_at,
-- the views fold included (so the sitemap's lastmod moved with every
-- view).  A BEFORE trigger sees the stored generated column title_tsv as
-- NULL in NEW, so marquee_set_updated_at (002) found NEW unlike OLD on any
-- update.  title_tsv is derived from title, which is compared: it is
-- ignored like the counters.

ALTER TABLE videos ADD COLUMN search_hot BOOLEAN NOT NULL DEFAULT false;

DROP TRIGGER videos_updated_at ON videos;
CREATE TRIGGER videos_updated_at BEFORE UPDATE ON videos
    FOR EACH ROW EXECUTE FUNCTION
    marquee_set_updated_at('view_count', 'like_count', 'rating', 'search_hot', 'title_tsv');

-- The same expressions as idx_videos_fulltext and idx_videos_title_trgm
-- (001), restricted to the tier; the statements spell `v.search_hot`.
CREATE INDEX idx_videos_fulltext_hot ON videos
    USING GIN(to_tsvector('english', title || ' ' || COALESCE(description, '')))
    WHERE search_hot;
CREATE INDEX idx_videos_title_trgm_hot ON videos USING GIN(title gin_trgm_ops) WHERE search_hot;
-- For the refresh: the rows in the tier now.
CREATE INDEX idx_videos_search_hot ON videos(id) WHERE search_hot;

-- Make the tier the p_size most viewed live videos (ties by id) and return
-- how many rows changed; rows already right are not written, so a refresh
-- after a minute of views touches a few rows, not the tier.  A video that
-- stops being live leaves the tier at the next refresh (the statements
-- check liveness themselves in the meantime).
CREATE FUNCTION marquee_refresh_search_tier(p_size integer) RETURNS bigint
LANGUAGE sql AS $$
    WITH top AS MATERIALIZED (
        SELECT id FROM videos
         WHERE is_published AND deleted_at IS NULL
         ORDER BY view_count DESC, id LIMIT greatest(p_size, 0)
    ), leaving AS (
        UPDATE videos v SET search_hot = false
         WHERE v.search_hot AND NOT EXISTS (SELECT 1 FROM top WHERE top.id = v.id)
        RETURNING 1
    ), joining AS (
        UPDATE videos v SET search_hot = true
          FROM top WHERE v.id = top.id AND NOT v.search_hot
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM leaving) + (SELECT count(*) FROM joining);
$$;
