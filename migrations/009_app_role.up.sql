-- 009_app_role: privileges for the application's own database role.
--
-- In production the site should not connect as the role that owns the
-- schema: it needs to read and write rows, never to change the schema.  No
-- role or password is created here (passwords do not belong in the
-- repository).  An operator who wants the split creates the role once,
--     CREATE ROLE marquee_app LOGIN PASSWORD '...';
-- before migrating, or runs `SELECT marquee_grant_app();` after creating it,
-- and points the site's MARQUEE_DATABASE_URL at it; marqueectl keeps using
-- the owner.  Without such a role this migration only defines the function.
--
-- marquee_app gets SELECT/INSERT/UPDATE/DELETE on the tables and
-- USAGE/SELECT on sequences, nothing on schema_migrations, no DDL (it owns
-- nothing, so it cannot ALTER/DROP, and cannot refresh top_performers:
-- marqueectl refresh does that as the owner).  Tables added by later
-- migrations are covered by the default privileges set here.  Session
-- settings (statement_timeout, TimeZone) are set by the application when it
-- connects.

CREATE FUNCTION marquee_grant_app() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marquee_app') THEN
        RETURN false;
    END IF;
    GRANT USAGE ON SCHEMA public TO marquee_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO marquee_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO marquee_app;
    REVOKE ALL ON schema_migrations FROM marquee_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO marquee_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT USAGE, SELECT ON SEQUENCES TO marquee_app;
    RETURN true;
END
$$;

SELECT marquee_grant_app();
