-- 021_trigger_plans (down): nothing to undo.  The functions of 021 count
-- exactly as those of 002 and 015 did, and nothing depends on how their
-- statements are planned; restoring the static statements would bring back
-- the session-long plans that 021 removes.  Applying 021 again replaces the
-- functions with themselves.
SELECT 1;
