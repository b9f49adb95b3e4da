-- 012_age_verification_audit: who marked an account age-verified by hand.
--
-- `marqueectl user verify-age EMAIL --by OPERATOR` sets users.age_verified,
-- age_verified_at and age_verification_method = 'manual', and records here
-- which operator did it and when, so a manual verification can always be
-- traced to a person.  Vendor callbacks have their own table
-- (age_verification_events, 006).  The row outlives the account's link
-- (SET NULL) for the same reason billing events do: the audit stays.

CREATE TABLE age_verification_audit (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    email VARCHAR(255) NOT NULL,          -- the account at the time, for the audit trail
    method VARCHAR(50) NOT NULL,          -- copied to users.age_verification_method
    operator VARCHAR(100) NOT NULL CHECK (btrim(operator) <> ''),
    note TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_age_verification_audit_user ON age_verification_audit(user_id, created_at DESC);

-- 009's default privileges cover the table for marquee_app when that role
-- exists; nothing else to grant.
