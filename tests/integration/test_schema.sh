#!/usr/bin/env bash
# test_schema.sh - the schema: migrations, counter and updated_at triggers,
# the 2257 publish gate, constraints, marqueectl migrate and seed.
#
# Environment:
#   MARQUEE_DATABASE_URL  a migrated (seeded or empty) database this script
#                         may write to, as its owner; the script's own rows
#                         use slugs starting with "zzst-" and are removed at
#                         the end; most checks run in a transaction that is
#                         rolled back
#   MARQUEE_BIN           directory holding marqueectl (default: the build
#                         dir of the stack, see tests/lib/stack.sh)
#   MARQUEE_SHARED        ../shared, for bench/dataset.sql (SKIP when missing)
#
# Checks that need an empty schema (down-all/up round trip, two concurrent
# migrators, the shared dataset, seed idempotence, checksum tamper) run in a
# throwaway database created with CREATE DATABASE on the same server and
# dropped afterwards; they are SKIPped when the role may not create databases.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stack.sh"

SRC=${MARQUEE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
BIN=${MARQUEE_BIN:-$SRC}
CTL=$BIN/marqueectl
MIGRATIONS=$SRC/migrations
DB=${MARQUEE_DATABASE_URL:-}

if [ -z "$DB" ]; then
	t_skip "schema: all checks" "MARQUEE_DATABASE_URL is not set"
	exit 0
fi
if [ ! -x "$CTL" ]; then
	t_fail "schema: marqueectl exists" "$CTL not found (MARQUEE_BIN)"
	exit 0
fi

# sql [psql args...]: quiet, unaligned, tuples only, stop at the first error.
sql() { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
# q SQL: one command, its output.
q() { sql -c "$1" 2>&1; }

# Connection string for another database on the same server (URI or key=value).
db_url_for() {
	case $DB in
	postgres://* | postgresql://*)
		printf '%s' "$DB" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$1#" ;;
	*) printf '%s dbname=%s' "$DB" "$1" ;;
	esac
}

# --------------------------------------------------------------- fixture
# Two collections and four performers, committed; removed by cleanup().
cleanup() {
	sql >/dev/null 2>&1 <<-'EOF'
		DELETE FROM videos WHERE slug LIKE 'zzst-%';
		DELETE FROM performers WHERE slug LIKE 'zzst-%';
		DELETE FROM collections WHERE slug LIKE 'zzst-%';
	EOF
}
cleanup
if ! out=$(sql 2>&1 <<-'EOF'
	INSERT INTO collections (name, slug, sort_order) VALUES
	    ('zzst A', 'zzst-a', 901), ('zzst B', 'zzst-b', 902);
	INSERT INTO performers (name, slug, legal_name, date_of_birth) VALUES
	    ('zzst P1', 'zzst-p1', 'Legal One', '1980-01-01'),
	    ('zzst P2', 'zzst-p2', 'Legal Two', '1985-05-05'),
	    ('zzst P3', 'zzst-p3', 'Legal Three', '2010-06-01'),
	    ('zzst P4', 'zzst-p4', NULL, '1980-01-01');
EOF
); then
	t_fail "schema: test fixture" "$out"
	exit 0
fi

# SQL for a published video in collection $2 with slug $1 and performer_count $3.
video_sql() {
	printf "INSERT INTO videos (collection_id, title, slug, release_date, hls_manifest_url,
	    thumbnail_url, performer_count, is_published, published_at)
	  VALUES ((SELECT id FROM collections WHERE slug = '%s'), 'zzst video', '%s',
	    '2020-01-01', '/hls/test/master.m3u8', '/t.svg', %s, %s, now());\n" \
		"$2" "$1" "${3:-1}" "${4:-true}"
}
# SQL linking performer $2 to video $1.
link_sql() {
	printf "INSERT INTO video_performers (video_id, performer_id, billing_order)
	  VALUES ((SELECT id FROM videos WHERE slug = '%s'),
	          (SELECT id FROM performers WHERE slug = '%s'), %s);\n" "$1" "$2" "${3:-1}"
}
# Counters as "A,B,P1,P2" ("-" for a row that is gone).
COUNTS="SELECT concat_ws(',',
	coalesce((SELECT video_count FROM collections WHERE slug = 'zzst-a')::text, '-'),
	coalesce((SELECT video_count FROM collections WHERE slug = 'zzst-b')::text, '-'),
	coalesce((SELECT video_count FROM performers WHERE slug = 'zzst-p1')::text, '-'),
	coalesce((SELECT video_count FROM performers WHERE slug = 'zzst-p2')::text, '-'));"

