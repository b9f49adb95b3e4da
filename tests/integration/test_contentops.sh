#!/usr/bin/env bash
# test_contentops.sh - marqueectl content operations (issue 7): import and
# its validation, export round trip, the 2257 publish gate, check-2257,
# delete/restore/purge, feature, refresh, user commands, backup/restore.
#
# Environment:
#   MARQUEE_DATABASE_URL  a migrated (and seeded) database this script may
#                         write to, as its owner.  Its own rows use slugs
#                         starting with "example-" (deploy/examples/catalog.json)
#                         or "zzco-" and e-mails "zzco-*"; they are removed at
#                         the end.  `purge --older-than 30` also removes any
#                         other row soft-deleted over 30 days ago (the seeded
#                         test database has none).
#   MARQUEE_BIN           directory holding marqueectl
#   MARQUEE_SRC           the source tree (migrations, deploy/examples)
#   MARQUEE_TEST_URL      the running site; when set, deleted items are
#                         checked gone from their pages, search and sitemap
#
# The export -> import round trip and backup -> drop -> restore run in
# throwaway databases made with CREATE DATABASE on the same server and
# dropped afterwards; they are SKIPped when the role may not create databases.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

SRC=${MARQUEE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
BIN=${MARQUEE_BIN:-$SRC}
CTL=$BIN/marqueectl
EXAMPLE=$SRC/deploy/examples/catalog.json
DB=${MARQUEE_DATABASE_URL:-}

if [ -z "$DB" ]; then
	t_skip "contentops: all checks" "MARQUEE_DATABASE_URL is not set"
	exit 0
fi
if [ ! -x "$CTL" ]; then
	t_fail "contentops: marqueectl exists" "$CTL not found (MARQUEE_BIN)"
	exit 0
fi

TMPD=$(mktemp -d)
EXTRA_DBS=()

sql() { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
q() { sql -c "$1" 2>&1; }
# ctl ARGS...: marqueectl against the test database; output in $OUT/$ERR, status in $RC.
ctl() {
	MARQUEE_DATABASE_URL=$DB "$CTL" "$@" >"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	OUT=$(cat "$TMPD/out")
	ERR=$(cat "$TMPD/err")
}
# Connection string for another database on the same server (URI or key=value).
db_url_for() {
	case $DB in
	postgres://* | postgresql://*)
		printf '%s' "$DB" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$1#" ;;
	*) printf '%s dbname=%s' "$DB" "$1" ;;
	esac
}
# Row counts of the catalog tables, one string.
COUNTS="SELECT concat_ws(' ', (SELECT count(*) FROM collections), (SELECT count(*) FROM performers),
	(SELECT count(*) FROM videos), (SELECT count(*) FROM photos),
	(SELECT count(*) FROM social_media_links), (SELECT count(*) FROM video_performers))"
counts() { psql "${1:-$DB}" -X -q -A -t -c "$COUNTS" 2>&1; }

cleanup_rows() {
	sql >/dev/null 2>&1 <<-'EOF'
		UPDATE collections SET featured_video_id = NULL
		 WHERE featured_video_id IN (SELECT id FROM videos WHERE slug LIKE 'example-%' OR slug LIKE 'zzco-%');
		DELETE FROM videos WHERE slug LIKE 'example-%' OR slug LIKE 'zzco-%';
		DELETE FROM performers WHERE slug LIKE 'example-%' OR slug LIKE 'zzco-%';
		DELETE FROM collections WHERE slug LIKE 'example-%' OR slug LIKE 'zzco-%';
		DELETE FROM users WHERE email LIKE 'zzco-%';
	EOF
}
finish() {
	cleanup_rows
	for d in "${EXTRA_DBS[@]}"; do
		sql -c "DROP DATABASE IF EXISTS \"$d\"" >/dev/null 2>&1
	done
	rm -rf "$TMPD"
}
trap finish EXIT
cleanup_rows

# ------------------------------------------------------------------ import
ctl import "$EXAMPLE"
t_eq "import: example file exits 0" "$RC" "0"
t_match "import: reports created collections" "$OUT" "collections: 2 created, 0 updated, 0 unchanged"
t_match "import: reports created performers" "$OUT" "performers: 3 created, 0 updated, 0 unchanged"
t_match "import: reports created videos" "$OUT" "videos: 3 created, 0 updated, 0 unchanged"
t_match "import: reports created photos" "$OUT" "photos: 3 created, 0 updated, 0 unchanged"
t_eq "import: billing order kept" \
	"$(q "SELECT string_agg(p.slug, ',' ORDER BY vp.billing_order) FROM video_performers vp
	      JOIN performers p ON p.id = vp.performer_id JOIN videos v ON v.id = vp.video_id
	      WHERE v.slug = 'example-meadow-draft'")" "example-performer-three,example-performer-one"
t_eq "import: featured video and colours set" \
	"$(q "SELECT v.slug || ' ' || (c.color_scheme->>'primary') FROM collections c
	      JOIN videos v ON v.id = c.featured_video_id WHERE c.slug = 'example-city-lights'")" \
	"example-rooftop-evening #1e3a5f"
t_eq "import: qualities and published_at" \
	"$(q "SELECT concat_ws(',', has_480p, has_720p, has_1080p, has_4k, published_at)
	      FROM videos WHERE slug = 'example-rooftop-evening'")" "t,t,f,f,2024-05-02 09:00:00"
