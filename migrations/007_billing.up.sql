-- 007_billing: payment-processor webhooks (issue 6).
--
-- Every event the processor sends is stored once, keyed by the processor's
-- own event id (a replay hits the UNIQUE constraint and changes nothing),
-- with its verified payload; processed_at is set when the event has been
-- applied to the subscription.  occurred_at is the processor's event time:
-- events can arrive out of order, and an event older than the
-- subscription's last_event_at must not undo a newer one.

CREATE TABLE billing_events (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    processor_event_id VARCHAR(255) NOT NULL UNIQUE,
    -- e.g. sale, renewal, renewal_failed, cancellation, expiry, refund,
    -- chargeback: the processor's vocabulary, checked for shape only.
    type VARCHAR(50) NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.]*$'),
    -- Kept when the account is deleted (accounting), without the link.
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    subscription_id UUID REFERENCES subscriptions(id) ON DELETE SET NULL,
    occurred_at TIMESTAMPTZ,
    payload JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at TIMESTAMPTZ
);
CREATE INDEX idx_billing_events_subscription ON billing_events(subscription_id, occurred_at);
CREATE INDEX idx_billing_events_user ON billing_events(user_id);
-- Events received but not applied yet (retry after a failure).
CREATE INDEX idx_billing_events_unprocessed ON billing_events(received_at) WHERE processed_at IS NULL;

-- The processor's id for a subscription, which its events carry, and the
-- time of the newest event applied (for out-of-order delivery).
ALTER TABLE subscriptions
    ADD COLUMN processor_subscription_id VARCHAR(255) UNIQUE,
    ADD COLUMN last_event_at TIMESTAMPTZ;