# in_tx NAME WANT SQL: run SQL in a transaction that is rolled back (the
# counter triggers are immediate, the deferred gate never runs), compare the
# last line printed with WANT.
in_tx() {
	local got
	got=$(printf 'BEGIN;\n%s\n%s\nROLLBACK;\n' "$3" "$COUNTS" | sql 2>&1 | tail -n 1)
	t_eq "$1" "$got" "$2"
}

# ------------------------------------------------------------- counters
V1="$(video_sql zzst-v1 zzst-a)$(link_sql zzst-v1 zzst-p1)"
in_tx "counters: insert published video" "1,0,1,0" "$V1"
in_tx "counters: insert unpublished video" "0,0,0,0" \
	"$(video_sql zzst-v1 zzst-a 1 false)$(link_sql zzst-v1 zzst-p1)"
in_tx "counters: hard delete" "0,0,0,0" "$V1 DELETE FROM videos WHERE slug = 'zzst-v1';"
in_tx "counters: soft delete" "0,0,0,0" "$V1 UPDATE videos SET deleted_at = now() WHERE slug = 'zzst-v1';"
in_tx "counters: undelete" "1,0,1,0" "$V1 UPDATE videos SET deleted_at = now() WHERE slug = 'zzst-v1';
	UPDATE videos SET deleted_at = NULL WHERE slug = 'zzst-v1';"
in_tx "counters: unpublish" "0,0,0,0" "$V1 UPDATE videos SET is_published = false WHERE slug = 'zzst-v1';"
in_tx "counters: publish" "1,0,1,0" "$V1 UPDATE videos SET is_published = false WHERE slug = 'zzst-v1';
	UPDATE videos SET is_published = true WHERE slug = 'zzst-v1';"
in_tx "counters: move to another collection" "0,1,1,0" "$V1
	UPDATE videos SET collection_id = (SELECT id FROM collections WHERE slug = 'zzst-b') WHERE slug = 'zzst-v1';"
in_tx "counters: soft-deleted video moved" "0,0,0,0" "$V1 UPDATE videos SET deleted_at = now() WHERE slug = 'zzst-v1';
	UPDATE videos SET collection_id = (SELECT id FROM collections WHERE slug = 'zzst-b') WHERE slug = 'zzst-v1';"
in_tx "counters: add performer link" "1,0,1,1" "$V1 $(link_sql zzst-v1 zzst-p2 2)"
in_tx "counters: remove performer link" "1,0,1,0" "$V1 $(link_sql zzst-v1 zzst-p2 2)
	DELETE FROM video_performers WHERE performer_id = (SELECT id FROM performers WHERE slug = 'zzst-p2');"
in_tx "counters: link moved to another performer" "1,0,0,1" "$V1
	UPDATE video_performers SET performer_id = (SELECT id FROM performers WHERE slug = 'zzst-p2')
	 WHERE video_id = (SELECT id FROM videos WHERE slug = 'zzst-v1');"
in_tx "counters: soft-deleted performer keeps its count" "1,0,1,0" "$V1
	UPDATE performers SET deleted_at = now() WHERE slug = 'zzst-p1';"
in_tx "counters: several videos in one statement" "2,1,3,0" "
	INSERT INTO videos (collection_id, title, slug, release_date, hls_manifest_url, thumbnail_url,
	    performer_count, is_published)
	SELECT (SELECT id FROM collections WHERE slug = c), 't', s, '2020-01-01', '/h', '/t', 1, true
	FROM (VALUES ('zzst-a', 'zzst-m1'), ('zzst-a', 'zzst-m2'), ('zzst-b', 'zzst-m3')) x(c, s);
	INSERT INTO video_performers (video_id, performer_id)
	SELECT v.id, (SELECT id FROM performers WHERE slug = 'zzst-p1') FROM videos v WHERE v.slug LIKE 'zzst-m%';"
in_tx "counters: unpublish several in one statement" "1,0,1,0" "
	INSERT INTO videos (collection_id, title, slug, release_date, hls_manifest_url, thumbnail_url,
	    performer_count, is_published)
	SELECT (SELECT id FROM collections WHERE slug = 'zzst-a'), 't', s, '2020-01-01', '/h', '/t', 1, true
	FROM (VALUES ('zzst-m1'), ('zzst-m2'), ('zzst-m3')) x(s);
	INSERT INTO video_performers (video_id, performer_id)
	SELECT v.id, (SELECT id FROM performers WHERE slug = 'zzst-p1') FROM videos v WHERE v.slug LIKE 'zzst-m%';
	UPDATE videos SET is_published = false WHERE slug IN ('zzst-m1', 'zzst-m2');"
