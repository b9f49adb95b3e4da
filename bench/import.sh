#!/usr/bin/env bash
# bench/import.sh - time `marqueectl import` of the shared 20,000-video
# catalog (issue 7's benchmark; not a test).
#
#   MARQUEE_DATABASE_URL=... bench/import.sh [BUILD_DIR]
#
# On the server of MARQUEE_DATABASE_URL (a role that may CREATE DATABASE) it
# makes two throwaway databases: the first gets ../shared/bench/dataset.sql
# and is exported to a catalog file, the second (empty, migrated) imports
# that file, timed; then the same file again (nothing changes), timed; then
# both are dropped.  BUILD_DIR holds marqueectl (default: the current
# directory).
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
SHARED=${MARQUEE_SHARED:-$SRC/../shared}
CTL=${1:-.}/marqueectl
DB=${MARQUEE_DATABASE_URL:?set MARQUEE_DATABASE_URL to a database on the server to use}
[ -f "$SHARED/bench/dataset.sql" ] || { echo "bench: $SHARED/bench/dataset.sql not found"; exit 1; }
[ -x "$CTL" ] || { echo "bench: $CTL not found (give the build directory)"; exit 1; }

url_for() {
	case $DB in
	postgres://* | postgresql://*)
		printf '%s' "$DB" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$1#" ;;
	*) printf '%s dbname=%s' "$DB" "$1" ;;
	esac
}
SRCDB=mqbench_src_$$ DSTDB=mqbench_dst_$$
TMP=$(mktemp -d)
cleanup() {
	psql "$DB" -X -q -c "DROP DATABASE IF EXISTS $SRCDB" -c "DROP DATABASE IF EXISTS $DSTDB" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT

psql "$DB" -X -q -c "CREATE DATABASE $SRCDB" -c "CREATE DATABASE $DSTDB"
for d in "$SRCDB" "$DSTDB"; do
	MARQUEE_DATABASE_URL=$(url_for "$d") "$CTL" migrate --dir "$SRC/migrations" up >/dev/null
done
echo "loading dataset.sql ..."
psql "$(url_for "$SRCDB")" -X -q -v ON_ERROR_STOP=1 -f "$SHARED/bench/dataset.sql" >/dev/null
MARQUEE_DATABASE_URL=$(url_for "$SRCDB") "$CTL" export "$TMP/catalog.json"
ls -l "$TMP/catalog.json"

t0=$(date +%s.%N)
MARQUEE_DATABASE_URL=$(url_for "$DSTDB") "$CTL" import "$TMP/catalog.json"
t1=$(date +%s.%N)
MARQUEE_DATABASE_URL=$(url_for "$DSTDB") "$CTL" import "$TMP/catalog.json" | tail -n 1
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	printf "import into an empty database: %.1f s\nimport again (no changes):     %.1f s\n", b - a, c - b }'
