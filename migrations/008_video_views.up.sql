-- 008_video_views: view counting without a hot row.
--
-- A video page view appends one row here (an INSERT never waits for another
-- viewer's; an UPDATE of videos.view_count per view would serialise every
-- viewer of a popular video on its row lock and churn the videos table).
-- marquee_flush_video_views() periodically folds the rows into
-- videos.view_count in one transaction and returns how many it folded.

CREATE TABLE video_view_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id UUID NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    viewed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- For the ON DELETE CASCADE from videos.
CREATE INDEX idx_video_view_events_video ON video_view_events(video_id);

-- DELETE ... RETURNING takes exactly the rows it folds: views appended while
-- it runs stay for the next flush, none is counted twice or lost.
CREATE FUNCTION marquee_flush_video_views() RETURNS bigint
LANGUAGE sql AS $$
    WITH taken AS (
        DELETE FROM video_view_events RETURNING video_id
    ), per_video AS (
        SELECT video_id, count(*) AS n FROM taken GROUP BY video_id
    ), applied AS (
        UPDATE videos v SET view_count = v.view_count + per_video.n
        FROM per_video WHERE v.id = per_video.video_id
        RETURNING per_video.n
    )
    SELECT coalesce(sum(n), 0)::bigint FROM applied;
$$;
