#!/usr/bin/env bash
# test_catalog.sh - the catalog pages through nginx: home, collection,
# video, performer, /collections.css, and the head of /performers, /search,
# /2257, /terms, /privacy (issue 5).
#
# Every page and parameter (bad ones included), visibility of unpublished
# and soft-deleted videos and performers (changed for the check, restored
# afterwards), counts against the database, escaping, JSON-LD, legal names
# never shown, social link filtering, SQL statements per page (the
# X-Marquee-Queries header of test builds), view counting.
#
# Environment: MARQUEE_TEST_URL (nginx), MARQUEE_DATABASE_URL (owner role; the
# slugs and names checked are read from it, so any catalog works: the seed
# or the shared dataset).  Every request carries a unique "cb" parameter,
# which the pages ignore, so nginx's micro-cache never answers a check.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stack.sh"

URL=${MARQUEE_TEST_URL:-}
DB=${MARQUEE_DATABASE_URL:-}
if [ -z "$URL" ] || [ -z "$DB" ]; then
	t_skip "catalog: all checks" "MARQUEE_TEST_URL or MARQUEE_DATABASE_URL is not set"
	exit 0
fi

TMP=$(mktemp -d)
RESTORE=$TMP/restore.sql
: >"$RESTORE"
cleanup() {
	psql "$DB" -X -q -f "$RESTORE" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

q() { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
# Remember how to undo a change, even if the script dies halfway.
undo() { printf '%s;\n' "$1" >>"$RESTORE"; }

# get PATH [curl args]: fetch through nginx (never from its cache: the cb
# value is unique, also when get runs in a subshell); body in $TMP/body,
# headers in $TMP/head; prints the status.  Past the age gate (marquee_age=1).
get() {
	local path=$1 sep='?'
	shift
	case $path in *\?*) sep='&' ;; esac
	curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' --max-time 15 -b marquee_age=1 "$@" \
		"$URL$path${sep}cb=$$-$(date +%s%N)" || true
}
body() { cat "$TMP/body"; }
header() { grep -i "^$1:" "$TMP/head" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }
has() { grep -qF -- "$1" "$TMP/body"; }
# HTML-escape as the templates do (& < > " ').
esc() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\\&#39;/g"; }
thousands() { printf '%s' "$1" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta'; }

# page_ok NAME PATH: 200, HTML, the head every catalog page has, the Rating
# header, and at most 2 statements.
page_ok() {
	local name=$1 st
	st=$(get "$2")
	t_eq "$name: 200" "$st" 200
	local ok=1 why=
	for tag in '<link rel="canonical" href="' '<meta name="description" content="' \
		'<meta property="og:title"' '<meta property="og:type"' '<meta property="og:url"' \
		'<meta name="rating" content="RTA-5042-1996-1400-1577-RTA">'; do
		has "$tag" || { ok=0; why="missing $tag"; }
	done
	[ "$ok" = 1 ] && t_pass "$name: canonical, description, OpenGraph, RTA" || t_fail "$name: canonical, description, OpenGraph, RTA" "$why"
	t_eq "$name: Rating header" "$(header rating)" RTA-5042-1996-1400-1577-RTA
	t_match "$name: public cache for anonymous visitors" "$(header cache-control)" '^public, max-age=[0-9]+'
	local nq
	nq=$(header x-marquee-queries)
	if [ -z "$nq" ]; then
		t_skip "$name: at most 2 SQL statements" "no X-Marquee-Queries (not a --enable-test-routes build)"
	elif [ "$nq" -le 2 ]; then
		t_pass "$name: at most 2 SQL statements ($nq)"
	else
		t_fail "$name: at most 2 SQL statements" "$nq statements"
	fi
}

# jsonld_ok NAME TYPE: the page's JSON-LD parses, has @type TYPE, holds no raw "</".
jsonld_ok() {
	local out
	out=$(python3 - "$TMP/body" "$2" <<-'EOF' 2>&1
		import json, re, sys
		html = open(sys.argv[1], encoding="utf-8").read()
		blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
		assert len(blocks) == 1, "%d JSON-LD blocks" % len(blocks)
		assert "</" not in blocks[0] and "<!--" not in blocks[0], "raw </ or <!-- in the block"
		d = json.loads(blocks[0])
		assert d.get("@type") == sys.argv[2], "@type is %r" % d.get("@type")
		assert d.get("@context") == "https://schema.org"
		print("ok")
	EOF
	)
	t_eq "$1: JSON-LD $2 parses, no raw </" "$out" ok
}

# live ALIAS: the SQL condition for a live video (published, not deleted).
live() { printf '%s.is_published AND %s.deleted_at IS NULL' "$1" "$1"; }
LIVE="is_published AND deleted_at IS NULL"

# ------------------------------------------------------------------ home
page_ok "home" "/"
home=$(body)
names=$(q "SELECT name FROM collections WHERE deleted_at IS NULL AND is_active ORDER BY sort_order NULLS LAST, name, id")
ok=1 prev=0
while IFS= read -r n; do
	[ -n "$n" ] || continue
	pos=$(printf '%s' "$home" | grep -bF -- "class=\"collection-tile__name\">$(esc "$n")<" | head -n 1 | cut -d: -f1)
	if [ -z "$pos" ] || [ "$pos" -lt "$prev" ]; then ok=0; fi
	prev=${pos:-0}
done <<<"$names"
[ "$ok" = 1 ] && t_pass "home: every active collection, in sort_order" || t_fail "home: every active collection, in sort_order" "missing or out of order"
newest=$(q "SELECT slug FROM videos WHERE $LIVE ORDER BY release_date DESC, id LIMIT 1")
t_match "home: newest live video in the new releases row" "$home" "href=\"/videos/$newest\""
popular=$(q "SELECT slug FROM videos WHERE $LIVE ORDER BY view_count DESC, id LIMIT 1")
t_match "home: most viewed live video in its row" "$home" "href=\"/videos/$popular\""
t_match "home: links the collections stylesheet" "$home" '<link rel="stylesheet" href="/collections.css">'
t_eq "home: HEAD" "$(get / -I)" 200

page_ok "collections index" "/collections"
t_eq "collections index: a tile per active collection" "$(grep -c 'class="collection-tile__name"' "$TMP/body")" \
	"$(q "SELECT count(*) FROM collections WHERE deleted_at IS NULL AND is_active")"

# ------------------------------------------------------- collections.css
st=$(get /collections.css)
t_eq "collections.css: 200" "$st" 200
t_match "collections.css: text/css" "$(header content-type)" '^text/css'
first_coll=$(q "SELECT slug FROM collections WHERE deleted_at IS NULL AND is_active ORDER BY sort_order NULLS LAST, name, id LIMIT 1")
t_match "collections.css: a class per collection, validated colours" "$(body)" \
	"^\.theme-$first_coll\{--c-primary:#[0-9a-f]{6};--c-on-primary:#(000000|ffffff);--c-accent:#[0-9a-f]{6};--c-on-accent:#(000000|ffffff)\}$"

# ------------------------------------------------------------ collections
while IFS='|' read -r slug count; do
	[ -n "$slug" ] || continue
	page_ok "collection $slug" "/collections/$slug"
	live=$(q "SELECT count(*) FROM videos v JOIN collections c ON c.id = v.collection_id WHERE c.slug = '$slug' AND $(live v)")
	t_eq "collection $slug: stored count equals the live videos" "$count" "$live"
	t_match "collection $slug: shows the count" "$(body)" "collection-hero__count\">$(thousands "$live") video"
	cards=$(grep -c 'class="video-card"' "$TMP/body")
	want=$((live < 24 ? live : 24))
	t_eq "collection $slug: first page shows min(24, count) cards" "$cards" "$want"
	t_match "collection $slug: theme class" "$(body)" "class=\"collection theme-$slug\""
done < <(q "SELECT slug, video_count FROM collections WHERE deleted_at IS NULL AND is_active ORDER BY sort_order NULLS LAST, name, id")

BIG=$(q "SELECT slug FROM collections WHERE deleted_at IS NULL AND is_active ORDER BY video_count DESC, id LIMIT 1")
BIGN=$(q "SELECT video_count FROM collections WHERE slug = '$BIG'")
PAGES=$(((BIGN + 23) / 24))
[ "$PAGES" -ge 1 ] || PAGES=1
for s in views rating duration; do
	page_ok "collection sort=$s" "/collections/$BIG?sort=$s"
	t_match "collection sort=$s: canonical keeps the sort" "$(body)" "<link rel=\"canonical\" href=\"[^\"]*/collections/$BIG\?sort=$s\">"
	t_match "collection sort=$s: marked current" "$(body)" "href=\"/collections/$BIG\?sort=$s\" aria-current=\"true\""
done
want=$(q "SELECT slug FROM videos v WHERE collection_id = (SELECT id FROM collections WHERE slug = '$BIG') AND $LIVE ORDER BY view_count DESC, id LIMIT 1")
get "/collections/$BIG?sort=views" >/dev/null
first=$(grep -o 'class="video-card__link" href="/videos/[^"]*"' "$TMP/body" | head -n 1 | sed 's#.*/videos/##; s#"##')
t_eq "collection sort=views: most viewed first" "$first" "$want"
for qual in 4k 1080p 720p 480p; do
	col=has_$qual
	n=$(q "SELECT count(*) FROM videos WHERE collection_id = (SELECT id FROM collections WHERE slug = '$BIG') AND $LIVE AND $col")
	st=$(get "/collections/$BIG?quality=$qual")
	t_eq "collection quality=$qual: 200" "$st" 200
	t_match "collection quality=$qual: count of that quality" "$(body)" "collection-hero__count\">$(thousands "$n") video"
done
page_ok "collection sort+quality+page" "/collections/$BIG?sort=views&quality=1080p"
t_match "collection: canonical orders the parameters" "$(body)" "<link rel=\"canonical\" href=\"[^\"]*/collections/$BIG\?sort=views&amp;quality=1080p\">"

get "/collections/$BIG?sort=newest&page=1" >/dev/null
t_match "collection: default values left out of the canonical URL" "$(body)" "<link rel=\"canonical\" href=\"[^\"]*/collections/$BIG\">"
if [ "$PAGES" -ge 2 ]; then
	page_ok "collection page 2" "/collections/$BIG?page=2"
	t_match "collection page 2: canonical" "$(body)" "<link rel=\"canonical\" href=\"[^\"]*/collections/$BIG\?page=2\">"
	t_match "collection page 2: rel=prev" "$(body)" "<link rel=\"prev\" href=\"[^\"]*/collections/$BIG\">"
	[ "$PAGES" -ge 3 ] && t_match "collection page 2: rel=next" "$(body)" "<link rel=\"next\" href=\"[^\"]*/collections/$BIG\?page=3\">"
	t_match "collection page 2: current page marked" "$(body)" 'aria-current="page"><span class="visually-hidden">Page </span>2<'
	st=$(get "/collections/$BIG?page=$PAGES")
	t_eq "collection last page ($PAGES): 200" "$st" 200
	t_eq "collection last page: the remaining cards" "$(grep -c 'class="video-card"' "$TMP/body")" "$((BIGN - (PAGES - 1) * 24))"
	if grep -q '<link rel="next"' "$TMP/body"; then t_fail "collection last page: no rel=next" "found"; else t_pass "collection last page: no rel=next"; fi
	# Page 1 has its own statement (db_stmts.c COLLECTION_FIRST), page 2 on
	# the general one; pages in the second half are read from the end of the
	# index: every one the same rows as an OFFSET from the start.
	for s in newest:release_date views:view_count rating:rating duration:duration_seconds; do
		key=${s#*:} s=${s%%:*}
		nulls=; [ "$s" = rating ] || [ "$s" = duration ] && nulls=" NULLS LAST"
		for p in 1 2 $((PAGES - 1)) $(((PAGES + 1) / 2 + 1)); do
			want=$(q "SELECT string_agg(slug, ' ') FROM (SELECT slug FROM videos WHERE collection_id = (SELECT id FROM collections WHERE slug = '$BIG')
				AND $LIVE ORDER BY $key DESC$nulls, id OFFSET $(((p - 1) * 24)) LIMIT 24) x")
			get "/collections/$BIG?sort=$s&page=$p" >/dev/null
			got=$(grep -o 'class="video-card__link" href="/videos/[^"]*"' "$TMP/body" | sed 's#.*/videos/##; s#"##' | tr '\n' ' ' | sed 's/ $//')
			t_eq "collection sort=$s page $p: the rows of that page, in order" "$got" "$want"
			# Page 1's statement relies on its rows' order and checks it
			# (collection.c): one statement means the check held.
			q1=$(header X-Marquee-Queries)
			[ "$p" = 1 ] && [ -n "$q1" ] &&
				t_eq "collection sort=$s page 1: one statement (the unsorted rows were in order)" "$q1" 1
		done
	done
	n=$(q "SELECT count(*) FROM videos WHERE collection_id = (SELECT id FROM collections WHERE slug = '$BIG') AND $LIVE AND has_1080p")
	p=$(((n + 23) / 24))
	[ "$p" -ge 1 ] || p=1
	want=$(q "SELECT string_agg(slug, ' ') FROM (SELECT slug FROM videos WHERE collection_id = (SELECT id FROM collections WHERE slug = '$BIG')
		AND $LIVE AND has_1080p ORDER BY view_count DESC, id OFFSET $(((p - 1) * 24)) LIMIT 24) x")
	get "/collections/$BIG?sort=views&quality=1080p&page=$p" >/dev/null
	got=$(grep -o 'class="video-card__link" href="/videos/[^"]*"' "$TMP/body" | sed 's#.*/videos/##; s#"##' | tr '\n' ' ' | sed 's/ $//')
	t_eq "collection quality=1080p last page: the rows of that page, in order" "$got" "${want:-}"
else
	t_skip "collection page 2" "the biggest collection has a single page"
fi
t_eq "collection page past the end: 404" "$(get "/collections/$BIG?page=$((PAGES + 1))")" 404
for bad in "page=-1" "page=0" "page=abc" "page=1.5" "page=999999" "page=%2B2" "page=01" "sort=drop%20table" \
	"sort=" "sort=NEWEST" "quality=8k" "quality=" "page=1&page=2"; do
	t_eq "collection $bad: 400" "$(get "/collections/$BIG?$bad")" 400
done
t_eq "collection unknown slug: 404" "$(get /collections/no-such-collection-zz)" 404
t_eq "collection bad slug: 404" "$(get /collections/Not_A_Slug)" 404

# ------------------------------------------------------------------ video
VID=$(q "SELECT v.slug FROM videos v JOIN collections c ON c.id = v.collection_id
	WHERE $(live v) AND c.deleted_at IS NULL AND c.is_active
	AND (SELECT count(*) FROM video_performers vp JOIN performers p ON p.id = vp.performer_id
	     WHERE vp.video_id = v.id AND p.deleted_at IS NULL) >= 2
	ORDER BY v.release_date DESC, v.id LIMIT 1")
page_ok "video" "/videos/$VID"
jsonld_ok "video" VideoObject
vtitle=$(q "SELECT title FROM videos WHERE slug = '$VID'")
t_match "video: title in h1" "$(body)" "<h1 id=\"video-title\">$(esc "$vtitle" | sed 's/[][\.*^$?+(){}|]/\\&/g')</h1>"
coll=$(q "SELECT c.slug FROM videos v JOIN collections c ON c.id = v.collection_id WHERE v.slug = '$VID'")
t_match "video: collection link" "$(body)" "href=\"/collections/$coll\""
t_match "video: 2257 link" "$(body)" 'href="/2257"'
t_match "video: join call to action for anonymous visitors" "$(body)" 'href="/signup"'
perfs=$(q "SELECT p.slug FROM video_performers vp JOIN performers p ON p.id = vp.performer_id JOIN videos v ON v.id = vp.video_id
	WHERE v.slug = '$VID' AND p.deleted_at IS NULL ORDER BY vp.billing_order NULLS LAST, p.name")
got=$(grep -o 'performer-strip.*' "$TMP/body" >/dev/null; sed -n '/class="performer-strip"/,/<\/ul>/p' "$TMP/body" | grep -o 'href="/performers/[^"]*"' | sed 's#href="/performers/##; s#"##')
t_eq "video: performers in billing order" "$(printf '%s' "$got" | tr '\n' ' ')" "$(printf '%s' "$perfs" | tr '\n' ' ')"
dur=$(q "SELECT duration_seconds FROM videos WHERE slug = '$VID'")
if [ -n "$dur" ]; then
	if [ "$dur" -ge 3600 ]; then want=$(printf '%d:%02d:%02d' $((dur / 3600)) $((dur / 60 % 60)) $((dur % 60))); else want=$(printf '%d:%02d' $((dur / 60)) $((dur % 60))); fi
	t_match "video: duration" "$(body)" "Duration $want<"
fi
related=$(sed -n '/id="video-related"/,/<\/section>/p' "$TMP/body" | grep -c 'class="video-card"')
if [ "$related" -ge 1 ] && [ "$related" -le 8 ]; then t_pass "video: 1 to 8 related videos ($related)"; else t_fail "video: 1 to 8 related videos" "$related"; fi
if sed -n '/id="video-related"/,/<\/section>/p' "$TMP/body" | grep -q "href=\"/videos/$VID\""; then
	t_fail "video: not related to itself" "listed"
else
	t_pass "video: not related to itself"
fi
t_eq "video unknown slug: 404" "$(get /videos/no-such-video-zz)" 404
t_eq "video: HEAD" "$(get "/videos/$VID" -I)" 200

# Escaping: a title with every HTML-special character, set for the check.
ETITLE=$(q "SELECT title FROM videos WHERE slug = '$VID'")
undo "UPDATE videos SET title = \$zz\$$ETITLE\$zz\$ WHERE slug = '$VID'"
q "UPDATE videos SET title = 'Zz <b>bold</b> & \"quoted\" ''single'' </script>' WHERE slug = '$VID'" >/dev/null
get "/videos/$VID" >/dev/null
t_match "video: title escaped" "$(body)" '<h1 id="video-title">Zz &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39; &lt;/script&gt;</h1>'
if has '<b>bold</b>'; then t_fail "video: no raw markup from the title" "found <b>bold</b>"; else t_pass "video: no raw markup from the title"; fi
jsonld_ok "video with </script> in the title" VideoObject
q "UPDATE videos SET title = \$zz\$$ETITLE\$zz\$ WHERE slug = '$VID'" >/dev/null

# ----------------------------------------------------- unpublish, soft delete
# The newest live video: on page 1 of its collection's grid, in the home
# page's newest row, and in the related list of SIB, a video sharing a
# performer with it (the first of a few candidates that lists it now).
TV=$(q "SELECT slug FROM videos WHERE $LIVE ORDER BY release_date DESC, id LIMIT 1")
TVC=$(q "SELECT c.slug FROM videos v JOIN collections c ON c.id = v.collection_id WHERE v.slug = '$TV'")
TVN=$(q "SELECT video_count FROM collections WHERE slug = '$TVC'")
SIB=
for cand in $(q "SELECT DISTINCT o.slug FROM videos t JOIN video_performers a ON a.video_id = t.id
	JOIN performers p ON p.id = a.performer_id AND p.deleted_at IS NULL
	JOIN video_performers b ON b.performer_id = p.id AND b.video_id <> t.id
	JOIN videos o ON o.id = b.video_id AND $(live o)
	WHERE t.slug = '$TV' ORDER BY o.slug LIMIT 20"); do
	get "/videos/$cand" >/dev/null
	if grep -q "class=\"video-card__link\" href=\"/videos/$TV\"" "$TMP/body"; then SIB=$cand; break; fi
done
[ -n "$SIB" ] || t_skip "related list visibility" "no suitable video shares a performer with $TV"
visible_everywhere() {   # NAME: checks TV shows up (want=1) or not (want=0) on every list
	local name=$1 want=$2 where
	for where in "/videos/$TV" "/collections/$TVC" "/" ${SIB:+"/videos/$SIB"}; do
		local st found=0
		st=$(get "$where")
		if [ "$where" = "/videos/$TV" ]; then
			[ "$st" = 200 ] && found=1
		else
			grep -q "class=\"video-card__link\" href=\"/videos/$TV\"" "$TMP/body" && found=1
		fi
		t_eq "$name: $where $([ "$want" = 1 ] && echo shows || echo hides) it" "$found" "$want"
	done
}
visible_everywhere "live video" 1
pub=$(q "SELECT published_at FROM videos WHERE slug = '$TV'")
undo "UPDATE videos SET is_published = true, published_at = '$pub' WHERE slug = '$TV'"
q "UPDATE videos SET is_published = false, published_at = NULL WHERE slug = '$TV'" >/dev/null
visible_everywhere "unpublished video" 0
t_eq "unpublished video: video page 404" "$(get "/videos/$TV")" 404
get "/collections/$TVC" >/dev/null
t_match "unpublished video: collection count follows" "$(body)" "collection-hero__count\">$(thousands $((TVN - 1))) video"
q "UPDATE videos SET is_published = true, published_at = '$pub' WHERE slug = '$TV'" >/dev/null
undo "UPDATE videos SET deleted_at = NULL WHERE slug = '$TV'"
q "UPDATE videos SET deleted_at = now() WHERE slug = '$TV'" >/dev/null
visible_everywhere "soft-deleted video" 0
t_eq "soft-deleted video: video page 404" "$(get "/videos/$TV")" 404
q "UPDATE videos SET deleted_at = NULL WHERE slug = '$TV'" >/dev/null
visible_everywhere "restored video" 1

# A soft-deleted performer disappears from the video page, and its own page is 404.
P1=$(printf '%s\n' "$perfs" | head -n 1)
undo "UPDATE performers SET deleted_at = NULL WHERE slug = '$P1'"
q "UPDATE performers SET deleted_at = now() WHERE slug = '$P1'" >/dev/null
get "/videos/$VID" >/dev/null
if has "href=\"/performers/$P1\""; then t_fail "soft-deleted performer: gone from the video page" "still linked"; else t_pass "soft-deleted performer: gone from the video page"; fi
t_eq "soft-deleted performer: page 404" "$(get "/performers/$P1")" 404
q "UPDATE performers SET deleted_at = NULL WHERE slug = '$P1'" >/dev/null
get "/videos/$VID" >/dev/null
t_match "restored performer: back on the video page" "$(body)" "href=\"/performers/$P1\""

# ------------------------------------------------------------- performer
PS=$(q "SELECT slug FROM performers WHERE deleted_at IS NULL ORDER BY video_count DESC, id LIMIT 1")
PN=$(q "SELECT video_count FROM performers WHERE slug = '$PS'")
page_ok "performer" "/performers/$PS"
jsonld_ok "performer" Person
t_match "performer: name in h1" "$(body)" "<h1 id=\"performer-name\">$(esc "$(q "SELECT name FROM performers WHERE slug = '$PS'")")</h1>"
t_match "performer: video count" "$(body)" "performer-hero__count\">$(thousands "$PN") video"
t_eq "performer: first page of the filmography" "$(grep -c 'class="video-card"' "$TMP/body")" "$((PN < 24 ? PN : 24))"
page_ok "performer sort=views" "/performers/$PS?sort=views"
want=$(q "SELECT v.slug FROM videos v JOIN video_performers vp ON vp.video_id = v.id JOIN performers p ON p.id = vp.performer_id
	WHERE p.slug = '$PS' AND $(live v) ORDER BY v.view_count DESC, v.id LIMIT 1")
first=$(grep -o 'class="video-card__link" href="/videos/[^"]*"' "$TMP/body" | head -n 1 | sed 's#.*/videos/##; s#"##')
t_eq "performer sort=views: most viewed first" "$first" "$want"
if [ "$PN" -gt 24 ]; then
	page_ok "performer page 2" "/performers/$PS?sort=views&page=2"
	t_match "performer page 2: canonical" "$(body)" "<link rel=\"canonical\" href=\"[^\"]*/performers/$PS\?sort=views&amp;page=2\">"
else
	t_skip "performer page 2" "no performer with more than 24 videos"
fi
PP=$(((PN + 23) / 24))
[ "$PP" -ge 1 ] || PP=1
t_eq "performer page past the end: 404" "$(get "/performers/$PS?page=$((PP + 1))")" 404
for bad in "page=-1" "page=abc" "page=999999" "sort=rating" "sort=drop%20table"; do
	t_eq "performer $bad: 400" "$(get "/performers/$PS?$bad")" 400
done
t_eq "performer unknown slug: 404" "$(get /performers/no-such-performer-zz)" 404

# Social links: only http(s), with rel="noopener nofollow"; a javascript: URL is dropped.
IFS='|' read -r LID LURL LP < <(q "SELECT s.id, s.url, p.slug FROM social_media_links s JOIN performers p ON p.id = s.performer_id
	WHERE p.deleted_at IS NULL ORDER BY p.video_count DESC, s.id LIMIT 1")
if [ -n "$LID" ]; then
	undo "UPDATE social_media_links SET url = \$zz\$$LURL\$zz\$ WHERE id = '$LID'"
	q "UPDATE social_media_links SET url = 'javascript:alert(1)' WHERE id = '$LID'" >/dev/null
	get "/performers/$LP" >/dev/null
	if has 'javascript:'; then t_fail "performer: javascript: link dropped" "rendered"; else t_pass "performer: javascript: link dropped"; fi
	q "UPDATE social_media_links SET url = 'https://example.com/zz-catalog-test' WHERE id = '$LID'" >/dev/null
	get "/performers/$LP" >/dev/null
	t_match "performer: https link rendered with rel=noopener nofollow" "$(body)" '<a href="https://example.com/zz-catalog-test" rel="noopener nofollow">'
	q "UPDATE social_media_links SET url = \$zz\$$LURL\$zz\$ WHERE id = '$LID'" >/dev/null
else
	t_skip "performer: social links" "no social link in the catalog"
fi

# ------------------------------------------------ legal names and birth dates
leaks=
while IFS='|' read -r slug legal dob vslug; do
	[ -n "$slug" ] || continue
	for path in "/performers/$slug" "/videos/$vslug"; do
		get "$path" >/dev/null
		has "$legal" && leaks="$leaks $path:legal_name"
		has "$dob" && leaks="$leaks $path:date_of_birth"
	done
done < <(q "SELECT p.slug, p.legal_name, p.date_of_birth, (SELECT v.slug FROM video_performers vp JOIN videos v ON v.id = vp.video_id
	WHERE vp.performer_id = p.id AND $(live v) ORDER BY v.id LIMIT 1)
	FROM performers p WHERE p.deleted_at IS NULL AND p.legal_name IS NOT NULL AND p.date_of_birth IS NOT NULL AND p.video_count > 0
	ORDER BY p.video_count DESC, p.id LIMIT 5")
t_eq "legal names and dates of birth appear on no performer or video page" "${leaks:-none}" none

# ------------------------------------------------------------------ structured data on list and legal pages
# Every page that is not one video or performer still says what it is
# (schema.org type, name, canonical URL); lists name their items in order.
# ld_of PATH: the page's JSON-LD as "type|name|url|items|first item", or "".
ld_of() {
	get "$1" >/dev/null
	sed -n 's#.*<script type="application/ld+json">\(.*\)</script>.*#\1#p' "$TMP/body" | head -n 1 |
		python3 -c 'import json, sys
d = json.load(sys.stdin)
items = d.get("mainEntity", {}).get("itemListElement", [])
print("|".join([d["@type"], d["name"], d["url"], str(len(items)), items[0]["url"] if items else ""]))' 2>/dev/null
}
BASE=$(get / >/dev/null; sed -n 's#.*<link rel="canonical" href="\([^"]*\)/".*#\1#p' "$TMP/body" | head -n 1)
for legal in /2257 /terms /privacy; do page_ok "legal page $legal" "$legal"; done
t_eq "jsonld: home is the WebSite" "$(ld_of / | cut -d'|' -f1-3)" "WebSite|Marquee|$BASE/"
t_match "jsonld: home offers the search box" "$(body)" '"potentialAction":\{"@type":"SearchAction","target":"[^"]*/search\?q=\{search_term_string\}"'
ncoll=$(q "SELECT count(*) FROM collections WHERE deleted_at IS NULL")
t_eq "jsonld: /collections lists every collection" "$(ld_of /collections | cut -d'|' -f1,4)" "CollectionPage|$ncoll"
first=$(get "/collections/$BIG" >/dev/null; grep -o 'href="/videos/[^"]*"' "$TMP/body" | head -n 1 | cut -d'"' -f2)
t_eq "jsonld: a collection page lists its page of videos, in order" \
	"$(ld_of "/collections/$BIG" | cut -d'|' -f1,5)" "CollectionPage|$BASE$first"
t_eq "jsonld: /performers" "$(ld_of /performers | cut -d'|' -f1-2)" "CollectionPage|Performers"
t_eq "jsonld: search results" "$(ld_of '/search?q=video' | cut -d'|' -f1-3)" "SearchResultsPage|Search: video|$BASE/search?q=video"
t_eq "jsonld: /2257 is a WebPage" "$(ld_of /2257 | cut -d'|' -f1,3)" "WebPage|$BASE/2257"
t_eq "jsonld: /terms" "$(ld_of /terms | cut -d'|' -f1-2)" "WebPage|Terms of service"
t_eq "jsonld: /privacy" "$(ld_of /privacy | cut -d'|' -f1-2)" "WebPage|Privacy policy"
t_eq "jsonld: hostile search text survives as data" "$(ld_of '/search?q=%3C%2Fscript%3Ex' | cut -d'|' -f2)" 'Search: </script>x'
t_eq "jsonld: ... and cannot close its script element" "$(grep -c '</script>x' "$TMP/body")" 0

# ------------------------------------------------------------------ paging, galleries, soft deletes (fixtures)
# Fixtures of their own (slugs zz-cpage-*, removed by the EXIT trap and
# before they are made, so an interrupted run cannot break the next one):
# a collection, a performer with 30 live videos (release dates and view
# counts in opposite orders; every title holds the word "quorblax" for
# search paging), two stills on one video, two photos of the performer, and
# 50 performers whose names start with X for the letter index's pages.
CP_CLEAN="UPDATE videos SET is_published = false, published_at = NULL WHERE slug LIKE 'zz-cpage-%';
DELETE FROM photos WHERE url LIKE '/media/zz-cpage-%';
DELETE FROM video_performers WHERE video_id IN (SELECT id FROM videos WHERE slug LIKE 'zz-cpage-%');
DELETE FROM videos WHERE slug LIKE 'zz-cpage-%';
DELETE FROM performers WHERE slug LIKE 'zz-cpage-%';
DELETE FROM collections WHERE slug LIKE 'zz-cpage-%'"
undo "$CP_CLEAN"
CPN=30
if out=$(psql "$DB" -X -q -v ON_ERROR_STOP=1 2>&1 <<-EOF
	$CP_CLEAN;
	BEGIN;
	INSERT INTO collections (name, slug, description, sort_order, is_active)
	VALUES ('Zz Pager Collection', 'zz-cpage-coll', 'Fixture of test_catalog.', 990, true);
	INSERT INTO performers (name, slug, bio, legal_name, date_of_birth)
	VALUES ('Zz Pagerton', 'zz-cpage-perf', 'Fixture of test_catalog.', 'Legal Pager Fixture', '1990-01-01');
	INSERT INTO performers (name, slug)
	SELECT 'Xq Pager ' || lpad(i::text, 2, '0'), 'zz-cpage-x-' || i FROM generate_series(1, 50) i;
	INSERT INTO videos (collection_id, title, slug, description, release_date, hls_manifest_url,
	                    thumbnail_url, performer_count, is_published, published_at, duration_seconds, view_count)
	SELECT (SELECT id FROM collections WHERE slug = 'zz-cpage-coll'), 'Quorblax Reel ' || lpad(i::text, 2, '0'),
	       'zz-cpage-v' || lpad(i::text, 2, '0'), 'Fixture of test_catalog.', DATE '2021-01-01' + i,
	       '/media/hls/none/master.m3u8', '/media/none.jpg', 1, true, now(), 600, 1000 - i
	  FROM generate_series(1, $CPN) i;
	INSERT INTO video_performers (video_id, performer_id, billing_order)
	SELECT v.id, p.id, 1 FROM videos v, performers p WHERE v.slug LIKE 'zz-cpage-v%' AND p.slug = 'zz-cpage-perf';
	INSERT INTO photos (video_id, photo_type, url, alt_text, sort_order)
	SELECT id, 'video_still', '/media/zz-cpage-vphoto-' || i || '.jpg', 'Fixture still ' || i, i
	  FROM videos, generate_series(1, 2) i WHERE slug = 'zz-cpage-v01';
	INSERT INTO photos (performer_id, photo_type, url, alt_text, sort_order)
	SELECT id, 'performer_photo', '/media/zz-cpage-pphoto-' || i || '.jpg', 'Fixture photo ' || i, i
	  FROM performers, generate_series(1, 2) i WHERE slug = 'zz-cpage-perf';
	COMMIT;
	EOF
); then
	t_pass "fixtures: performer with $CPN videos, photos, X performers"
else
	t_fail "fixtures: performer with $CPN videos, photos, X performers" "$(printf '%s' "$out" | tail -n 3)"
fi

# cards: the video slugs of the page's cards, in order, one a line.
cards() { grep -o 'class="video-card__link" href="/videos/[^"]*"' "$TMP/body" | sed 's#.*/videos/##; s#"##'; }
# not_5xx NAME PATH: a bad parameter is refused (400), not found (404) or redirected, never a server error.
not_5xx() { t_match "$1: 400, 404 or a redirect, never 5xx" "$(get "$2")" '^(400|404|30[1278])$'; }
# rel_ok NAME PREV NEXT: the page's <link rel=prev/next> point at PREV and NEXT ("" for none).
rel_ok() {
	local rel want got
	for rel in prev next; do
		[ "$rel" = prev ] && want=$2 || want=$3
		got=$(grep -o "<link rel=\"$rel\" href=\"[^\"]*\">" "$TMP/body" | sed "s#.*href=\"$BASE##; s#\">##" | sed 's/&amp;/\&/g')
		t_eq "$1: rel=$rel" "$got" "$want"
	done
}

# ---- performer filmography, page 2
FP=zz-cpage-perf
page_ok "fixture performer" "/performers/$FP"
t_match "fixture performer: counts its $CPN videos" "$(body)" "performer-hero__count\">$CPN videos"
p1=$(cards)
t_eq "fixture performer page 1: 24 cards" "$(printf '%s\n' "$p1" | grep -c .)" 24
t_eq "fixture performer page 1: newest first" "$(printf '%s\n' "$p1" | head -n 1)" zz-cpage-v30
rel_ok "fixture performer page 1" "" "/performers/$FP?page=2"
page_ok "fixture performer page 2" "/performers/$FP?page=2"
p2=$(cards)
t_eq "fixture performer page 2: the remaining $((CPN - 24)) videos, in order" "$(printf '%s\n' "$p2" | tr '\n' ' ')" \
	"$(for i in $(seq $((CPN - 24)) -1 1); do printf 'zz-cpage-v%02d ' "$i"; done)"
t_eq "fixture performer pages 1 and 2: every video once" "$(printf '%s\n%s\n' "$p1" "$p2" | sort -u | grep -c .)" "$CPN"
t_match "fixture performer page 2: canonical" "$(body)" "<link rel=\"canonical\" href=\"[^\"]*/performers/$FP\?page=2\">"
rel_ok "fixture performer page 2" "/performers/$FP" ""
get "/performers/$FP?sort=views&page=2" >/dev/null
t_eq "fixture performer sort=views page 2: least viewed last" "$(cards | tail -n 1)" zz-cpage-v30
t_eq "fixture performer sort=views page 2: $((CPN - 24)) cards" "$(cards | grep -c .)" $((CPN - 24))
rel_ok "fixture performer sort=views page 2" "/performers/$FP?sort=views" ""
get "/performers/$FP?sort=views" >/dev/null
rel_ok "fixture performer sort=views page 1" "" "/performers/$FP?sort=views&page=2"
t_eq "fixture performer page 3: 404" "$(get "/performers/$FP?page=3")" 404
for bad in page=0 page=-1 page=abc page=99999 page=2.0 page= "page=1&page=2" sort= sort=VIEWS sort=rating \
	sort=%00 "sort=views&sort=newest" "sort=views&page=abc" "sort=newest&page=0"; do
	not_5xx "fixture performer $bad" "/performers/$FP?$bad"
done

# ---- search, page 2
page_ok "search" "/search?q=quorblax"
t_match "search: counts the fixture videos" "$(body)" "$CPN videos found"
s1=$(grep -o 'href="/videos/zz-cpage-[^"]*"' "$TMP/body" | sort -u)
rel_ok "search page 1" "" "/search?q=quorblax&page=2"
page_ok "search page 2" "/search?q=quorblax&page=2"
s2=$(grep -o 'href="/videos/zz-cpage-[^"]*"' "$TMP/body" | sort -u)
t_eq "search page 2: the other $((CPN - 24)) results" "$(printf '%s\n' "$s2" | grep -c .)" $((CPN - 24))
t_eq "search pages 1 and 2: every result once" "$(printf '%s\n%s\n' "$s1" "$s2" | sort -u | grep -c .)" "$CPN"
rel_ok "search page 2" "/search?q=quorblax" ""
t_eq "search page 3: 404" "$(get "/search?q=quorblax&page=3")" 404
for bad in page=0 page=-1 page=abc page=99999 page= "page=1&page=2"; do
	not_5xx "search $bad" "/search?q=quorblax&$bad"
done

# ---- /performers letter index, page 2
XN=$(q "SELECT count(*) FROM performers WHERE performer_initial(name) = 'x' AND deleted_at IS NULL")
XP=$(((XN + 47) / 48))
page_ok "performers" "/performers"
page_ok "performers letter=x" "/performers?letter=x"
t_eq "performers letter=x: 48 on page 1" "$(grep -c 'class="performer-card__name"' "$TMP/body")" 48
rel_ok "performers letter=x page 1" "" "/performers?letter=x&page=2"
page_ok "performers letter=x page 2" "/performers?letter=x&page=2"
t_eq "performers letter=x page 2: the next ones" "$(grep -c 'class="performer-card__name"' "$TMP/body")" $((XN - 48 < 48 ? XN - 48 : 48))
rel_ok "performers letter=x page 2" "/performers?letter=x" "$([ "$XP" -ge 3 ] && echo "/performers?letter=x&page=3")"
t_eq "performers letter=x past the last page: 404" "$(get "/performers?letter=x&page=$((XP + 1))")" 404
for bad in page=0 page=-1 page=abc page=99999 page= "page=1&page=2"; do
	not_5xx "performers letter=x $bad" "/performers?letter=x&$bad"
done

# ---- soft-deleted photos
FV=zz-cpage-v01
get "/videos/$FV" >/dev/null
t_ok "video gallery: both stills" grep -q 'zz-cpage-vphoto-1.*zz-cpage-vphoto-2' "$TMP/body"
get "/performers/$FP" >/dev/null
t_ok "performer gallery: both photos" grep -q 'zz-cpage-pphoto-1.*zz-cpage-pphoto-2' "$TMP/body"
q "UPDATE photos SET deleted_at = now() WHERE url IN ('/media/zz-cpage-vphoto-1.jpg', '/media/zz-cpage-pphoto-1.jpg')" >/dev/null
get "/videos/$FV" >/dev/null
if has zz-cpage-vphoto-1; then t_fail "soft-deleted still: gone from the video page" "still shown"; else t_pass "soft-deleted still: gone from the video page"; fi
t_ok "soft-deleted still: the other one stays" has zz-cpage-vphoto-2
get "/performers/$FP" >/dev/null
if has zz-cpage-pphoto-1; then t_fail "soft-deleted photo: gone from the performer page" "still shown"; else t_pass "soft-deleted photo: gone from the performer page"; fi
t_ok "soft-deleted photo: the other one stays" has zz-cpage-pphoto-2
q "UPDATE photos SET deleted_at = now() WHERE url LIKE '/media/zz-cpage-%'" >/dev/null
get "/videos/$FV" >/dev/null
if has 'id="video-stills"'; then t_fail "all stills deleted: no Stills section" "still there"; else t_pass "all stills deleted: no Stills section"; fi
get "/performers/$FP" >/dev/null
if has 'id="performer-photos"'; then t_fail "all photos deleted: no Photos section" "still there"; else t_pass "all photos deleted: no Photos section"; fi
q "UPDATE photos SET deleted_at = NULL WHERE url LIKE '/media/zz-cpage-%'" >/dev/null
get "/videos/$FV" >/dev/null
t_ok "restored stills: back on the video page" grep -q 'zz-cpage-vphoto-1.*zz-cpage-vphoto-2' "$TMP/body"

# ---- counts after deletes: one video soft-deleted, one unpublished
q "UPDATE videos SET deleted_at = now() WHERE slug = 'zz-cpage-v05'" >/dev/null
q "UPDATE videos SET is_published = false, published_at = NULL WHERE slug = 'zz-cpage-v06'" >/dev/null
live_n=$(q "SELECT count(*) FROM videos WHERE slug LIKE 'zz-cpage-v%' AND $LIVE")
t_eq "after deletes: performers.video_count counts the live videos" "$(q "SELECT video_count FROM performers WHERE slug = '$FP'")" "$live_n"
t_eq "after deletes: collections.video_count counts the live videos" "$(q "SELECT video_count FROM collections WHERE slug = 'zz-cpage-coll'")" "$live_n"
get "/performers/$FP" >/dev/null
t_match "after deletes: performer page shows the count" "$(body)" "performer-hero__count\">$live_n videos"
get "/performers/$FP?page=2" >/dev/null
t_eq "after deletes: performer page 2 holds the rest" "$(cards | grep -c .)" $((live_n - 24))
if cards | grep -qE 'zz-cpage-v0[56]'; then t_fail "after deletes: hidden videos not in the filmography" "listed"; else t_pass "after deletes: hidden videos not in the filmography"; fi
get "/collections/zz-cpage-coll" >/dev/null
t_match "after deletes: collection page shows the count" "$(body)" "collection-hero__count\">$live_n videos"
get "/search?q=quorblax" >/dev/null
t_match "after deletes: search counts the live videos" "$(body)" "$live_n videos found"
get "/performers?letter=z" >/dev/null
t_match "after deletes: the performer card's count" "$(tr -d '\n' <"$TMP/body" | grep -o 'performer-card__name">Zz Pagerton</span>[^<]*</a>[^<]*<span class="performer-card__meta">[^<]*')" ">$live_n videos\$"
q "UPDATE videos SET deleted_at = NULL WHERE slug = 'zz-cpage-v05'" >/dev/null
q "UPDATE videos SET is_published = true, published_at = now() WHERE slug = 'zz-cpage-v06'" >/dev/null
t_eq "restored videos: performers.video_count back" "$(q "SELECT video_count FROM performers WHERE slug = '$FP'")" "$CPN"

# ---- soft-deleted collection
# sitemap_locs: every <loc> of /sitemap.xml (and of its files, when it is an index).
sitemap_locs() {
	local f
	get /sitemap.xml >/dev/null
	grep -o '<loc>[^<]*</loc>' "$TMP/body" | sed 's#</\?loc>##g' >"$TMP/locs"
	if grep -q '<sitemapindex' "$TMP/body"; then
		for f in $(cat "$TMP/locs"); do
			get "/${f#*://*/}" >/dev/null
			grep -o '<loc>[^<]*</loc>' "$TMP/body" | sed 's#</\?loc>##g'
		done
	else
		cat "$TMP/locs"
	fi
}
FC=zz-cpage-coll
coll_visible() {   # NAME WANT(1|0): the fixture collection on every list, its page, and its videos' links
	local name=$1 want=$2 found
	found=0; [ "$(get "/collections/$FC")" = 200 ] && found=1
	t_eq "$name: /collections/$FC $([ "$want" = 1 ] && echo 200 || echo 404)" "$found" "$want"
	for where in / /collections; do
		get "$where" >/dev/null
		found=0; has "href=\"/collections/$FC\"" && found=1
		t_eq "$name: $where $([ "$want" = 1 ] && echo lists || echo omits) it" "$found" "$want"
	done
	found=0; sitemap_locs | grep -q "/collections/$FC\$" && found=1
	t_eq "$name: /sitemap.xml $([ "$want" = 1 ] && echo lists || echo omits) it" "$found" "$want"
	get "/search/suggest?q=Zz%20Pager%20Coll" >/dev/null
	found=0; has "/collections/$FC" && found=1
	t_eq "$name: search suggestions $([ "$want" = 1 ] && echo offer || echo "do not offer") it" "$found" "$want"
	t_eq "$name: its video page is 200" "$(get "/videos/$FV")" 200
	found=0; has "href=\"/collections/$FC\"" && found=1
	t_eq "$name: its video page $([ "$want" = 1 ] && echo links || echo "does not link") to it" "$found" "$want"
}
coll_visible "live collection" 1
q "UPDATE collections SET deleted_at = now() WHERE slug = '$FC'" >/dev/null
coll_visible "soft-deleted collection" 0
t_eq "soft-deleted collection: /collections/$FC?page=2 404" "$(get "/collections/$FC?page=2")" 404
get "/collections" >/dev/null
t_eq "soft-deleted collection: /collections tiles match the database" "$(grep -c 'class="collection-tile__name"' "$TMP/body")" \
	"$(q "SELECT count(*) FROM collections WHERE deleted_at IS NULL AND is_active")"
q "UPDATE collections SET deleted_at = NULL WHERE slug = '$FC'" >/dev/null
coll_visible "restored collection" 1
psql "$DB" -X -q -c "$CP_CLEAN" >/dev/null 2>&1
t_eq "fixtures removed" "$(q "SELECT (SELECT count(*) FROM videos WHERE slug LIKE 'zz-cpage-%') + (SELECT count(*) FROM performers
	WHERE slug LIKE 'zz-cpage-%') + (SELECT count(*) FROM collections WHERE slug LIKE 'zz-cpage-%') + (SELECT count(*) FROM photos
	WHERE url LIKE '/media/zz-cpage-%')")" 0

# ------------------------------------------------------------------ views
# Views are buffered per worker and written in batches (pages/view.h): after
# the flush interval, any video page a worker serves writes its batch.
VIDID=$(q "SELECT id FROM videos WHERE slug = '$VID'")
before=$(q "SELECT count(*) FROM video_view_events WHERE video_id = '$VIDID'")
for _ in 1 2 3 4 5 6; do get "/videos/$VID" >/dev/null; done
sleep 6
for _ in 1 2 3 4 5 6 7 8; do get "/videos/$VID" >/dev/null; done
after=$(q "SELECT count(*) FROM video_view_events WHERE video_id = '$VIDID'")
if [ "$after" -gt "$before" ]; then t_pass "views: page views reach video_view_events ($before -> $after)"; else t_fail "views: page views reach video_view_events" "$before -> $after"; fi
vc=$(q "SELECT view_count FROM videos WHERE id = '$VIDID'")
folded=$(q "SELECT marquee_flush_video_views()")
vc2=$(q "SELECT view_count FROM videos WHERE id = '$VIDID'")
left=$(q "SELECT count(*) FROM video_view_events WHERE video_id = '$VIDID'")
if [ "$vc2" -ge $((vc + after)) ] && [ "$left" = 0 ] && [ "$folded" -ge "$after" ]; then
	t_pass "views: marquee_flush_video_views folds the events into view_count"
else
	t_fail "views: marquee_flush_video_views folds the events into view_count" "view_count $vc -> $vc2, folded $folded, left $left"
fi
exit 0
