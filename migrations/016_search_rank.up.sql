-- 016_search_rank: search ranks stored title vectors (issue 8).
--
-- /search ranks up to 480 full-text matches by how well their title
-- matches (src/db_stmts.c, DB_SEARCH).  ts_rank needs each title's
-- tsvector; computing it per match (parsing and stemming 480 titles) was
-- more than half of the statement's time.  A stored generated column holds
-- it: written once when a title changes, read by every search.  On the
-- shared dataset the statement goes from about 5.8 ms to 2.5 ms.
--
-- Adding a stored generated column rewrites videos under an exclusive lock
-- (seconds for 20,000 rows, minutes for millions): apply it in a
-- maintenance window on a big catalog.  Writers are unaffected afterwards;
-- loaders that name their columns (the shared datasets, marqueectl import)
-- never name this one.

ALTER TABLE videos
    ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED;