in_tx "counters: hard delete of a performer" "1,0,1,-" "$V1 $(link_sql zzst-v1 zzst-p2 2)
	DELETE FROM performers WHERE slug = 'zzst-p2';"

# Every counter in the database equals a recount (seeded data included).
bad=$(q "SELECT (SELECT count(*) FROM collections c WHERE video_count <>
	        (SELECT count(*) FROM videos v WHERE v.collection_id = c.id AND v.is_published AND v.deleted_at IS NULL))
	   + (SELECT count(*) FROM performers p WHERE video_count <>
	        (SELECT count(*) FROM video_performers vp JOIN videos v ON v.id = vp.video_id
	         WHERE vp.performer_id = p.id AND v.is_published AND v.deleted_at IS NULL))")
t_eq "counters: all stored counters match a recount" "$bad" "0"

# 015: each link carries its video's sort keys and liveness for the
# filmography indexes; the triggers keep the copies equal to the video.
COPIES="SELECT count(*) FROM video_performers vp JOIN videos v ON v.id = vp.video_id
	WHERE vp.video_release_date IS DISTINCT FROM v.release_date OR vp.video_view_count <> v.view_count
	   OR vp.video_live <> (v.is_published AND v.deleted_at IS NULL)"
t_eq "filmography copies: every link matches its video" "$(q "$COPIES")" "0"
V9=$(video_sql zzst-f1 zzst-a)
got=$(printf 'BEGIN;\n%s\n%s\n%s\n%s\nROLLBACK;\n' "$V9" "$(link_sql zzst-f1 zzst-p1 1)" \
	"SELECT concat_ws(',', video_release_date, video_view_count, video_live) FROM video_performers
	  WHERE video_id = (SELECT id FROM videos WHERE slug = 'zzst-f1');" \
	"UPDATE videos SET view_count = 42, release_date = '2021-02-03', deleted_at = now() WHERE slug = 'zzst-f1';
	 SELECT concat_ws(',', video_release_date, video_view_count, video_live) FROM video_performers
	  WHERE video_id = (SELECT id FROM videos WHERE slug = 'zzst-f1');" | sql 2>&1 | grep -E '^[0-9]{4}-' | tr '\n' ' ')
t_eq "filmography copies: a new link copies, a video update propagates" "$got" "2020-01-01,0,t 2021-02-03,42,f "

# 020: live videos counted by collection, release month and day, and
# quality (the collection pages' newest sort and quality totals); rows equal
# to a recount (rows counted zero may stay), after every kind of write in
# one transaction, and in the database as it is.
MONTHS="WITH t AS (SELECT collection_id, u.is_day,
	    CASE WHEN u.is_day THEN release_date ELSE marquee_release_month(release_date) END AS start,
	    count(*) AS n, count(*) FILTER (WHERE has_4k) AS n_4k, count(*) FILTER (WHERE has_1080p) AS n_1080p,
	    count(*) FILTER (WHERE has_720p) AS n_720p, count(*) FILTER (WHERE has_480p) AS n_480p
	  FROM videos CROSS JOIN (VALUES (false), (true)) u(is_day)
	  WHERE is_published AND deleted_at IS NULL GROUP BY 1, 2, 3),
	m AS (SELECT collection_id, is_day, start, n, n_4k, n_1080p, n_720p, n_480p FROM collection_release_counts
	  WHERE (n, n_4k, n_1080p, n_720p, n_480p) <> (0, 0, 0, 0, 0))
	SELECT (SELECT count(*) FROM (TABLE t EXCEPT TABLE m) a) + (SELECT count(*) FROM (TABLE m EXCEPT TABLE t) b)"
