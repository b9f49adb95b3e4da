-- 001_initial_schema (down): drop the nine tables in reverse dependency
-- order, the extensions and the database TimeZone default set by the up file.
-- Later migrations' down files have already removed everything built on them.

ALTER TABLE collections DROP CONSTRAINT collections_featured_video_id_fkey;
DROP TABLE user_watch_history;
DROP TABLE social_media_links;
DROP TABLE subscriptions;
DROP TABLE users;
DROP TABLE photos;
DROP TABLE video_performers;
DROP TABLE performers;
DROP TABLE videos;
DROP TABLE collections;

DROP EXTENSION IF EXISTS "pg_trgm";
DROP EXTENSION IF EXISTS "uuid-ossp";

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET timezone', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'not the database owner: database TimeZone default left alone';
END
$$;
