-- 004_top_performers: the document's "top performers" materialized view.
--
-- fix: the document's `SELECT p.*, COUNT(vp.video_id) AS video_count` does
-- not compile (p.* already has a video_count column); explicit columns instead.
-- fix: it counted every link, including unpublished and deleted videos; it
-- now counts live videos (published, not deleted), the rule of the counters.
-- fix: ties are broken by name and id so the top 50 is deterministic, and
-- `rank` is stored because a view's ORDER BY is not kept when it is read.
-- fix: the UNIQUE index on id lets `REFRESH MATERIALIZED VIEW CONCURRENTLY
-- top_performers` run without blocking readers (marqueectl refresh).
--
-- It is a snapshot: readers still filter on performers.deleted_at when they
-- join, so a performer deleted since the last refresh does not show.

CREATE MATERIALIZED VIEW top_performers AS
SELECT row_number() OVER (ORDER BY count(*) DESC, p.name, p.id) AS rank,
       p.id,
       p.name,
       p.slug,
       p.profile_photo_url,
       count(*) AS video_count
FROM performers p
JOIN video_performers vp ON vp.performer_id = p.id
JOIN videos v ON v.id = vp.video_id AND v.is_published AND v.deleted_at IS NULL
WHERE p.deleted_at IS NULL
GROUP BY p.id
ORDER BY rank
LIMIT 50;

CREATE UNIQUE INDEX idx_top_performers_id ON top_performers(id);