t_eq "release counts: match a recount" "$(q "$MONTHS")" "0"
got=$(printf 'BEGIN;\n%s\n%s\n%s\nROLLBACK;\n' "$V1$(video_sql zzst-v2 zzst-a)$(video_sql zzst-v3 zzst-b)" \
	"UPDATE videos SET has_4k = true, release_date = '2019-05-31' WHERE slug = 'zzst-v1';
	 UPDATE videos SET collection_id = (SELECT id FROM collections WHERE slug = 'zzst-b') WHERE slug = 'zzst-v2';
	 UPDATE videos SET is_published = false WHERE slug = 'zzst-v3';
	 UPDATE videos SET is_published = true WHERE slug = 'zzst-v3';
	 UPDATE videos SET deleted_at = now() WHERE slug = 'zzst-v3';
	 DELETE FROM videos WHERE slug = 'zzst-v2';
	 SELECT string_agg(c.slug || ':' || m.start || ':' || m.n || ':' || m.n_4k, ' ' ORDER BY c.slug, m.is_day, m.start)
	   FROM collection_release_counts m JOIN collections c ON c.id = m.collection_id
	  WHERE c.slug LIKE 'zzst-%' AND m.n <> 0;" "$MONTHS" | sql 2>&1 | tail -n 2 | tr '\n' ' ')
t_eq "release counts: follow publish, delete, move, release date and quality changes" "$got" \
	"zzst-a:2019-05-01:1:1 zzst-a:2019-05-31:1:1 0 "

# 021: a static PL/pgSQL statement keeps the plan of its first call for the
# session, sized for that call's transition tables (after a 0-row UPDATE, a
# nested loop over old_rows x new_rows: 220 s for the search tier's first
# refresh).  So no trigger function may read its transition tables outside
# the text it EXECUTEs ($q$...$q$ bodies and quoted strings are removed
# before looking for the tables' names).
got=$(q "SELECT coalesce(string_agg(DISTINCT p.proname, ' '), 'none')
	  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
	 WHERE NOT t.tgisinternal AND (t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL)
	   AND regexp_replace(regexp_replace(p.prosrc, '\\\$q\\\$.*?\\\$q\\\$', '', 'g'), '''[^'']*''', '', 'g')
	       ~ ('\\m(' || concat_ws('|', t.tgoldtable, t.tgnewtable) || ')\\M')")
t_eq "triggers: transition tables are read only by statements planned at each call" "$got" "none"
got=$(q "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND (tgoldtable IS NOT NULL OR tgnewtable IS NOT NULL)")
t_ok "triggers: the check above saw the transition-table triggers ($got)" test "$got" -ge 11

# ----------------------------------------------------------- updated_at
got=$(printf '%s\n' "BEGIN;
	UPDATE collections SET updated_at = '2000-01-01' WHERE slug = 'zzst-a';
	UPDATE collections SET description = 'changed' WHERE slug = 'zzst-a';
	SELECT updated_at = CURRENT_TIMESTAMP::timestamp FROM collections WHERE slug = 'zzst-a';
	ROLLBACK;" | sql 2>&1 | tail -n 1)
t_eq "updated_at: set on update" "$got" "t"
got=$(printf '%s\n' "BEGIN;
	UPDATE performers SET updated_at = '2000-01-01' WHERE slug = 'zzst-p1';
	UPDATE performers SET video_count = video_count WHERE slug = 'zzst-p1';
	UPDATE performers SET video_count = 7 WHERE slug = 'zzst-p1';
	SELECT updated_at FROM performers WHERE slug = 'zzst-p1';
	ROLLBACK;" | sql 2>&1 | tail -n 1)
t_eq "updated_at: a counter-only change is not an edit" "$got" "2000-01-01 00:00:00"
got=$(printf '%s\n' "BEGIN;
	UPDATE collections SET description = 'x', updated_at = '2001-02-03' WHERE slug = 'zzst-a';
	SELECT updated_at FROM collections WHERE slug = 'zzst-a';
	ROLLBACK;" | sql 2>&1 | tail -n 1)
t_eq "updated_at: an explicit value is kept" "$got" "2001-02-03 00:00:00"
for t in videos users subscriptions social_media_links jurisdiction_rules; do
	n=$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid = '$t'::regclass AND tgname = '${t}_updated_at'")
	t_eq "updated_at: trigger on $t" "$n" "1"
done

# ----------------------------------------------------------- 2257 gate
# commit_fails NAME REGEX SQL: the transaction must fail at COMMIT with a
# message matching REGEX, and leave nothing behind.
commit_fails() {
	local out rc
	out=$(printf 'BEGIN;\n%s\nSELECT '"'"'before-commit'"'"';\nCOMMIT;\n' "$3" | sql 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		t_fail "$1" "commit succeeded"
	elif ! printf '%s' "$out" | grep -q before-commit; then
		t_fail "$1" "failed before COMMIT: $(printf '%s' "$out" | tail -n 1)"
	else
		t_match "$1" "$out" "$2"
	fi
}

commit_fails "2257: under-18 performer refused at commit" \
	'zzst-g1.*zzst-p3.*under 18' "$(video_sql zzst-g1 zzst-a)$(link_sql zzst-g1 zzst-p3)"
t_eq "2257: refused video was not stored" "$(q "SELECT count(*) FROM videos WHERE slug = 'zzst-g1'")" "0"
commit_fails "2257: performer without legal name refused" \
	'zzst-g2.*zzst-p4.*legal name' "$(video_sql zzst-g2 zzst-a)$(link_sql zzst-g2 zzst-p4)"
commit_fails "2257: performer_count must match the links" \
	'zzst-g3.*performer_count is 2' "$(video_sql zzst-g3 zzst-a 2)$(link_sql zzst-g3 zzst-p1)"
commit_fails "2257: published video without performers refused" \
	'zzst-g4.*0 performers' "$(video_sql zzst-g4 zzst-a)"
commit_fails "2257: publishing later is checked too" 'zzst-g5.*under 18' \
	"$(video_sql zzst-g5 zzst-a 1 false)$(link_sql zzst-g5 zzst-p3)
	UPDATE videos SET is_published = true WHERE slug = 'zzst-g5';"
# Born on 29 February (018): 18 on 1 March of a year without it, not a day earlier.
LEAP="INSERT INTO performers (name, slug, legal_name, date_of_birth)
	VALUES ('zzst P5', 'zzst-p5', 'Legal Five', '2000-02-29');"
commit_fails "2257: born on 29 February, not yet 18 on 28 February" 'zzst-g6.*zzst-p5.*under 18' \
	"$LEAP $(video_sql zzst-g6 zzst-a)$(link_sql zzst-g6 zzst-p5)
	UPDATE videos SET release_date = '2018-02-28' WHERE slug = 'zzst-g6';"
out=$(printf 'BEGIN;\n%s\n%s%s\nUPDATE videos SET release_date = %s WHERE slug = %s;\nCOMMIT;\n' "$LEAP" \
	"$(video_sql zzst-g7 zzst-a)" "$(link_sql zzst-g7 zzst-p5)" "'2018-03-01'" "'zzst-g7'" | sql 2>&1)
t_eq "2257: born on 29 February, 18 on 1 March" "$out$(q "SELECT count(*) FROM videos WHERE slug = 'zzst-g7'")" "1"
t_eq "2257: marquee_adult_on on the days around birthdays" \
	"$(q "SELECT concat_ws(',', marquee_adult_on('2004-03-15', '2022-03-14'), marquee_adult_on('2004-03-15', '2022-03-15'),
	        marquee_adult_on('2004-02-29', '2022-02-28'), marquee_adult_on('2004-02-29', '2022-03-01'),
	        marquee_adult_on('2000-02-29', '2018-02-28'), marquee_adult_on('1996-02-29', '2014-02-28'),
	        marquee_adult_on('1996-02-29', '2014-03-01'))")" "f,t,f,t,f,f,t"

if out=$(printf 'BEGIN;\n%s%s%sCOMMIT;\n' "$(video_sql zzst-ok zzst-a 2)" \
	"$(link_sql zzst-ok zzst-p2 2)" "$(link_sql zzst-ok zzst-p1 1)" | sql 2>&1); then
	t_pass "2257: published video, then its performers, in one transaction"
else
	t_fail "2257: published video, then its performers, in one transaction" "$out"
fi
t_eq "2257: compliant video reports no violation" \
	"$(q "SELECT coalesce(marquee_2257_violation(id), 'none') FROM videos WHERE slug = 'zzst-ok'")" "none"
commit_fails "2257: date of birth change that breaks a published video" \
	'zzst-ok.*zzst-p1.*under 18' "UPDATE performers SET date_of_birth = '2005-01-01' WHERE slug = 'zzst-p1';"
commit_fails "2257: clearing a legal name of a published video's performer" \
	'zzst-ok.*legal name' "UPDATE performers SET legal_name = NULL WHERE slug = 'zzst-p2';"
commit_fails "2257: removing a performer of a published video" 'zzst-ok' \
	"DELETE FROM video_performers WHERE video_id = (SELECT id FROM videos WHERE slug = 'zzst-ok')
	   AND performer_id = (SELECT id FROM performers WHERE slug = 'zzst-p2');"
commit_fails "2257: removing the last performers of a published video" 'zzst-ok.*0 performers' \
	"DELETE FROM video_performers WHERE video_id = (SELECT id FROM videos WHERE slug = 'zzst-ok');"
commit_fails "2257: moving the release date before a performer's 18th birthday" 'zzst-ok.*under 18' \
	"UPDATE videos SET release_date = '1995-01-01' WHERE slug = 'zzst-ok';"
out=$(q "BEGIN; UPDATE performers SET deleted_at = now() WHERE slug = 'zzst-p2'; COMMIT;")
t_eq "2257: soft-deleting a performer of a published video is allowed" "$out" ""
out=$(q "BEGIN; DELETE FROM video_performers WHERE video_id = (SELECT id FROM videos WHERE slug = 'zzst-ok');
	UPDATE videos SET is_published = false WHERE slug = 'zzst-ok'; COMMIT;")
t_eq "2257: unpublished videos may lose their performers" "$out" ""

# ---------------------------------------------------------- constraints
out=$(q "DELETE FROM collections WHERE slug = 'zzst-a'")
t_match "constraints: deleting a collection with videos is refused" "$out" 'violates foreign key constraint'
out=$(q "BEGIN; $(video_sql zzst-ok zzst-b) ROLLBACK;")
t_match "constraints: video slugs are unique" "$out" 'duplicate key.*videos_slug_key'
out=$(q "UPDATE collections SET color_scheme = '{\"primary\": \"red;}\", \"accent\": \"#fff\"}' WHERE slug = 'zzst-a'")
t_match "constraints: colour scheme values are checked" "$out" 'collections_color_scheme_format'
out=$(q "UPDATE collections SET slug = 'Bad Slug' WHERE slug = 'zzst-a'")
t_match "constraints: slug format is checked" "$out" 'collections_slug_format'
out=$(q "UPDATE performers SET video_count = -1 WHERE slug = 'zzst-p1'")
t_match "constraints: counters cannot go negative" "$out" 'performers_video_count_nonneg'
out=$(q "INSERT INTO photos (photo_type, url) VALUES ('video_still', '/x')")
t_match "constraints: a photo needs a video or a performer" "$out" 'check_photo_relationship'
out=$(q "INSERT INTO photos (performer_id, photo_type, url)
	VALUES ((SELECT id FROM performers WHERE slug = 'zzst-p1'), 'selfie', '/x')")
t_match "constraints: photo types are checked" "$out" 'photos_photo_type_check'
dups=$(q "SELECT count(*) FROM pg_indexes WHERE indexname IN
	('idx_collections_slug', 'idx_performers_slug', 'idx_users_email', 'idx_users_username', 'idx_videos_slug')")
t_eq "indexes: no duplicates of UNIQUE constraints' indexes" "$dups" "0"
n=$(q "SELECT count(*) FROM pg_indexes WHERE indexname IN ('idx_videos_fulltext', 'idx_performers_fulltext',
	'idx_videos_title_trgm', 'idx_performers_name_trgm', 'idx_top_performers_id', 'idx_videos_coll_newest')")
t_eq "indexes: full-text, trigram, view and page indexes exist" "$n" "6"
out=$(q "REFRESH MATERIALIZED VIEW CONCURRENTLY top_performers")
t_eq "top_performers: refreshes concurrently" "$out" ""
if [ "$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'marquee_app'")" = 1 ]; then
	got=$(q "SELECT has_table_privilege('marquee_app', 'videos', 'SELECT,INSERT,UPDATE,DELETE')::text || ','
	       || has_table_privilege('marquee_app', 'schema_migrations', 'SELECT')::text || ','
	       || has_schema_privilege('marquee_app', 'public', 'CREATE')::text")
	t_eq "app role: data privileges only" "$got" "true,false,false"
	# 017: the site appends to billing_outbox; only the owner (marqueectl
	# billing-send) reads it and marks rows sent.  Again after re-granting.
	outbox_privs="SELECT string_agg(p || '=' || has_table_privilege('marquee_app', 'billing_outbox', p), ',')
		FROM unnest(ARRAY['INSERT', 'SELECT', 'UPDATE', 'DELETE', 'TRUNCATE']) p"
	t_eq "app role: billing_outbox is insert-only" "$(q "$outbox_privs")" \
		"INSERT=true,SELECT=false,UPDATE=false,DELETE=false,TRUNCATE=false"
	q "SELECT marquee_grant_app()" >/dev/null
	t_eq "app role: billing_outbox stays insert-only after marquee_grant_app()" "$(q "$outbox_privs")" \
		"INSERT=true,SELECT=false,UPDATE=false,DELETE=false,TRUNCATE=false"
else
	t_skip "app role: data privileges only" "no marquee_app role"
	t_skip "app role: billing_outbox is insert-only" "no marquee_app role"
fi

cleanup

# --------------------------------------------------------- marqueectl migrate
out=$(MARQUEE_DATABASE_URL=$DB "$CTL" migrate --dir "$MIGRATIONS" status 2>&1)
UPS=("$MIGRATIONS"/*.up.sql)
NMIG=${#UPS[@]}
last=$(basename "${UPS[NMIG - 1]}" .up.sql)
t_match "migrate: status lists applied migrations" "$out" "applied +001_initial_schema"
t_match "migrate: status shows the newest migration applied" "$out" "applied +$last "
t_match "migrate: status shows nothing pending" "$out" " 0 pending"
out=$(MARQUEE_DATABASE_URL=$DB "$CTL" migrate --dir "$MIGRATIONS" up 2>&1)
t_eq "migrate: up on a migrated database" "$out" "up to date"
out=$(MARQUEE_DATABASE_URL=$DB "$CTL" migrate --dir "$MIGRATIONS" sideways 2>&1)
t_eq "migrate: unknown action is a usage error" "$?" "2"

# --------------------------------------------- example jurisdiction rules
# deploy/examples/jurisdictions.sql loads, twice (re-running updates), and
# says what it should; in a transaction rolled back, so the stack keeps its
# own rules.  Its BEGIN/COMMIT are taken out to nest it in ours.
EXJ=$SRC/deploy/examples/jurisdictions.sql
body=$(sed -e '/^BEGIN;$/d' -e '/^COMMIT;$/d' "$EXJ")
got=$(printf 'BEGIN;\n%s\n%s\n%s\nROLLBACK;\n' "$body" "$body" \
	"SELECT count(*) || ',' || count(*) FILTER (WHERE rule = 'verify') || ',' ||
	        bool_and(note <> '') FROM jurisdiction_rules WHERE (country_code, region) IN
	        (('US', 'TX'), ('US', 'UT'), ('GB', ''), ('FR', ''));" | sql 2>&1 | tail -n 1)
t_eq "example jurisdictions: load twice, Texas, Utah, UK and France need a verified age" "$got" "4,4,true"

# ------------------------------------------------- throwaway database checks
TDB=marquee_schema_test_$$
TURL=$(db_url_for "$TDB")
if ! out=$(q "CREATE DATABASE $TDB" 2>&1) || printf '%s' "$out" | grep -q ERROR; then
	why="cannot create a throwaway database: $(printf '%s' "$out" | head -n 1)"
	for c in "migrate: up on an empty database" "migrate: two concurrent migrators" \
		"dataset: loads into the migrated schema" "migrate: down all" "migrate: up after down all" \
		"migrate: checksum tamper refused" "seed: idempotent"; do
		t_skip "$c" "$why"
	done
	exit 0
fi
tctl() { MARQUEE_DATABASE_URL=$TURL "$CTL" "$@"; }
tq() { psql "$TURL" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

# Two migrators at once: the advisory lock makes them apply each migration once.
tctl migrate --dir "$MIGRATIONS" up >/dev/null 2>&1 &
p1=$!
tctl migrate --dir "$MIGRATIONS" up >/dev/null 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
t_eq "migrate: up on an empty database" "$r1,$r2" "0,0"
got=$(tq "SELECT count(*) || ',' || count(DISTINCT version) FROM schema_migrations")
t_eq "migrate: two concurrent migrators" "$got" "$NMIG,$NMIG"

# The shared dataset: same table and column names, deferred gate at commit.
DATASET=${MARQUEE_SHARED:-$SRC/../shared}/bench/dataset.sql
if [ -f "$DATASET" ]; then
	if out=$(psql "$TURL" -X -q -v ON_ERROR_STOP=1 -f "$DATASET" 2>&1 >/dev/null); then
		t_pass "dataset: loads into the migrated schema"
		got=$(tq "SELECT (SELECT count(*) FROM videos) || ',' || (SELECT count(*) FROM collections c WHERE
		        video_count <> (SELECT count(*) FROM videos v WHERE v.collection_id = c.id
		                        AND v.is_published AND v.deleted_at IS NULL))")
		t_eq "dataset: counters agree with the triggers" "$got" "20000,0"
		t_eq "dataset: filmography copies agree with the videos" "$(tq "$COPIES")" "0"
		t_eq "dataset: release counts agree with the videos" "$(tq "$MONTHS")" "0"
	else
		t_fail "dataset: loads into the migrated schema" "$(printf '%s' "$out" | head -n 3)"
	fi
else
	t_skip "dataset: loads into the migrated schema" "$DATASET not found"
fi

out=$(tctl migrate --dir "$MIGRATIONS" down all 2>&1)
left=$(tq "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relname NOT LIKE 'schema_migrations%'")
fns=$(tq "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	WHERE n.nspname = 'public'")
t_eq "migrate: down all" "$left,$fns,$(tq 'SELECT count(*) FROM schema_migrations')" "0,0,0"
out=$(tctl migrate --dir "$MIGRATIONS" up 2>&1)
t_match "migrate: up after down all" "$out" "$NMIG migrations applied"

# Seed twice: the second run inserts nothing and changes no count.
counts() {
	tq "SELECT (SELECT count(*) FROM collections) || ',' || (SELECT count(*) FROM performers) || ','
	    || (SELECT count(*) FROM videos) || ',' || (SELECT count(*) FROM video_performers) || ','
	    || (SELECT count(*) FROM photos) || ',' || (SELECT count(*) FROM social_media_links) || ','
	    || (SELECT sum(video_count) FROM collections) || ',' || (SELECT max(updated_at) FROM videos)"
}
if tctl seed --no-media >/dev/null 2>&1; then
	c1=$(counts)
	out=$(tctl seed --no-media 2>&1)
	c2=$(counts)
	if [ "$c1" = "$c2" ] && printf '%s' "$out" | grep -q ' 0 of [0-9]* videos'; then
		t_pass "seed: idempotent"
	else
		t_fail "seed: idempotent" "first $c1, then $c2: $out"
	fi
	got=$(tq "SELECT (SELECT count(*) FROM collections) >= 7 AND (SELECT count(*) FROM performers) >= 40
	          AND (SELECT count(*) FROM videos WHERE is_published) >= 200
	          AND (SELECT count(*) FROM collections WHERE featured_video_id IS NULL) = 0
	          AND NOT EXISTS (SELECT 1 FROM videos WHERE marquee_2257_violation(id) IS NOT NULL)")
	t_eq "seed: demo catalog size, featured videos, 2257-compliant" "$got" "t"
else
	t_fail "seed: idempotent" "seed failed"
fi

# An applied migration's file changed: up refuses, naming the file.
TMPD=$(mktemp -d)
cp "$MIGRATIONS"/*.sql "$TMPD"/
echo "-- tampered" >>"$TMPD/002_triggers_counters.up.sql"
out=$(tctl migrate --dir "$TMPD" up 2>&1)
rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q '002_triggers_counters.up.sql was changed'; then
	t_pass "migrate: checksum tamper refused"
else
	t_fail "migrate: checksum tamper refused" "exit $rc: $out"
fi
out=$(tctl migrate --dir "$TMPD" status 2>&1)
t_match "migrate: status shows the changed file" "$out" "changed +002_triggers_counters"

# A migration that fails half-way leaves nothing behind (one transaction).
cp "$MIGRATIONS"/002_triggers_counters.up.sql "$TMPD"/
printf 'CREATE TABLE zzst_partial (a int);\nSELECT 1/0;\n' >"$TMPD/999_zzst_broken.up.sql"
printf 'DROP TABLE zzst_partial;\n' >"$TMPD/999_zzst_broken.down.sql"
out=$(tctl migrate --dir "$TMPD" up 2>&1)
rc=$?
got="$rc,$(tq "SELECT to_regclass('zzst_partial') IS NULL")"
got="$got,$(tq "SELECT count(*) FROM schema_migrations WHERE version = 999")"
if [ "$got" = "1,t,0" ] && printf '%s' "$out" | grep -q '999_zzst_broken.up.sql.*division by zero'; then
	t_pass "migrate: a failing migration is not applied at all"
else
	t_fail "migrate: a failing migration is not applied at all" "$got: $out"
fi
rm -rf "$TMPD"

q "DROP DATABASE $TDB" >/dev/null

# A database that does not store UTF-8 is refused (db.c): pages build their
# JSON from its strings without checking them again.
ADB=marquee_schema_ascii_$$
if q "CREATE DATABASE $ADB ENCODING 'SQL_ASCII' LOCALE 'C' TEMPLATE template0" >/dev/null 2>&1; then
	out=$(MARQUEE_DATABASE_URL=$(db_url_for "$ADB") "$CTL" migrate --dir "$MIGRATIONS" status 2>&1)
	rc=$?
	if [ "$rc" != 0 ] && printf '%s' "$out" | grep -q "encoding is SQL_ASCII, not UTF8"; then
		t_pass "database: an encoding other than UTF-8 is refused"
	else
		t_fail "database: an encoding other than UTF-8 is refused" "exit $rc: $out"
	fi
	q "DROP DATABASE $ADB" >/dev/null
else
	t_skip "database: an encoding other than UTF-8 is refused" "cannot create a SQL_ASCII database"
fi
