#!/usr/bin/env bash
# test_explain.sh - every application statement's plan on the shared
# 20,000-video dataset: no sequential scan of videos, performers, photos or
# video_performers, with custom and generic plans (issue 5, "Data access").
#
# Loads ../shared/bench/dataset.sql into a throwaway database created on the
# test cluster (CREATE DATABASE through MARQUEE_DATABASE_URL), migrated with
# marqueectl, vacuumed (as autovacuum would leave it), then runs
# explain_stmts (tests/integration/explain_stmts.c) over every case file in
# tests/integration/explain/: pages.txt (home, collection, video, performer
# statements), discovery.txt (performers index, search, sitemap), one file
# per group of statements; a statement no file covers is reported as SKIP.
# The database is dropped at the end.
#
# Environment: MARQUEE_DATABASE_URL (owner role), MARQUEE_BIN (marqueectl and
# tests/integration/explain_stmts), MARQUEE_SHARED (SKIP when the dataset is
# missing).

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stack.sh"

SRC=${MARQUEE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
BIN=${MARQUEE_BIN:-$SRC}
DB=${MARQUEE_DATABASE_URL:-}
DATASET=${MARQUEE_SHARED:-$SRC/../shared}/bench/dataset.sql
TOOL=$BIN/tests/integration/explain_stmts

if [ -z "$DB" ]; then
	t_skip "explain: page statements on the shared dataset" "MARQUEE_DATABASE_URL is not set"
	exit 0
fi
if [ ! -f "$DATASET" ]; then
	t_skip "explain: page statements on the shared dataset" "$DATASET not found"
	exit 0
fi
if [ ! -x "$TOOL" ] || [ ! -x "$BIN/marqueectl" ]; then
	t_fail "explain: tools built" "$TOOL or $BIN/marqueectl missing (MARQUEE_BIN)"
	exit 0
fi

# Connection string for another database on the same server (URI or key=value).
db_url_for() {
	case $DB in
	postgres://* | postgresql://*)
		printf '%s' "$DB" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$1#" ;;
	*) printf '%s dbname=%s' "$DB" "$1" ;;
	esac
}

TDB=marquee_explain_test_$$
TURL=$(db_url_for "$TDB")
if ! out=$(psql "$DB" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $TDB" 2>&1); then
	t_skip "explain: page statements on the shared dataset" \
		"cannot create a throwaway database: $(printf '%s' "$out" | head -n 1)"
	exit 0
fi
trap 'psql "$DB" -X -q -c "DROP DATABASE IF EXISTS $TDB" >/dev/null 2>&1' EXIT

if ! out=$(MARQUEE_DATABASE_URL=$TURL "$BIN/marqueectl" migrate --dir "$SRC/migrations" up 2>&1); then
	t_fail "explain: migrate the throwaway database" "$(printf '%s' "$out" | tail -n 3)"
	exit 0
fi
if ! out=$(psql "$TURL" -X -q -v ON_ERROR_STOP=1 -f "$DATASET" 2>&1 >/dev/null); then
	t_fail "explain: load the shared dataset" "$(printf '%s' "$out" | head -n 3)"
	exit 0
fi
# The visibility map as autovacuum leaves it: index-only scans are planned on that.
psql "$TURL" -X -q -c "VACUUM ANALYZE" >/dev/null 2>&1
t_pass "explain: shared dataset loaded into a migrated database"

"$TOOL" "$TURL" "$SRC"/tests/integration/explain/*.txt
rc=$?
[ "$rc" -le 1 ] || t_fail "explain: explain_stmts ran" "exit status $rc"
exit 0
