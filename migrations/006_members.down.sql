-- 006_members (down)
DROP TABLE jurisdiction_rules;
DROP TABLE age_verification_events;
DROP TABLE login_attempts;
DROP TABLE sessions;
ALTER TABLE users DROP COLUMN history_paused;
