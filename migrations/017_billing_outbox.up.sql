-- 017_billing_outbox: requests to the payment processor, written in the same
-- statement as the local change they announce (a transactional outbox).
--
-- A member's cancellation and an account deletion change subscriptions and
-- must reach the processor, or it keeps charging the card.  Calling the
-- processor from the request handler would either lose the call (the
-- process dies after COMMIT) or make a rolled-back cancellation real (it
-- dies before).  Instead the statement that cancels also inserts a row
-- here; `marqueectl billing-send` (run by `marqueectl maintain`) posts each
-- pending row to the processor's API with the row id as Idempotency-Key,
-- so a request sent twice (a sender that died before recording success)
-- is carried out once.
--
-- processor_subscription_id is copied, not looked up: the row must still
-- say what to cancel if the subscription row goes (a user's hard delete
-- cascades to subscriptions; subscription_id is then set NULL).
--
-- The application role only appends (INSERT): it cannot read, mark sent
-- or delete what it asked for.  The sender connects as the owner.

CREATE TABLE billing_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind VARCHAR(20) NOT NULL CONSTRAINT billing_outbox_kind_check CHECK (kind IN ('cancel')),
    subscription_id UUID REFERENCES subscriptions(id) ON DELETE SET NULL,
    processor_subscription_id VARCHAR(255) NOT NULL,
    -- subscriptions.canceled_reason at the time: 'member', 'account deleted'.
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts INTEGER NOT NULL DEFAULT 0 CONSTRAINT billing_outbox_attempts_nonneg CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error TEXT,
    sent_at TIMESTAMPTZ
);
-- What the sender claims: pending rows that are due, oldest due first.
CREATE INDEX idx_billing_outbox_pending ON billing_outbox(next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX idx_billing_outbox_subscription ON billing_outbox(subscription_id);

-- billing_outbox is insert-only for marquee_app, also when
-- marquee_grant_app() is run again later (a role created after migrating):
-- 009's function, renamed, still grants the data privileges on every
-- table; the new marquee_grant_app() calls it, then takes back what the
-- app role must not have.
ALTER FUNCTION marquee_grant_app() RENAME TO marquee_grant_app_tables;

CREATE FUNCTION marquee_grant_app() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT marquee_grant_app_tables() THEN
        RETURN false;
    END IF;
    REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON billing_outbox FROM marquee_app;
    RETURN true;
END
$$;

SELECT marquee_grant_app();
