#!/usr/bin/env bash
# test_discovery.sh - /performers, /search, /search/suggest, /2257, /terms,
# /privacy, /robots.txt and /sitemap.xml through nginx (issue 5).
#
# Adds its own fixtures with the owner role (a performer, a live video whose
# title holds markup, an unpublished and a soft-deleted video sharing a
# rare word, a soft-deleted performer) and removes them at the end.  Every
# URL carries a unique extra key (undeclared keys are ignored by the app)
# so nginx's micro-cache never answers with a page from before the fixtures.
#
# Environment: MARQUEE_TEST_URL, MARQUEE_DATABASE_URL (owner role).

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stack.sh"

URL=${MARQUEE_TEST_URL:?MARQUEE_TEST_URL is not set}
DB=${MARQUEE_DATABASE_URL:?MARQUEE_DATABASE_URL is not set}
TMP=$(mktemp -d)
NONCE=$$-$(date +%s)
trap 'cleanup; rm -rf "$TMP"' EXIT

sql() { psql "$DB" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
	sql >/dev/null 2>&1 <<-'EOF'
		UPDATE videos SET is_published = false, published_at = NULL WHERE slug LIKE 'zz-disc-%';
		DELETE FROM videos WHERE slug LIKE 'zz-disc-%';
		DELETE FROM performers WHERE slug LIKE 'zz-disc-%';
	EOF
}

