# tests/bench/lib.sh - what the benchmark commands (tests/bench/run,
# tests/bench/hold) share: a throwaway stack with deploy/local on a free
# loopback port, loaded with the shared 20,000-video dataset, stopped again
# when the command exits.  Sourced, not run.
#
# The caller sets NAME (used in messages) before sourcing.  After
# bench_stack_up: VAR (the stack's directory), PORT, BASE (its URL),
# OWNER_URL (from the stack's stack.env), q (psql as the owner), RUNID,
# ARTIFACTS (where reports go; created here).
#
# Environment read here:
#   MARQUEE_BUILD       build directory (default /tmp/marquee-bench-build,
#                       kept between runs so a rerun only rebuilds changes)
#   MARQUEE_SHARED      the shared material (default <repo>/../shared)
#   MARQUEE_KEEP=1      leave the stack running and keep its directory
#   BENCH_SCALE=N       load the shared dataset scaled to N videos
#                       (tests/bench/scale.py; default: the file as it is,
#                       20,000 videos)
#   BENCH_REUSE=DIR     measure the stack an earlier MARQUEE_KEEP=1 run left
#                       in DIR instead of a new one: `deploy/local up` there
#                       (rebuild, migrate, restart), no dataset load (a 1M
#                       load takes many minutes); the stack is kept
# Every other MARQUEE_* variable is unset: to deploy/local each one is a
# configuration key, and a stray one would change what is measured.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
LOCAL=$REPO/deploy/local
RUNID=$(date -u +%Y%m%d-%H%M%S)-$$
# Reports go here; a fresh clone has no such directory yet.
ARTIFACTS=$REPO/tests/artifacts
mkdir -p "$ARTIFACTS"

