-- 018_adult_on_leap_day: one definition of "18 on that day", right on 29 February.
--
-- 003 (and marqueectl's checks) tested date_of_birth + interval '18 years'
-- > release_date.  PostgreSQL clamps 29 February to 28 February in a year
-- without it, so someone born on 29 February 2004 counted as 18 on
-- 28 February 2022, a day early.  Where the law names a day for them it is
-- 1 March (the day after 28 February): marquee_adult_on() takes the day
-- before the birthday, adds 18 years and then one day, which is the
-- birthday itself for every other date and 1 March for 29 February.  The
-- publish gate and marqueectl (check-2257, publish, import) all use it.

CREATE FUNCTION marquee_adult_on(dob date, day date) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ((dob - 1) + interval '18 years')::date + 1 <= day;

CREATE OR REPLACE FUNCTION marquee_2257_violation(p_video_id uuid) RETURNS text
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
        ELSIF NOT marquee_adult_on(p.date_of_birth, v.release_date) THEN
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
