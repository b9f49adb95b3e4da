-- 017_billing_outbox (down): 009's marquee_grant_app() under its name
-- again, then the table (its grants go with it).

DROP FUNCTION marquee_grant_app();
ALTER FUNCTION marquee_grant_app_tables() RENAME TO marquee_grant_app;

DROP TABLE billing_outbox;
