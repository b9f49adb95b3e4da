-- 006_members: tables for accounts, sessions and age assurance (issue 6)
-- that the design document does not have.  New tables use timestamptz
-- (absolute instants: expiry is compared with now()).

-- Watch-history setting: while true, playback progress is not recorded.
ALTER TABLE users ADD COLUMN history_paused BOOLEAN NOT NULL DEFAULT false;

-- Server-side sessions.  The cookie carries a random token; only its hash is
-- stored, so a leaked table cannot be replayed as cookies.  csrf_secret is
-- the per-session key CSRF tokens are derived from.  A session is valid
-- while now() < expires_at (absolute limit) and last_seen_at is within the
-- idle limit from the configuration.  "Log out everywhere" deletes a user's
-- rows; deleting the user deletes them too.
CREATE TABLE sessions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- 16-64 bytes: any of the usual hash outputs (SHA-256, BLAKE2b); never
    -- a short or empty value.
    token_hash BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) BETWEEN 16 AND 64),
    csrf_secret BYTEA NOT NULL CHECK (octet_length(csrf_secret) BETWEEN 16 AND 64),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    ip VARCHAR(45),          -- same form as users.last_login_ip (IPv6 text fits)
    user_agent VARCHAR(512), -- truncated by the application
    CONSTRAINT sessions_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX idx_sessions_user ON sessions(user_id);
-- The periodic purge of expired sessions.
CREATE INDEX idx_sessions_expires ON sessions(expires_at);

-- Login/signup throttling: one row per key (e.g. 'ip:203.0.113.7' or
-- 'acct:' || a hash of the normalised e-mail), counting failures since
-- window_start.  The application resets a row whose window has passed
-- (INSERT ... ON CONFLICT (key) DO UPDATE) and refuses with 429 while
-- count exceeds the limit.  ("window" is a reserved word, hence window_start.)
CREATE TABLE login_attempts (
    key VARCHAR(300) PRIMARY KEY,
    count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    window_start TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The periodic purge of stale windows.
CREATE INDEX idx_login_attempts_window ON login_attempts(window_start);

-- Age-verification callbacks from the vendor: kept once per vendor event id
-- (idempotency; replays are recognised by the UNIQUE constraint).  Holds the
-- outcome only, never identity documents or document data.  The user link
-- is cleared when the account is deleted, the event id stays so a replay is
-- still recognised.
CREATE TABLE age_verification_events (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    vendor_event_id VARCHAR(255) NOT NULL UNIQUE,
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    result VARCHAR(20) NOT NULL CHECK (result IN ('approved', 'rejected', 'pending')),
    method VARCHAR(50),      -- the vendor's method name, copied to users.age_verification_method
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_age_verification_events_user ON age_verification_events(user_id);

-- What each jurisdiction requires before content is shown: editable data,
-- not code.  region '' is the rule for the whole country; a row with a region
-- (ISO 3166-2 subdivision code without the country prefix, e.g. 'TX')
-- overrides it.  Lookup: (country, region), else (country, ''), else
-- click-through (the documented default when nothing matches).
CREATE TABLE jurisdiction_rules (
    country_code VARCHAR(2) NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    region VARCHAR(100) NOT NULL DEFAULT '' CHECK (region ~ '^[A-Z0-9]{0,3}$'),
    rule VARCHAR(20) NOT NULL CHECK (rule IN ('click_through', 'verify', 'block')),
    note TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (country_code, region)
);
CREATE TRIGGER jurisdiction_rules_updated_at BEFORE UPDATE ON jurisdiction_rules
    FOR EACH ROW EXECUTE FUNCTION marquee_set_updated_at();
