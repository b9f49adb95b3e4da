-- 017_billing_outbox (down): 009's marquee_grant_app() again, then the table.

CREATE OR REPLACE FUNCTION marquee_grant_app() RETURNS boolean
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

DROP TABLE billing_outbox;
