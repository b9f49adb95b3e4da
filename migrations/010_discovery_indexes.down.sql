-- 010_discovery_indexes, undone.
DROP INDEX IF EXISTS idx_performers_initial;
DROP FUNCTION IF EXISTS performer_initial(text);
