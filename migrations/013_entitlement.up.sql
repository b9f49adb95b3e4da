-- 013_entitlement: the one definition of "this member may watch" (billing
-- part) and what billing needs besides 007.
--
-- marquee_entitled(user): the member has an 'active' or 'canceled'
-- subscription whose current period has not ended.  'canceled' keeps access
-- until the period end (the member paid for it); 'past_due' does not (the
-- renewal failed: the processor retries and sends 'renewal' or 'expiry');
-- 'expired' never does.  Refund and chargeback expire the subscription and
-- set current_period_end to the event time, so access ends at once.
-- subscriptions' times are TIMESTAMP holding UTC (the application writes
-- UTC, workers run with TimeZone=UTC); comparing with now() AT TIME ZONE
-- 'UTC' keeps the function right under any session TimeZone.
-- Age verification (per jurisdiction) is applied by the application on top.
-- sess_load and /internal/hls-auth both call this, so the rule lives once.
CREATE FUNCTION marquee_entitled(p_user_id uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM subscriptions s
        WHERE s.user_id = p_user_id
          AND s.status IN ('active', 'canceled')
          AND s.current_period_end > (now() AT TIME ZONE 'UTC'))
$$;

-- The account page shows the member's newest subscription.
CREATE INDEX idx_subscriptions_user_started ON subscriptions(user_id, started_at DESC);

-- What applying a billing event did: 'applied', 'stale' (older than the
-- subscription's newest applied event: recorded, not applied), 'terminal'
-- (the subscription had already expired), 'ignored' (a type Marquee does not
-- act on), 'no_member' (the member no longer exists).  NULL until processed.
ALTER TABLE billing_events ADD COLUMN outcome VARCHAR(20)
    CHECK (outcome IN ('applied', 'stale', 'terminal', 'ignored', 'no_member'));