# get PATH [curl args]: body to $TMP/body, headers to $TMP/head; prints the
# status.  Past the age gate (marquee_age=1).
get() {
	local p=$1 sep='?'
	shift
	case $p in *\?*) sep='&' ;; esac
	curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' --max-time 20 -b marquee_age=1 "$@" "$URL$p${sep}_t=$NONCE" || true
}
ctype() { grep -i '^content-type:' "$TMP/head" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
body_has() { grep -qF -- "$1" "$TMP/body"; }

# ------------------------------------------------------------ fixtures
cleanup
FIXTURES="
BEGIN;
INSERT INTO performers (name, slug, bio, legal_name, date_of_birth)
VALUES ('Quillon Testerby', 'zz-disc-quillon', 'Zephyrine explorer & <i>dancer</i>.', 'Legal Fixture', '1990-01-01'),
       ('Quentin Gonebye', 'zz-disc-gone', NULL, 'Legal Fixture Two', '1990-01-01');
UPDATE performers SET deleted_at = now() WHERE slug = 'zz-disc-gone';
INSERT INTO videos (collection_id, title, slug, description, release_date, hls_manifest_url,
                    thumbnail_url, performer_count, is_published, published_at, duration_seconds)
SELECT c.id, v.title, v.slug, v.descr, DATE '2020-01-01', '/media/hls/none/master.m3u8',
       '/media/none.jpg', 1, v.pub, CASE WHEN v.pub THEN now() END, 754
  FROM (SELECT id FROM collections WHERE deleted_at IS NULL ORDER BY sort_order LIMIT 1) c,
       (VALUES ('Zephyrine Lighthouse <script>alert(1)</script>', 'zz-disc-live',
                'A <b>bold</b> zephyrine voyage along the coast.', true),
               ('Zephyrine Unreleased Draft', 'zz-disc-draft', 'Not public yet: zephyrine.', false),
               ('Zephyrine Removed Cut', 'zz-disc-removed', 'Removed: zephyrine.', true))
       AS v(title, slug, descr, pub);
INSERT INTO video_performers (video_id, performer_id, billing_order)
SELECT v.id, p.id, 1 FROM videos v, performers p
 WHERE v.slug LIKE 'zz-disc-%' AND p.slug = 'zz-disc-quillon';
UPDATE videos SET deleted_at = now() WHERE slug = 'zz-disc-removed';
COMMIT;
"
if ! out=$(printf '%s' "$FIXTURES" | sql 2>&1); then
	t_fail "discovery: fixtures" "$(printf '%s' "$out" | tail -n 3)"
	exit 0
fi
t_pass "discovery: fixtures"

# ------------------------------------------------------------ search
st=$(get "/search?q=zephyrine")
t_eq "search: live match is 200" "$st" 200
if body_has 'href="/videos/zz-disc-live"'; then t_pass "search: finds the live video"; else t_fail "search: finds the live video" "no link to zz-disc-live"; fi
if body_has 'zz-disc-draft' || body_has 'zz-disc-removed'; then
	t_fail "search: unpublished and deleted videos are not found" "a hidden slug is on the page"
else t_pass "search: unpublished and deleted videos are not found"; fi
if body_has '<mark>Zephyrine</mark>'; then t_pass "search: matches highlighted with <mark>"; else t_fail "search: matches highlighted with <mark>" "no <mark>Zephyrine</mark>"; fi
if body_has '<script>alert(1)' || body_has '<b>bold</b>'; then
	t_fail "search: stored markup is escaped" "raw <script> or <b> from the database in the page"
elif body_has '&lt;script&gt;alert(1)&lt;/script&gt;'; then t_pass "search: stored markup is escaped"
else t_fail "search: stored markup is escaped" "escaped title not found"; fi
if body_has 'href="/performers/zz-disc-quillon"'; then t_pass "search: finds performers by bio"; else t_fail "search: finds performers by bio" "no performer link"; fi
if body_has 'zz-disc-gone'; then t_fail "search: deleted performer not found" "zz-disc-gone on the page"; else t_pass "search: deleted performer not found"; fi
if grep -q 'id="site-search-q"[^>]*value="zephyrine"' "$TMP/body"; then t_pass "search: the box keeps the query"; else t_fail "search: the box keeps the query" "value not filled"; fi

# Ranking: the video matching both words comes first.
st=$(get "/search?q=zephyrine%20or%20lighthouse")
t_eq "search: two words 200" "$st" 200
first=$(grep -o 'href="/videos/[a-z0-9-]*"' "$TMP/body" | head -n 1)
t_eq "search: best match ranked first" "$first" 'href="/videos/zz-disc-live"'

st=$(get "/search?q=zephyrne")
t_eq "search: misspelling is 200" "$st" 200
if body_has 'Did you mean'; then t_pass "search: did you mean on a misspelled word"; else t_fail "search: did you mean on a misspelled word" "no suggestion"; fi
if grep -q 'Did you mean <a href="/search?q=Zephyrine' "$TMP/body"; then t_pass "search: suggestion is the similar title"; else t_fail "search: suggestion is the similar title" "$(grep -o 'Did you mean[^?]*' "$TMP/body" | head -c 200)"; fi

hostile=(
	'%22unbalanced' '%22%22%22' '-' '--' '-zephyrine' 'a%20-b%20%22c%20d' '!%40%23%24%25%5E%26*()' "'%3B%20DROP%20TABLE%20videos%3B--"
	'1%20OR%201%3D1' '%5C' '%25_%25' ':*' '%26%7C!' '%3C%3E' '%F0%9F%98%80' '%F0%9F%98%80%20zephyrine' 'or' 'and%20or%20not'
	'(((' '%E2%80%AE' 'null' '%C3%A9t%C3%A9'
)
bad=0
for q in "${hostile[@]}"; do
	st=$(get "/search?q=$q")
	[ "$st" = 200 ] || { bad=1; t_fail "search: hostile input answers 200" "q=$q gave $st"; }
done
[ $bad = 0 ] && t_pass "search: hostile inputs (quotes, minus, punctuation, SQL, emoji) answer 200"
junk=$(head -c 3000 /dev/urandom | base64 -w0 | head -c 2048)
st=$(get "/search" -G --data-urlencode "q=$junk")
t_eq "search: 2 KB of junk answers 200" "$st" 200
# 1,000 punctuation characters: percent-encoded they stay under the core's 4 KB URI limit.
junk=$(python3 -c 'import random; random.seed(7); print("".join(random.choice("!\"#$%&()*+,-./:;<=>?@[]^_{|}~ ab") for _ in range(1000)))')
st=$(get "/search" -G --data-urlencode "q=$junk")
t_eq "search: 1,000 punctuation characters answer 200" "$st" 200
# 2 KB of them percent-encode past the URI limit: the core's 414, never a 5xx.
junk=$(python3 -c 'import random; random.seed(8); print("".join(random.choice("!\"#$%&()*+,-./:;<=>?@[]^_{|}~ ab") for _ in range(2048)))')
st=$(get "/search" -G --data-urlencode "q=$junk")
t_match "search: 2 KB of punctuation is not a server error" "$st" '^(200|414)$'
st=$(get "/search?q=")
t_eq "search: empty query shows the form" "$st" 200
st=$(get "/search")
t_eq "search: no query shows the form" "$st" 200
for p in -1 0 abc 1.5 21 99999999999; do
	st=$(get "/search?q=zephyrine&page=$p")
	t_eq "search: page=$p is 400" "$st" 400
done
st=$(get "/search?q=zephyrine&page=2")
t_eq "search: a page past the results is 404" "$st" 404
st=$(get "/search?q=a&q=b")
t_eq "search: repeated q is 400" "$st" 400

# ------------------------------------------------------------ suggest
st=$(get "/search/suggest?q=zephyr")
t_eq "suggest: 200" "$st" 200
t_match "suggest: application/json" "$(ctype)" '^application/json'
if python3 - "$TMP/body" <<-'PY'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert isinstance(d, dict)
	for k in ("videos", "performers", "collections"):
	    assert isinstance(d[k], list), k
	    for it in d[k]:
	        assert isinstance(it["label"], str) and it["url"].startswith("/" + k + "/")
	assert sum(len(d[k]) for k in d) <= 10
	urls = [it["url"] for it in d["videos"]]
	assert "/videos/zz-disc-live" in urls, urls
	assert not any("zz-disc-draft" in u or "zz-disc-removed" in u for u in urls), urls
	assert any(it["label"] == "Zephyrine Lighthouse <script>alert(1)</script>" for it in d["videos"])
	PY
then t_pass "suggest: videos, performers, collections arrays; live video only; at most 10"
else t_fail "suggest: videos, performers, collections arrays; live video only; at most 10" "$(head -c 300 "$TMP/body")"; fi
st=$(get "/search/suggest?q=quill")
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "/performers/zz-disc-quillon" in [i["url"] for i in d["performers"]]' "$TMP/body" 2>/dev/null
then t_pass "suggest: performers by name"; else t_fail "suggest: performers by name" "$(head -c 300 "$TMP/body")"; fi
st=$(get "/search/suggest?q=quent")
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "/performers/zz-disc-gone" not in [i["url"] for i in d["performers"]]' "$TMP/body" 2>/dev/null
then t_pass "suggest: deleted performer left out"; else t_fail "suggest: deleted performer left out" "$(head -c 300 "$TMP/body")"; fi
for q in "" "z" "%25" "%25_%5C" "%22" "%F0%9F%98%80%F0%9F%98%80"; do
	st=$(get "/search/suggest?q=$q")
	if [ "$st" = 200 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/body" 2>/dev/null; then
		t_pass "suggest: q=$q gives valid JSON"
	else t_fail "suggest: q=$q gives valid JSON" "status $st"; fi
done

# ------------------------------------------------------------ search tier (019)
# 51 live fixtures with "Xylotier" inside the title, the most viewed videos
# of the site, and one with little views whose title starts with it.
# Suggest ranks prefix matches first among the 50 candidates it reads, so it
# shows the cold one exactly when it reads past the tier.  The suite runs no
# periodic job (MARQUEE_MAINTAIN_EVERY=0): nothing else moves the tier.
tier() { sql -c "SELECT marquee_refresh_search_tier($1)"; }
suggest_first() {
	get "/search/suggest?q=xylotier&_k=$1" >/dev/null
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["videos"]; print(len(v), v[0]["url"] if v else "-")' "$TMP/body" 2>&1
}
if out=$(sql 2>&1 <<-'EOF'
	BEGIN;
	INSERT INTO videos (collection_id, title, slug, release_date, hls_manifest_url, thumbnail_url,
	                    performer_count, is_published, published_at, duration_seconds, view_count)
	SELECT c.id, t.title, t.slug, DATE '2020-01-01', '/media/hls/none/master.m3u8', '/media/none.jpg',
	       1, true, now(), 600, t.views
	  FROM (SELECT id FROM collections WHERE deleted_at IS NULL ORDER BY sort_order LIMIT 1) c,
	       (SELECT 'Big Xylotier ' || n, 'zz-disc-tier-' || n, 2000000000 + n FROM generate_series(1, 51) n
	        UNION ALL SELECT 'Xylotier Prefix Cold', 'zz-disc-tier-cold', 0) t(title, slug, views);
	INSERT INTO video_performers (video_id, performer_id, billing_order)
	SELECT v.id, p.id, 1 FROM videos v, performers p
	 WHERE v.slug LIKE 'zz-disc-tier-%' AND p.slug = 'zz-disc-quillon';
	COMMIT;
	EOF
); then t_pass "tier: fixtures"; else t_fail "tier: fixtures" "$(printf '%s' "$out" | tail -n 3)"; fi
before=$(sql -c "SELECT updated_at FROM videos WHERE slug = 'zz-disc-tier-7'")
tier 0 >/dev/null
t_eq "tier: 51 = the 51 most viewed live videos" \
	"$(tier 51),$(sql -c "SELECT count(*) FILTER (WHERE slug LIKE 'zz-disc-tier-%' AND slug <> 'zz-disc-tier-cold')
	                      || ',' || count(*) FROM videos WHERE search_hot")" \
	"51,51,51"
t_eq "tier: a second refresh changes nothing" "$(tier 51)" 0
# Neither is an edit: updated_at is the sitemap's lastmod (019 also fixes
# the views fold, which moved it since the stored title_tsv of 016).
sql -c "UPDATE videos SET view_count = view_count + 1 WHERE slug = 'zz-disc-tier-7'" >/dev/null
t_eq "tier: joining it, and counted views, are not edits (updated_at kept)" \
	"$(sql -c "SELECT updated_at FROM videos WHERE slug = 'zz-disc-tier-7'")" "$before"
# Which 50 of the 51 tier matches it reads is the scan's order (the LIMIT
# has no ORDER BY: that is the point of the bound), so the most viewed one
# read is tier-51 or, when that was the one left out, tier-50.
t_match "suggest: reads the tier first (51 tier matches: the cold prefix match not among the 50 read)" \
	"$(suggest_first a)" '^5 /videos/zz-disc-tier-5[01]$'
st=$(get "/search?q=xylotier")
t_eq "search: fewer tier matches than it ranks: the rest of the catalog too" \
	"$st,$(grep -o '[0-9]\+ videos' "$TMP/body" | head -n 1)" "200,52 videos"
st=$(get "/search?q=xylotier&page=3")
if [ "$st" = 200 ] && body_has 'href="/videos/zz-disc-tier-cold"'; then
	t_pass "search: the match outside the tier is on the last page (fewest views)"
else t_fail "search: the match outside the tier is on the last page (fewest views)" "status $st"; fi
sql -c "UPDATE videos SET is_published = false WHERE slug = 'zz-disc-tier-51'" >/dev/null
t_eq "suggest: an unpublished tier video is not suggested before the next refresh" \
	"$(suggest_first b)" "5 /videos/zz-disc-tier-50"
t_eq "tier: the refresh swaps it for the next most viewed live video" "$(tier 51)" 2
# Without a tier, the first 50 matches of the whole catalog: 49 + the cold one.
tier 0 >/dev/null
sql -c "UPDATE videos SET is_published = false WHERE slug = 'zz-disc-tier-50'" >/dev/null
t_eq "suggest: without a tier, the whole catalog (prefix match first)" \
	"$(suggest_first c)" "5 /videos/zz-disc-tier-cold"

# ------------------------------------------------------------ performers
st=$(get "/performers")
t_eq "performers: 200" "$st" 200
if body_has 'Top performers' && body_has 'href="/performers?letter=a"'; then t_pass "performers: top list and letter index"; else t_fail "performers: top list and letter index" "missing"; fi
# From the view, or from the live counters while the view has never been refreshed.
if body_has 'class="performer-card"'; then t_pass "performers: top performers listed"; else t_fail "performers: top performers listed" "no performer card"; fi
st=$(get "/performers?letter=q")
t_eq "performers: letter=q 200" "$st" 200
if body_has 'href="/performers/zz-disc-quillon"'; then t_pass "performers: letter lists its performers"; else t_fail "performers: letter lists its performers" "fixture missing"; fi
if body_has 'zz-disc-gone'; then t_fail "performers: deleted performer not listed" "present"; else t_pass "performers: deleted performer not listed"; fi
names=$(grep -o 'class="performer-card__name">[^<]*' "$TMP/body" | sed 's/.*>//' | grep -v '^[Qq]' | head -n 3)
if [ -z "$names" ]; then t_pass "performers: only names starting with Q"; else t_fail "performers: only names starting with Q" "$names"; fi
for l in zz A 1 %C3%A9 "" "a&letter=b"; do
	st=$(get "/performers?letter=$l")
	t_eq "performers: letter=$l is 400" "$st" 400
done
for p in -1 0 abc; do
	st=$(get "/performers?letter=a&page=$p")
	t_eq "performers: page=$p is 400" "$st" 400
done
st=$(get "/performers?letter=q&page=999")
t_eq "performers: page past the end is 404" "$st" 404
st=$(get "/performers?page=2")
t_eq "performers: page without a letter is 404" "$st" 404

# ------------------------------------------------------------ legal pages, robots
st=$(get "/2257")
t_eq "2257: 200" "$st" 200
t_match "2257: text/html" "$(ctype)" '^text/html'
if body_has '18 U.S.C. 2257' && body_has '28 C.F.R. 75' && body_has 'Custodian of records'; then t_pass "2257: statement names the law and the custodian"
else t_fail "2257: statement names the law and the custodian" "text missing"; fi
for p in terms privacy; do
	st=$(get "/$p")
	t_eq "$p: 200" "$st" 200
	t_match "$p: text/html" "$(ctype)" '^text/html'
	if body_has '<h1>' && body_has 'rel="canonical"'; then t_pass "$p: page with heading and canonical"; else t_fail "$p: page with heading and canonical" "missing"; fi
done
st=$(get "/robots.txt")
t_eq "robots: 200" "$st" 200
t_match "robots: text/plain" "$(ctype)" '^text/plain'
t_match "robots: points at the sitemap" "$(cat "$TMP/body")" 'Sitemap: https?://[^ ]+/sitemap\.xml'

# ------------------------------------------------------------ sitemap
st=$(get "/sitemap.xml")
t_eq "sitemap: 200" "$st" 200
t_match "sitemap: XML content type" "$(ctype)" '^(application|text)/xml'
cp "$TMP/body" "$TMP/sitemap.xml"
if files=$(python3 - "$TMP/sitemap.xml" <<-'PY'
	import sys, xml.etree.ElementTree as E
	r = E.parse(sys.argv[1]).getroot()
	ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
	if r.tag == ns + "sitemapindex":
	    for s in r.iter(ns + "loc"):
	        print(s.text)
	PY
); then t_pass "sitemap: well-formed XML"; else t_fail "sitemap: well-formed XML" "python3 could not parse it"; fi
: >"$TMP/all.list"
if [ -n "$files" ]; then
	n=0
	for f in $files; do
		n=$((n + 1))
		st=$(get "/${f#*://*/}")
		[ "$st" = 200 ] || t_fail "sitemap: file $n" "status $st"
		cp "$TMP/body" "$TMP/part$n.xml"
		echo "$TMP/part$n.xml" >>"$TMP/all.list"
	done
else
	echo "$TMP/sitemap.xml" >"$TMP/all.list"
fi
if out=$(python3 - "$TMP/all.list" 2>&1 <<-'PY'
	import sys, xml.etree.ElementTree as E
	ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
	vns = "{http://www.google.com/schemas/sitemap-video/1.1}"
	locs, videos = [], 0
	for path in open(sys.argv[1]).read().split():
	    r = E.parse(path).getroot()
	    assert r.tag == ns + "urlset", r.tag
	    for u in r.findall(ns + "url"):
	        locs.append(u.find(ns + "loc").text)
	        v = u.find(vns + "video")
	        if v is not None:
	            videos += 1
	            for k in ("thumbnail_loc", "title", "description", "player_loc"):
	                assert v.find(vns + k) is not None and v.find(vns + k).text, k
	assert any(l.endswith("/videos/zz-disc-live") for l in locs), "live fixture missing"
	bad = [l for l in locs if "zz-disc-draft" in l or "zz-disc-removed" in l or "zz-disc-gone" in l]
	assert not bad, bad
	assert any(l.endswith("/2257") for l in locs)
	assert videos > 0
	PY
); then t_pass "sitemap: live video with <video:video>, nothing unpublished or deleted"
else t_fail "sitemap: live video with <video:video>, nothing unpublished or deleted" "$(printf '%s' "$out" | tail -n 1)"; fi
st=$(get "/sitemap.xml?page=0")
t_eq "sitemap: page=0 is 400" "$st" 400
st=$(get "/sitemap.xml?page=abc")
t_eq "sitemap: page=abc is 400" "$st" 400
st=$(get "/sitemap.xml?page=9999")
t_eq "sitemap: page past the end is 404" "$st" 404

# Legal names and dates of birth never appear.
for p in "/search?q=zephyrine" "/performers?letter=q" "/sitemap.xml?page=1" "/search/suggest?q=quill"; do
	get "$p" >/dev/null
	if body_has 'Legal Fixture' || body_has '1990-01-01'; then t_fail "no legal name or birth date on $p" "found"; else t_pass "no legal name or birth date on $p"; fi
done
exit 0
