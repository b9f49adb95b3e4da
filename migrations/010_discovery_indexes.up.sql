-- 010_discovery_indexes: what the performers A-Z browser needs (issue 5).
--
-- /performers?letter=x lists the performers whose name starts with x (a..z,
-- any case) or, for letter=0, with anything else (digits, accents, symbols),
-- in name order.  The bucket is a function so the page query and the index
-- spell the same expression (the planner uses an expression index only for
-- the identical expression).  COLLATE "C" keeps the bucket independent of
-- the database's locale, which IMMUTABLE requires.
--
-- Search and suggestions need nothing new: the full-text GIN indexes and
-- the trigram indexes on videos.title and performers.name are in 001.

CREATE FUNCTION performer_initial(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN name COLLATE "C" ~ '^[A-Za-z]'
                THEN lower(left(name, 1) COLLATE "C")
                ELSE '0' END
$$;

--   WHERE performer_initial(name) = $1 AND deleted_at IS NULL ORDER BY name, id
CREATE INDEX idx_performers_initial ON performers(performer_initial(name), name, id)
    WHERE deleted_at IS NULL;
