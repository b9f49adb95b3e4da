DROP INDEX IF EXISTS idx_users_username_lower;
