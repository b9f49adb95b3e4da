-- 014_username_ci: usernames are unique whatever their case (issue 6).
--
-- users.username is UNIQUE as typed, so "Alice" and "alice" could be two
-- accounts, and one could pass for the other on the pages that show it.
-- Sign-up (INSERT ... ON CONFLICT DO NOTHING) relies on this index to refuse
-- the second; the existing constraint stays (the index is its superset).
CREATE UNIQUE INDEX idx_users_username_lower ON users(lower(username));