die() { printf '%s: error: %s\n' "$NAME" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$NAME" "$*" >&2; }

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$OWNER_URL" "$@"; }

free_port() {
	local p
	for ((p = 19100 + RANDOM % 800; p < 20000; p++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

bench_cleanup() {
	trap - EXIT INT TERM
	[ -n "${VAR:-}" ] || return 0
	# what a suite started beside the stack (tests/bench/run: minimal)
	if declare -F bench_cleanup_hook >/dev/null; then bench_cleanup_hook; fi
	if [ "${MARQUEE_KEEP:-0}" = 1 ]; then
		say "kept the stack running in $VAR (stop: MARQUEE_VAR=$VAR deploy/local down)"
		return 0
	fi
	MARQUEE_VAR=$VAR "$LOCAL" down >/dev/null 2>&1
	rm -rf "$VAR"
}

# bench_stack_up: checks what the run needs (root, wrk, the dataset),
# starts the stack and loads the dataset.  Extra MARQUEE_* settings for
# deploy/local are given as arguments, "KEY=VALUE" each (after the scrub).
bench_stack_up() {
	[ "$(id -u)" = 0 ] || die "run as root (deploy/local creates users and starts services)"
	local shared=${MARQUEE_SHARED:-$REPO/../shared}
	DATASET=$shared/bench/dataset.sql
	[ -f "$DATASET" ] || die "$DATASET not found (set MARQUEE_SHARED)"
	"$LOCAL" packages wrk >/dev/null || die "installing wrk failed"

	local v
	for v in $(compgen -e | grep '^MARQUEE_'); do
		case $v in MARQUEE_BUILD | MARQUEE_SHARED | MARQUEE_KEEP) ;; *) unset "$v" ;; esac
	done
	for v in "$@"; do export "${v?}"; done

	SCALE=${BENCH_SCALE:-20000}
	local reuse=${BENCH_REUSE:-}
	if [ -n "$reuse" ]; then
		[ -f "$reuse/stack.env" ] || die "BENCH_REUSE=$reuse: no stack.env there"
		VAR=$(cd "$reuse" && pwd -P)
		export MARQUEE_KEEP=1
		# shellcheck disable=SC1091
		PORT=$(. "$VAR/stack.env" && echo "$PORT")
		SCALE=$(cat "$VAR/bench-scale" 2>/dev/null || echo "$SCALE")
	else
		VAR=$(mktemp -d /tmp/marquee-bench.XXXXXX)
		chmod 0755 "$VAR"
		PORT=$(free_port) || die "no free port"
	fi
	trap bench_cleanup EXIT
	trap 'say interrupted; exit 130' INT TERM
	export MARQUEE_VAR=$VAR MARQUEE_PORT=$PORT MARQUEE_SEED=0
	export MARQUEE_BUILD=${MARQUEE_BUILD:-/tmp/marquee-bench-build}
	export MARQUEE_INSTALL=$MARQUEE_BUILD.install
	export MARQUEE_CONFIGURE_FLAGS=--enable-test-routes
	BASE=http://127.0.0.1:$PORT

	say "stack: deploy/local up in $VAR, port $PORT (build: $MARQUEE_BUILD)"
	"$LOCAL" up >"$VAR/up.log" 2>&1 || { tail -n 30 "$VAR/up.log" >&2; die "deploy/local up failed"; }
	# shellcheck disable=SC1091
	. "$VAR/stack.env"

	if [ -n "$reuse" ]; then
		say "reusing the stack's data ($SCALE videos)"
		return 0
	fi
	# The owner is not a superuser: the dataset's ANALYZE and our VACUUM
	# warn about every catalog they may not touch.  Warnings go to the log.
	local t0=$SECONDS
	if [ "$SCALE" = 20000 ]; then
		say "loading $DATASET"
		q -f "$DATASET" >/dev/null 2>"$VAR/dataset.log"
	else
		say "loading $DATASET scaled to $SCALE videos (tests/bench/scale.py)"
		python3 "$REPO/tests/bench/scale.py" "$SCALE" "$DATASET" | q -f - >/dev/null 2>"$VAR/dataset.log"
	fi || { tail -n 20 "$VAR/dataset.log" >&2; die "loading the dataset failed"; }
	echo "$SCALE" >"$VAR/bench-scale"
	# What the periodic job does after a load (search's first tier,
	# top_performers), then what autovacuum would: the figures are of a
	# catalog in its steady state, not of the minute after the load.
	{ MARQUEE_CONFIG=$VAR/marquee.conf MARQUEE_DATABASE_URL=$OWNER_URL \
		"$MARQUEE_INSTALL/bin/marqueectl" maintain >>"$VAR/dataset.log" && q -c "VACUUM ANALYZE"; } 2>>"$VAR/dataset.log" ||
		{ tail -n 20 "$VAR/dataset.log" >&2; die "marqueectl maintain or VACUUM ANALYZE failed"; }
	LOAD_SECONDS=$((SECONDS - t0))
	say "dataset loaded in ${LOAD_SECONDS} s"
}

# Process groups of the stack, for /proc readings.
pids_nginx() { local m; m=$(cat "$VAR/run/nginx.pid"); echo "$m"; pgrep -P "$m"; }
# The app's group: Marquee's master and workers, and the bench's hand-written
# reference (tests/bench/minimal.c) while it runs.
pids_app() { local m; m=$(cat "$VAR/run/marquee.pid"); echo "$m"; pgrep -P "$m"; pgrep -f "^$VAR/minimal/minimal "; }
pids_pg() { local m; m=$(head -n 1 "$VAR/pg/postmaster.pid"); echo "$m"; pgrep -P "$m"; }
pids_workers() { pgrep -P "$(cat "$VAR/run/marquee.pid")"; }

# Workers' RSS: "max_kB sum_kB".
worker_rss() {
	local p r max=0 sum=0
	for p in $(pids_workers); do
		r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
		[ -n "$r" ] || continue
		sum=$((sum + r))
		[ "$r" -gt "$max" ] && max=$r
	done
	echo "$max $sum"
}
