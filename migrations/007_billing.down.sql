-- 007_billing (down)
ALTER TABLE subscriptions
    DROP COLUMN last_event_at,
    DROP COLUMN processor_subscription_id;
DROP TABLE billing_events;
