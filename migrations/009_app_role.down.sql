-- 009_app_role (down): take back what marquee_grant_app() gave, if the role
-- exists, and drop the function.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marquee_app') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM marquee_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE USAGE, SELECT ON SEQUENCES FROM marquee_app;
        REVOKE SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM marquee_app;
        REVOKE USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public FROM marquee_app;
        REVOKE USAGE ON SCHEMA public FROM marquee_app;
    END IF;
END
$$;
DROP FUNCTION marquee_grant_app();
