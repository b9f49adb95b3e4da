ALTER TABLE billing_events DROP COLUMN IF EXISTS outcome;
DROP INDEX IF EXISTS idx_subscriptions_user_started;
DROP FUNCTION IF EXISTS marquee_entitled(uuid);
