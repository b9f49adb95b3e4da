-- 018_adult_on_leap_day (down): 003's rule as it was.

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

DROP FUNCTION marquee_adult_on(date, date);