t_eq "import: social links" "$(q "SELECT count(*) FROM social_media_links s JOIN performers p
	ON p.id = s.performer_id WHERE p.slug = 'example-performer-one'")" "2"

after_first=$(counts)
ctl import "$EXAMPLE"
t_eq "import: second run exits 0" "$RC" "0"
t_match "import: second run changes nothing (videos)" "$OUT" "videos: 0 created, 0 updated, 3 unchanged"
t_match "import: second run changes nothing (collections)" "$OUT" "collections: 0 created, 0 updated, 2 unchanged"
t_match "import: second run changes nothing (photos)" "$OUT" "photos: 0 created, 0 updated, 3 unchanged"
t_eq "import: second run leaves row counts" "$(counts)" "$after_first"

sed 's/"Example: Harbour Walk"/"Example: Harbour Walk (recut)"/' "$EXAMPLE" >"$TMPD/changed.json"
ctl import "$TMPD/changed.json"
t_match "import: a changed field updates one video" "$OUT" "videos: 0 created, 1 updated, 2 unchanged"
t_eq "import: the change is stored" \
	"$(q "SELECT title FROM videos WHERE slug = 'example-harbour-walk'")" "Example: Harbour Walk (recut)"

ctl import - <"$EXAMPLE"
t_match "import: from standard input" "$OUT" "videos: 0 created, 1 updated, 2 unchanged"

ctl import --dry-run "$TMPD/changed.json"
t_match "import: --dry-run reports" "$OUT" "dry run: rolled back"
t_eq "import: --dry-run changes nothing" \
	"$(q "SELECT title FROM videos WHERE slug = 'example-harbour-walk'")" "Example: Harbour Walk"

# -------------------------------------------------------- validation errors
# Building blocks: a valid collection, performer and video.
C='{"slug":"zzco-c","name":"zzco C"}'
P='{"slug":"zzco-p","name":"zzco P","legal_name":"Legal P","date_of_birth":"1990-01-01"}'
V='"slug":"zzco-v","collection":"zzco-c","title":"zzco V","hls_manifest_url":"/hls/x.m3u8","thumbnail_url":"https://cdn.example.com/t.jpg"'

# bad NAME REGEX JSON: importing JSON exits 1, names the place (REGEX on
# stderr), says nothing changed, and the row counts stay those of before the
# first rejected file.
BAD_BEFORE=$(counts)
bad() {
	local name=$1 want=$2 now
	printf '%s' "$3" >"$TMPD/bad.json"
	ctl import "$TMPD/bad.json"
	now=$(counts)
	if [ "$RC" = 1 ] && printf '%s' "$ERR" | grep -Eq -- "$want" &&
		printf '%s' "$ERR" | grep -q "nothing was changed" && [ "$now" = "$BAD_BEFORE" ]; then
		t_pass "import rejects: $name"
	else
		t_fail "import rejects: $name" "rc=$RC counts $BAD_BEFORE -> $now; stderr: $(printf '%s' "$ERR" | head -c 300)"
	fi
}

