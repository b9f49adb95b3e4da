-- 004_top_performers (down)
DROP MATERIALIZED VIEW top_performers;
