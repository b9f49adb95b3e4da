-- 003_publish_gate_2257: the 18 U.S.C. 2257 publish rule, enforced by the
-- database so that no path (marqueectl, an import, plain SQL) can leave a
-- non-compliant video published.
--
-- Rule, for every live video (is_published AND deleted_at IS NULL):
--   * it has a release_date (the production date the ages are checked on);
--   * it has 1-10 performers in video_performers, exactly performer_count;
--   * every performer has a legal_name and a date_of_birth;
--   * every performer was at least 18 on the release_date.
-- Soft-deleted performers still count: the records of who appeared stay.
--
-- The triggers are DEFERRABLE INITIALLY DEFERRED constraint triggers: the
-- rule is checked at COMMIT against the final state, so one transaction may
-- insert a published video before its performers (dataset.sql does).  The
-- error names the video's slug and the reason; the whole transaction fails.

-- Returns why the video breaks the rule, or NULL when it is compliant or not
-- live (or does not exist).  Also used by marqueectl publish / check-2257.
-- The performers are read one by one by primary key on purpose: at COMMIT of
-- a bulk load the tables have no statistics yet, and a join lets the planner
-- pick a hash join over all performers for every single video checked.
CREATE FUNCTION marquee_2257_violation(p_video_id uuid) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v       record;
    link    record;
    p       record;
    n       integer := 0;
    missing text[] := '{}';
    minors  text[] := '{}';
BEGIN
    SELECT id, is_published, deleted_at, release_date, performer_count
      INTO v FROM videos WHERE id = p_video_id;
    IF NOT FOUND OR NOT v.is_published OR v.deleted_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF v.release_date IS NULL THEN
        RETURN 'no release_date to check the performers'' ages against';
    END IF;

    FOR link IN SELECT performer_id FROM video_performers
                WHERE video_id = p_video_id ORDER BY billing_order, performer_id LOOP
        n := n + 1;
        SELECT slug, legal_name, date_of_birth INTO p FROM performers WHERE id = link.performer_id;
        IF p.legal_name IS NULL OR btrim(p.legal_name) = '' OR p.date_of_birth IS NULL THEN
            missing := missing || p.slug::text;
        ELSIF p.date_of_birth + interval '18 years' > v.release_date THEN
            minors := minors || p.slug::text;
        END IF;
    END LOOP;

    IF n < 1 OR n > 10 THEN
        RETURN format('it has %s performers (1-10 required)', n);
    END IF;
    IF n <> v.performer_count THEN
        RETURN format('it has %s performers but performer_count is %s', n, v.performer_count);
    END IF;
    IF cardinality(missing) > 0 THEN
        RETURN format('performer(s) %s lack a legal name or date of birth',
                      array_to_string(missing, ', '));
    END IF;
    IF cardinality(minors) > 0 THEN
        RETURN format('performer(s) %s were under 18 on the release date %s',
                      array_to_string(minors, ', '), v.release_date);
    END IF;
    RETURN NULL;
END
$$;

-- Raises check_violation when the video breaks the rule.
CREATE FUNCTION marquee_2257_assert(p_video_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    reason text := marquee_2257_violation(p_video_id);
BEGIN
    IF reason IS NOT NULL THEN
        RAISE EXCEPTION 'publish refused (2257): video "%": %',
            (SELECT slug FROM videos WHERE id = p_video_id), reason
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;

CREATE FUNCTION marquee_2257_videos_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM marquee_2257_assert(NEW.id);
    RETURN NULL;
END
$$;

CREATE FUNCTION marquee_2257_video_performers_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM marquee_2257_assert(OLD.video_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.video_id <> OLD.video_id) THEN
        PERFORM marquee_2257_assert(NEW.video_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION marquee_2257_performers_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    vid uuid;
BEGIN
    FOR vid IN SELECT video_id FROM video_performers WHERE performer_id = NEW.id LOOP
        PERFORM marquee_2257_assert(vid);
    END LOOP;
    RETURN NULL;
END
$$;

-- Videos: when one becomes live, or a live one changes a checked field.
-- (A WHEN clause keeps the view-count flush and other edits from queueing
-- commit-time checks.)
CREATE CONSTRAINT TRIGGER videos_2257_ins AFTER INSERT ON videos
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.is_published AND NEW.deleted_at IS NULL)
    EXECUTE FUNCTION marquee_2257_videos_trg();
CREATE CONSTRAINT TRIGGER videos_2257_upd AFTER UPDATE ON videos
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.is_published AND NEW.deleted_at IS NULL
          AND (NOT OLD.is_published OR OLD.deleted_at IS NOT NULL
               OR OLD.release_date IS DISTINCT FROM NEW.release_date
               OR OLD.performer_count IS DISTINCT FROM NEW.performer_count
               OR OLD.id IS DISTINCT FROM NEW.id))
    EXECUTE FUNCTION marquee_2257_videos_trg();

-- Links: adding, removing or moving a performer.
CREATE CONSTRAINT TRIGGER video_performers_2257 AFTER INSERT OR UPDATE OR DELETE ON video_performers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION marquee_2257_video_performers_trg();

-- Performers: a corrected legal name or date of birth re-checks their videos.
CREATE CONSTRAINT TRIGGER performers_2257 AFTER UPDATE ON performers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.legal_name IS DISTINCT FROM NEW.legal_name
          OR OLD.date_of_birth IS DISTINCT FROM NEW.date_of_birth)
    EXECUTE FUNCTION marquee_2257_performers_trg();