bad "JSON syntax (line:column)" 'bad.json:3:[0-9]+' $'{"collections": [\n  {"slug": "zzco-c",\n  ]}'
bad "duplicate key" 'duplicate' '{"version":1,"version":1}'
bad "not an object" '\(top\): must be an object' '[1,2]'
bad "unknown version" '^import: version: must be 1' '{"version":2}'
bad "unknown top-level key" '^import: movies: unknown key' '{"movies":[]}'
bad "unknown field" 'collections\[0\]\.nmae: unknown key' '{"collections":[{"slug":"zzco-c","nmae":"x","name":"y"}]}'
bad "missing required field" 'videos\[0\]\.title: is required' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{\"slug\":\"zzco-v\",\"collection\":\"zzco-c\",\"hls_manifest_url\":\"/h.m3u8\",\"thumbnail_url\":\"/t.jpg\",\"performers\":[\"zzco-p\"]}]}"
bad "null required field" 'collections\[0\]\.name: is required' '{"collections":[{"slug":"zzco-c","name":null}]}'
bad "empty name" 'collections\[0\]\.name: must not be empty' '{"collections":[{"slug":"zzco-c","name":"  "}]}'
bad "slug format" 'performers\[0\]\.slug: must be a slug' '{"performers":[{"slug":"Bad Slug","name":"x"}]}'
bad "slug with double hyphen" 'performers\[0\]\.slug: must be a slug' '{"performers":[{"slug":"a--b","name":"x"}]}'
bad "javascript: URL" 'videos\[0\]\.hls_manifest_url: .*http:// or https://' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{\"slug\":\"zzco-v\",\"collection\":\"zzco-c\",\"title\":\"t\",\"hls_manifest_url\":\"javascript:alert(1)\",\"thumbnail_url\":\"/t.jpg\",\"performers\":[\"zzco-p\"]}]}"
bad "protocol-relative URL" 'collections\[0\]\.thumbnail_url' '{"collections":[{"slug":"zzco-c","name":"x","thumbnail_url":"//evil.example/x.jpg"}]}'
bad "URL with a quote" 'performers\[0\]\.profile_photo_url: .*quotes' '{"performers":[{"slug":"zzco-p","name":"x","profile_photo_url":"https://a.example/\"onerror=x"}]}'
bad "URL without host" 'performers\[0\]\.social_links\[0\]\.url: .*no host' '{"performers":[{"slug":"zzco-p","name":"x","social_links":[{"platform":"instagram","handle":"h","url":"https:///x"}]}]}'
bad "colour scheme value" 'collections\[0\]\.color_scheme: primary must be a colour' '{"collections":[{"slug":"zzco-c","name":"x","color_scheme":{"primary":"red","accent":"#000000"}}]}'
bad "colour scheme missing accent" 'collections\[0\]\.color_scheme: needs both' '{"collections":[{"slug":"zzco-c","name":"x","color_scheme":{"primary":"#ffffff"}}]}'
bad "unknown quality" 'videos\[0\]\.qualities\[1\]: must be one of' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"qualities\":[\"480p\",\"8k\"],\"performers\":[\"zzco-p\"]}]}"
bad "no performers" 'videos\[0\]\.performers: must list 1 to 10 entries, not 0' \
	"{\"collections\":[$C],\"videos\":[{$V,\"performers\":[]}]}"
bad "eleven performers" 'videos\[0\]\.performers: must list 1 to 10 entries, not 11' \
	"{\"collections\":[$C],\"videos\":[{$V,\"performers\":[\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\",\"a9\",\"a10\",\"a11\"]}]}"
bad "performer listed twice" 'videos\[0\]\.performers\[1\]: "zzco-p" is listed twice' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"performers\":[\"zzco-p\",\"zzco-p\"]}]}"
bad "duplicate slug in the file" 'performers\[1\]\.slug: duplicate slug "zzco-p" \(first at performers\[0\]\)' \
	"{\"performers\":[$P,$P]}"
bad "duplicate collection name" 'collections\[1\]\.name: duplicate name' \
	'{"collections":[{"slug":"zzco-c","name":"same"},{"slug":"zzco-d","name":"same"}]}'
bad "impossible date" 'performers\[0\]\.date_of_birth: must be a date' '{"performers":[{"slug":"zzco-p","name":"x","date_of_birth":"2023-02-29"}]}'
bad "bad timestamp" 'videos\[0\]\.published_at: must be a UTC time' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"is_published\":true,\"release_date\":\"2020-01-01\",\"published_at\":\"2020-01-01 10:00\",\"performers\":[\"zzco-p\"]}]}"
bad "published_at without is_published" 'videos\[0\]\.published_at: is set but is_published' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"published_at\":\"2020-01-01T10:00:00Z\",\"performers\":[\"zzco-p\"]}]}"
bad "wrong type" 'videos\[0\]\.is_published: must be true or false' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"is_published\":\"yes\",\"performers\":[\"zzco-p\"]}]}"
bad "negative duration" 'videos\[0\]\.duration_seconds: must be an integer from 0' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"duration_seconds\":-5,\"performers\":[\"zzco-p\"]}]}"
bad "photo type" 'videos\[0\]\.photos\[0\]\.photo_type: must be one of' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"performers\":[\"zzco-p\"],\"photos\":[{\"photo_type\":\"selfie\",\"url\":\"/p.jpg\"}]}]}"
bad "duplicate photo url" 'videos\[0\]\.photos\[1\]\.url: duplicate photo url' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"performers\":[\"zzco-p\"],\"photos\":[{\"photo_type\":\"video_still\",\"url\":\"/p.jpg\"},{\"photo_type\":\"video_still\",\"url\":\"/p.jpg\"}]}]}"
bad "performer key on a performer photo" 'performers\[0\]\.photos\[0\]\.performer: unknown key' \
	'{"performers":[{"slug":"zzco-p","name":"x","photos":[{"photo_type":"profile","url":"/p.jpg","performer":"zzco-p"}]}]}'
bad "social platform twice" 'performers\[0\]\.social_links\[1\]\.platform: duplicate' \
	'{"performers":[{"slug":"zzco-p","name":"x","social_links":[{"platform":"tiktok","handle":"a"},{"platform":"tiktok","handle":"b"}]}]}'
bad "unknown performer slug" 'videos\[1\]\.performers\[1\]: unknown performer slug "zzco-nobody"' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"performers\":[\"zzco-p\"]},{\"slug\":\"zzco-w\",\"collection\":\"zzco-c\",\"title\":\"w\",\"hls_manifest_url\":\"/h.m3u8\",\"thumbnail_url\":\"/t.jpg\",\"performers\":[\"zzco-p\",\"zzco-nobody\"]}]}"
bad "unknown collection slug" 'videos\[0\]\.collection: unknown collection slug "zzco-nowhere"' \
	"{\"performers\":[$P],\"videos\":[{\"slug\":\"zzco-v\",\"collection\":\"zzco-nowhere\",\"title\":\"t\",\"hls_manifest_url\":\"/h.m3u8\",\"thumbnail_url\":\"/t.jpg\",\"performers\":[\"zzco-p\"]}]}"
bad "featured video of another collection" 'collections\[0\]\.featured_video: video "example-meadow-draft" belongs to collection "example-open-air"' \
	'{"collections":[{"slug":"zzco-c","name":"zzco C","featured_video":"example-meadow-draft"}]}'
existing_name=$(q "SELECT name FROM collections WHERE slug <> 'example-city-lights' ORDER BY slug LIMIT 1")
bad "collection name used by another slug" 'collections\[0\]\.name: .* is already the name of collection' \
	"{\"collections\":[{\"slug\":\"zzco-c\",\"name\":$(printf '%s' "$existing_name" | sed 's/["\\]/\\&/g; s/^/"/; s/$/"/')}]}"
bad "publishing a video with an under-18 performer" 'videos\[0\]\.performers\[1\]: performer "zzco-young" was under 18 on the release date 2020-01-01' \
	"{\"collections\":[$C],\"performers\":[$P,{\"slug\":\"zzco-young\",\"name\":\"Y\",\"legal_name\":\"L\",\"date_of_birth\":\"2005-06-01\"}],\"videos\":[{$V,\"release_date\":\"2020-01-01\",\"is_published\":true,\"performers\":[\"zzco-p\",\"zzco-young\"]}]}"
bad "publishing without a legal name" 'videos\[0\]\.performers\[0\]: performer "zzco-anon" has no legal name' \
	"{\"collections\":[$C],\"performers\":[{\"slug\":\"zzco-anon\",\"name\":\"A\",\"date_of_birth\":\"1980-01-01\"}],\"videos\":[{$V,\"release_date\":\"2020-01-01\",\"is_published\":true,\"performers\":[\"zzco-anon\"]}]}"
bad "publishing without a release date" 'videos\[0\]\.release_date: is required to publish' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"is_published\":true,\"performers\":[\"zzco-p\"]}]}"
bad "error in the middle of a good file" 'videos\[1\]\.thumbnail_url' \
	"{\"collections\":[$C],\"performers\":[$P],\"videos\":[{$V,\"performers\":[\"zzco-p\"]},{\"slug\":\"zzco-w\",\"collection\":\"zzco-c\",\"title\":\"w\",\"hls_manifest_url\":\"/h.m3u8\",\"thumbnail_url\":\"ftp://x/t.jpg\",\"performers\":[\"zzco-p\"]}]}"
t_eq "import rejects: nothing of a rejected file was written" \
	"$(q "SELECT count(*) FROM collections WHERE slug LIKE 'zzco-%'")" "0"
ctl import "$TMPD/does-not-exist.json"
t_eq "import: missing file exits 1" "$RC" "1"
: >"$TMPD/empty.json"
ctl import "$TMPD/empty.json"
t_eq "import: empty file exits 1" "$RC" "1"

# ------------------------------------------------------- export round trip
ctl export "$TMPD/export1.json"
t_eq "export: exits 0" "$RC" "0"
t_eq "export: file mode 0600 (it holds legal names)" "$(stat -c %a "$TMPD/export1.json")" "600"
t_match "export: has the example video" "$(cat "$TMPD/export1.json")" '"slug": "example-rooftop-evening"'
ctl import "$TMPD/export1.json"
t_match "export: re-importing the export changes nothing" "$OUT" "videos: 0 created, 0 updated, [0-9]+ unchanged"
ctl export - 
t_eq "export: to standard output, same bytes" "$(cat "$TMPD/export1.json")" "$OUT"

RT=zzco_rt_$$
if sql -c "CREATE DATABASE $RT" >/dev/null 2>&1; then
	EXTRA_DBS+=("$RT")
	RTURL=$(db_url_for "$RT")
	if MARQUEE_DATABASE_URL=$RTURL "$CTL" migrate --dir "$SRC/migrations" up >"$TMPD/rt.log" 2>&1 &&
		MARQUEE_DATABASE_URL=$RTURL "$CTL" import "$TMPD/export1.json" >>"$TMPD/rt.log" 2>&1 &&
		MARQUEE_DATABASE_URL=$RTURL "$CTL" export "$TMPD/export2.json" >>"$TMPD/rt.log" 2>&1; then
		if cmp -s "$TMPD/export1.json" "$TMPD/export2.json"; then
			t_pass "export: export -> import into an empty database -> export is byte-identical"
		else
			t_fail "export: export -> import into an empty database -> export is byte-identical" \
				"$(diff "$TMPD/export1.json" "$TMPD/export2.json" | head -c 300)"
		fi
		t_eq "export: the copy has the same row counts" "$(counts "$RTURL" | cut -d' ' -f1-4)" \
			"$(counts | cut -d' ' -f1-4)"
	else
		t_fail "export: round trip through an empty database" "$(tail -c 300 "$TMPD/rt.log")"
	fi
	sql -c "DROP DATABASE IF EXISTS $RT" >/dev/null 2>&1
else
	t_skip "export: round trip through an empty database" "the role may not CREATE DATABASE"
fi

# ------------------------------------------------------------ publish gate
cat >"$TMPD/gate.json" <<'EOF'
{
  "collections": [{"slug": "zzco-c", "name": "zzco gate collection"}],
  "performers": [
    {"slug": "zzco-adult", "name": "zzco Adult", "legal_name": "Legal Adult", "date_of_birth": "1985-03-03"},
    {"slug": "zzco-minor", "name": "zzco Minor", "legal_name": "Legal Minor", "date_of_birth": "2006-01-01"},
    {"slug": "zzco-nolegal", "name": "zzco No Legal", "date_of_birth": "1980-01-01"}
  ],
  "videos": [
    {"slug": "zzco-ok", "collection": "zzco-c", "title": "zzco ok", "release_date": "2021-01-01",
     "hls_manifest_url": "/hls/test/master.m3u8", "thumbnail_url": "/t.jpg", "performers": ["zzco-adult"]},
    {"slug": "zzco-minor-video", "collection": "zzco-c", "title": "zzco minor", "release_date": "2021-01-01",
     "hls_manifest_url": "/hls/test/master.m3u8", "thumbnail_url": "/t.jpg", "performers": ["zzco-adult", "zzco-minor"]},
    {"slug": "zzco-nolegal-video", "collection": "zzco-c", "title": "zzco no legal", "release_date": "2021-01-01",
     "hls_manifest_url": "/hls/test/master.m3u8", "thumbnail_url": "/t.jpg", "performers": ["zzco-nolegal"]},
    {"slug": "zzco-other", "collection": "zzco-c", "title": "zzco other", "release_date": "2021-01-01",
     "hls_manifest_url": "/hls/test/master.m3u8", "thumbnail_url": "/t.jpg", "performers": ["zzco-adult"]}
  ]
}
EOF
ctl import "$TMPD/gate.json"
t_eq "gate: fixture imported (unpublished videos need no 2257 check)" "$RC" "0"

ctl publish zzco-minor-video
t_eq "gate: publishing with an under-18 performer exits 1" "$RC" "1"
t_match "gate: the reason names the performer and the date" "$ERR" 'performer "zzco-minor" was under 18 on the release date 2021-01-01'
ctl publish zzco-nolegal-video
t_match "gate: missing legal name is a reason" "$ERR" 'performer "zzco-nolegal" has no legal name'
t_eq "gate: refused videos stay unpublished" \
	"$(q "SELECT string_agg(is_published::text, ',') FROM videos WHERE slug IN ('zzco-minor-video', 'zzco-nolegal-video')")" "false,false"
out=$(q "UPDATE videos SET is_published = true, published_at = now() WHERE slug = 'zzco-minor-video'")
t_match "gate: plain SQL UPDATE refused by the trigger at commit" "$out" 'publish refused \(2257\).*zzco-minor-video'
t_eq "gate: ... and nothing was published" "$(q "SELECT is_published FROM videos WHERE slug = 'zzco-minor-video'")" "f"

ctl publish zzco-ok
t_eq "gate: a compliant video is published" "$RC/$(q "SELECT is_published AND published_at IS NOT NULL FROM videos WHERE slug = 'zzco-ok'")" "0/t"
ctl publish zzco-ok
t_match "gate: publishing twice says so" "$OUT" "already published"
ctl publish zzco-nonexistent
t_eq "gate: unknown video exits 1" "$RC" "1"
ctl publish 'Bad Slug'
t_eq "gate: malformed slug is a usage error" "$RC" "2"
ctl unpublish zzco-ok
t_eq "gate: unpublish" "$RC/$(q "SELECT is_published::text || coalesce(published_at::text, '-') FROM videos WHERE slug = 'zzco-ok'")" "0/false-"
ctl publish zzco-ok

# ------------------------------------------------------------- check-2257
ctl check-2257
t_eq "check-2257: exit 0 when every published video complies" "$RC" "0"
t_match "check-2257: says so" "$OUT" "pass the 2257 check"
# Bypass the gate the way a careless hand fix would (triggers disabled).
sql >/dev/null 2>&1 <<-'EOF'
	BEGIN;
	ALTER TABLE performers DISABLE TRIGGER performers_2257;
	UPDATE performers SET date_of_birth = '2010-01-01' WHERE slug = 'zzco-adult';
	ALTER TABLE performers ENABLE TRIGGER performers_2257;
	COMMIT;
EOF
ctl check-2257
t_eq "check-2257: exit 1 when a published video breaks the rule" "$RC" "1"
t_match "check-2257: names the video and the reason" "$OUT" 'video "zzco-ok": .*zzco-adult.*under 18'
sql -c "UPDATE performers SET date_of_birth = '1985-03-03' WHERE slug = 'zzco-adult'" >/dev/null 2>&1
ctl check-2257
t_eq "check-2257: back to 0 after the correction" "$RC" "0"

# ------------------------------------------------------ delete / restore
CC="SELECT (SELECT video_count FROM collections WHERE slug = 'example-city-lights') || ','
	|| (SELECT video_count FROM performers WHERE slug = 'example-performer-one')"
c0=$(q "$CC")
ctl delete video example-rooftop-evening
t_eq "delete: video soft-deleted" "$RC/$(q "SELECT deleted_at IS NOT NULL FROM videos WHERE slug = 'example-rooftop-evening'")" "0/t"
t_eq "delete: counters follow" "$(q "$CC")" "$(echo "$c0" | awk -F, '{print $1-1 "," $2-1}')"
ctl delete video example-rooftop-evening
t_match "delete: twice says already deleted" "$RC $OUT" "^0 .*already deleted"
ctl restore video example-rooftop-evening
t_eq "restore: video back, counters back" "$RC/$(q "$CC")" "0/$c0"
ctl delete performer example-performer-two
t_eq "delete: performer" "$(q "SELECT deleted_at IS NOT NULL FROM performers WHERE slug = 'example-performer-two'")" "t"
ctl restore performer example-performer-two
t_eq "restore: performer" "$(q "SELECT deleted_at IS NULL FROM performers WHERE slug = 'example-performer-two'")" "t"
ctl delete collection example-open-air
t_eq "delete: collection" "$(q "SELECT deleted_at IS NOT NULL FROM collections WHERE slug = 'example-open-air'")" "t"
ctl restore collection example-open-air
photo=$(q "SELECT ph.id FROM photos ph JOIN videos v ON v.id = ph.video_id WHERE v.slug = 'example-rooftop-evening' ORDER BY ph.sort_order LIMIT 1")
ctl delete photo "$photo"
t_eq "delete: photo by id" "$RC/$(q "SELECT deleted_at IS NOT NULL FROM photos WHERE id = '$photo'")" "0/t"
ctl restore photo "$photo"
t_eq "restore: photo by id" "$(q "SELECT deleted_at IS NULL FROM photos WHERE id = '$photo'")" "t"
ctl delete photo not-a-uuid
t_eq "delete: bad photo id is a usage error" "$RC" "2"
ctl delete widget foo
t_eq "delete: unknown kind is a usage error" "$RC" "2"
ctl delete video zzco-nothing-here
t_eq "delete: unknown slug exits 1" "$RC" "1"
ctl restore video zzco-minor-video
t_match "restore: a live video says so" "$OUT" "already live"
# Restoring a published video whose performer is now under age is refused by the gate.
sql >/dev/null 2>&1 <<-'EOF'
	UPDATE videos SET deleted_at = now() WHERE slug = 'zzco-other';
	UPDATE videos SET is_published = true, published_at = now() WHERE slug = 'zzco-other';
	BEGIN;
	ALTER TABLE performers DISABLE TRIGGER performers_2257;
	UPDATE performers SET date_of_birth = '2010-01-01' WHERE slug = 'zzco-adult';
	ALTER TABLE performers ENABLE TRIGGER performers_2257;
	COMMIT;
EOF
ctl restore video zzco-other
t_eq "restore: refused by the 2257 gate when it would publish a non-compliant video" \
	"$RC/$(q "SELECT deleted_at IS NOT NULL FROM videos WHERE slug = 'zzco-other'")" "1/t"
t_match "restore: ... with the gate's reason" "$ERR" "2257"
sql >/dev/null 2>&1 <<-'EOF'
	BEGIN;
	ALTER TABLE performers DISABLE TRIGGER performers_2257;
	UPDATE performers SET date_of_birth = '1985-03-03' WHERE slug = 'zzco-adult';
	ALTER TABLE performers ENABLE TRIGGER performers_2257;
	COMMIT;
EOF

# ------------------------------------------- soft delete seen by the site
# With the stack running (MARQUEE_TEST_URL), a deleted item is gone from its
# page, from search and from the sitemap at once, and back after restore.
# Stage names are shown; legal names never are.
# The requests carry a (meaningless) session cookie: nginx does not cache
# those, so they show what the application answers now rather than a
# page cached before the change (nginx keeps a page up to its max-age).
URL=${MARQUEE_TEST_URL:-}
NOCACHE="Cookie: marquee_session=zzco-nocache; marquee_age=1"
page() { curl -s --max-time 10 -H "$NOCACHE" "$URL$1" 2>/dev/null; }
status() { http_status "$URL$1" -H "$NOCACHE"; }
if [ -z "$URL" ]; then
	t_skip "visibility: pages after delete/restore" "MARQUEE_TEST_URL is not set"
elif [ "$(status "/videos/example-rooftop-evening")" != 200 ]; then
	t_skip "visibility: pages after delete/restore" \
		"/videos/example-rooftop-evening answers $(status "/videos/example-rooftop-evening"), not 200"
else
	t_match "visibility: search finds the live video" "$(page '/search?q=Rooftop+Evening')" "example-rooftop-evening"
	t_match "visibility: the sitemap lists it" "$(page /sitemap.xml)" "/videos/example-rooftop-evening"
	body=$(page /videos/example-rooftop-evening; page /performers/example-performer-one)
	if printf '%s' "$body" | grep -q "Placeholder Legal Name"; then
		t_fail "visibility: legal names are never rendered" "found on a video or performer page"
	else
		t_pass "visibility: legal names are never rendered"
	fi
	t_match "visibility: the stage name is" "$body" "Example Performer One"
	ctl delete video example-rooftop-evening
	t_eq "visibility: deleted video page is 404" "$(status "/videos/example-rooftop-evening")" "404"
	if page '/search?q=Rooftop+Evening' | grep -q "example-rooftop-evening"; then
		t_fail "visibility: deleted video gone from search" "still listed"
	else
		t_pass "visibility: deleted video gone from search"
	fi
	if page /sitemap.xml | grep -q "/videos/example-rooftop-evening"; then
		t_fail "visibility: deleted video gone from the sitemap" "still listed"
	else
		t_pass "visibility: deleted video gone from the sitemap"
	fi
	if page /collections/example-city-lights | grep -q "example-rooftop-evening"; then
		t_fail "visibility: deleted video gone from its collection page" "still listed"
	else
		t_pass "visibility: deleted video gone from its collection page"
	fi
	ctl restore video example-rooftop-evening
	t_eq "visibility: restored video page is back" "$(status "/videos/example-rooftop-evening")" "200"
	ctl delete performer example-performer-one
	t_eq "visibility: deleted performer page is 404" "$(status "/performers/example-performer-one")" "404"
	ctl restore performer example-performer-one
	ctl delete collection example-city-lights
	t_eq "visibility: deleted collection page is 404" "$(status "/collections/example-city-lights")" "404"
	ctl restore collection example-city-lights
	t_eq "visibility: restored collection page is back" "$(status "/collections/example-city-lights")" "200"
	# Workers batch page views (pages/view.h) and write them with a later
	# video page after VIEW_FLUSH_MS (5 s); let them write ours now, while
	# our videos exist, so the final cleanup cannot leave a worker holding
	# views of a deleted video.
	other=$(q "SELECT slug FROM videos WHERE is_published AND deleted_at IS NULL AND slug NOT LIKE 'example-%' AND slug NOT LIKE 'zzco-%' LIMIT 1")
	sleep 6
	for _ in 1 2 3 4 5 6 7 8; do status "/videos/$other" >/dev/null; done
fi

# ------------------------------------------------------------------ purge
sql >/dev/null 2>&1 <<-'EOF'
	UPDATE videos SET deleted_at = LOCALTIMESTAMP - interval '40 days' WHERE slug = 'zzco-nolegal-video';
	UPDATE videos SET deleted_at = LOCALTIMESTAMP - interval '2 days' WHERE slug = 'zzco-minor-video';
	UPDATE performers SET deleted_at = LOCALTIMESTAMP - interval '40 days' WHERE slug = 'zzco-nolegal';
	UPDATE collections SET deleted_at = LOCALTIMESTAMP - interval '40 days' WHERE slug = 'zzco-c';
EOF
ctl purge --older-than 30
t_eq "purge: exits 0" "$RC" "0"
t_eq "purge: old soft-deleted video and its uncredited performer removed" \
	"$(q "SELECT (SELECT count(*) FROM videos WHERE slug = 'zzco-nolegal-video') || ',' || (SELECT count(*) FROM performers WHERE slug = 'zzco-nolegal')")" "0,0"
t_eq "purge: recently deleted video kept" "$(q "SELECT count(*) FROM videos WHERE slug = 'zzco-minor-video'")" "1"
t_match "purge: collection with videos kept, and said why" "$OUT" 'kept collection "zzco-c": .*ON DELETE RESTRICT'
t_eq "purge: ... the collection is still there" "$(q "SELECT count(*) FROM collections WHERE slug = 'zzco-c'")" "1"
ctl purge --older-than -1
t_eq "purge: negative days is a usage error" "$RC" "2"
ctl purge
t_eq "purge: needs --older-than" "$RC" "2"

# --------------------------------------------------------------- featuring
ctl feature example-harbour-walk
t_eq "feature: on" "$RC/$(q "SELECT is_featured FROM videos WHERE slug = 'example-harbour-walk'")" "0/t"
ctl feature example-harbour-walk --off
t_eq "feature: --off" "$RC/$(q "SELECT is_featured FROM videos WHERE slug = 'example-harbour-walk'")" "0/f"
ctl feature zzco-nothing-here
t_eq "feature: unknown video exits 1" "$RC" "1"
ctl set-collection-featured example-city-lights example-harbour-walk
t_eq "set-collection-featured: a published video of the collection" \
	"$RC/$(q "SELECT v.slug FROM collections c JOIN videos v ON v.id = c.featured_video_id WHERE c.slug = 'example-city-lights'")" \
	"0/example-harbour-walk"
ctl set-collection-featured example-city-lights example-meadow-draft
t_match "set-collection-featured: refuses a video of another collection" "$RC $ERR" "^1 .*does not belong"
ctl set-collection-featured example-open-air example-meadow-draft
t_match "set-collection-featured: refuses an unpublished video" "$RC $ERR" "^1 .*not published"
ctl set-collection-featured example-city-lights --none
t_eq "set-collection-featured: --none clears it" \
	"$RC/$(q "SELECT featured_video_id IS NULL FROM collections WHERE slug = 'example-city-lights'")" "0/t"

# ---------------------------------------------------------------- refresh
ctl refresh
t_match "refresh: top_performers refreshed" "$RC $OUT" "^0 top_performers refreshed"
t_eq "refresh: the view has the live counts" \
	"$(q "SELECT count(*) = 0 FROM top_performers t JOIN performers p ON p.id = t.id
	      WHERE t.video_count <> (SELECT count(*) FROM video_performers vp JOIN videos v ON v.id = vp.video_id
	                              WHERE vp.performer_id = p.id AND v.is_published AND v.deleted_at IS NULL)")" "t"

# ------------------------------------------------------------------ users
sql >/dev/null 2>&1 <<-'EOF'
	INSERT INTO users (email, password_hash, username) VALUES ('zzco-user@example.com', 'x', 'zzco_user');
	INSERT INTO sessions (user_id, token_hash, csrf_secret, expires_at)
	SELECT id, decode(repeat('ab', 32), 'hex'), decode(repeat('cd', 32), 'hex'), now() + interval '1 day'
	  FROM users WHERE email = 'zzco-user@example.com';
EOF
ctl user list --limit 100000
t_eq "user list: limit out of range is a usage error" "$RC" "2"
ctl user list --limit 10000
t_match "user list: shows the account" "$RC $OUT" "zzco-user@example.com +zzco_user +active"
ctl user show ZZCO-USER@example.com
t_match "user show: by e-mail, any case" "$RC $OUT" "username +zzco_user"
ctl user show zzco_user
t_eq "user show: by username" "$RC" "0"
ctl user show zzco-nobody@example.com
t_eq "user show: unknown account exits 1" "$RC" "1"
ctl user disable zzco-user@example.com
t_eq "user disable: inactive, sessions ended" \
	"$RC/$(q "SELECT u.is_active || ',' || (SELECT count(*) FROM sessions s WHERE s.user_id = u.id) FROM users u WHERE email = 'zzco-user@example.com'")" "0/false,0"
ctl user enable zzco-user@example.com
t_eq "user enable" "$RC/$(q "SELECT is_active FROM users WHERE email = 'zzco-user@example.com'")" "0/t"
ctl user grant-comp zzco-user@example.com --days 30
t_eq "user grant-comp: an active complimentary subscription of 30 days" \
	"$RC/$(q "SELECT plan_name || ',' || status || ',' || billing_amount || ',' || (current_period_end - current_period_start)
	          FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = 'zzco-user@example.com'")" \
	"0/complimentary,active,0.00,30 days"
t_eq "user grant-comp: the account is entitled (marquee_entitled, migration 013)" \
	"$(q "SELECT to_regprocedure('marquee_entitled(uuid)') IS NULL OR marquee_entitled(id) FROM users WHERE email = 'zzco-user@example.com'")" "t"
ctl user grant-comp zzco-user@example.com --days 0
t_eq "user grant-comp: 0 days is a usage error" "$RC" "2"
ctl user grant-comp zzco-user@example.com --days ten
t_eq "user grant-comp: non-numeric days is a usage error" "$RC" "2"
ctl user verify-age zzco-user@example.com --by "ops alice"
t_eq "user verify-age: verified, method manual" \
	"$RC/$(q "SELECT age_verified || ',' || age_verification_method || ',' || (age_verified_at IS NOT NULL) FROM users WHERE email = 'zzco-user@example.com'")" \
	"0/true,manual,true"
t_eq "user verify-age: the operator is recorded" \
	"$(q "SELECT operator || ',' || method FROM age_verification_audit a JOIN users u ON u.id = a.user_id WHERE u.email = 'zzco-user@example.com'")" \
	"ops alice,manual"
ctl user show zzco-user@example.com
t_match "user show: lists the manual verification" "$OUT" "method manual, by ops alice"
ctl user verify-age zzco-user@example.com
t_eq "user verify-age: --by is required" "$RC" "2"
ctl user verify-age zzco-user@example.com --by ""
t_eq "user verify-age: empty operator refused" "$RC" "2"
ctl user frobnicate
t_eq "user: unknown subcommand is a usage error" "$RC" "2"

# --------------------------------------------------------- backup / restore
BK=zzco_bk_$$
if sql -c "CREATE DATABASE $BK" >/dev/null 2>&1; then
	EXTRA_DBS+=("$BK")
	BKURL=$(db_url_for "$BK")
	bctl() { MARQUEE_DATABASE_URL=$BKURL "$CTL" "$@"; }
	if bctl migrate --dir "$SRC/migrations" up >"$TMPD/bk.log" 2>&1 &&
		bctl import "$EXAMPLE" >>"$TMPD/bk.log" 2>&1; then
		want=$(counts "$BKURL")
		bctl backup "$TMPD/catalog.dump" >>"$TMPD/bk.log" 2>&1
		t_eq "backup: exits 0" "$?" "0"
		t_eq "backup: custom-format archive, mode 0600" \
			"$(head -c 5 "$TMPD/catalog.dump" 2>/dev/null)/$(stat -c %a "$TMPD/catalog.dump" 2>/dev/null)" "PGDMP/600"
		sql -c "DROP DATABASE $BK" >/dev/null 2>&1 && sql -c "CREATE DATABASE $BK" >/dev/null 2>&1
		t_eq "backup: the database was dropped and recreated empty" \
			"$(psql "$BKURL" -X -A -t -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" 2>&1)" "0"
		bctl restore "$TMPD/catalog.dump" >>"$TMPD/bk.log" 2>&1
		t_eq "restore: exits 0" "$?" "0"
		t_eq "restore: row counts equal" "$(counts "$BKURL")" "$want"
		t_eq "restore: migrations recorded" "$(psql "$BKURL" -X -A -t -c "SELECT count(*) > 0 FROM schema_migrations" 2>&1)" "t"
		bctl restore "$TMPD/catalog.dump" >>"$TMPD/bk.log" 2>&1
		t_eq "restore: twice over itself (--clean) still equal" "$?/$(counts "$BKURL")" "0/$want"
		printf 'not a dump' >"$TMPD/bogus.dump"
		bctl restore "$TMPD/bogus.dump" >"$TMPD/bogus.log" 2>&1
		t_match "restore: refuses a file that is not a pg_dump archive" "$?/$(cat "$TMPD/bogus.log")" "^1/.*not a pg_dump"
		bctl backup "$TMPD/nodir/x.dump" >/dev/null 2>&1
		t_eq "backup: unwritable target exits 1, leaves nothing" "$?/$(ls "$TMPD/nodir" 2>/dev/null | wc -l)" "1/0"
	else
		t_fail "backup: throwaway database prepared" "$(tail -c 300 "$TMPD/bk.log")"
	fi
	sql -c "DROP DATABASE IF EXISTS $BK" >/dev/null 2>&1
else
	t_skip "backup: backup -> drop -> restore" "the role may not CREATE DATABASE"
fi

exit 0
