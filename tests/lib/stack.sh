# tests/lib/stack.sh - control the stack the integration tests run against
# (sourced).  The stack is the one deploy/local starts; these functions are
# thin wrappers around its parts, so tests drive exactly what users run.
#
# tests/run starts a throwaway stack and exports:
#   MARQUEE_VAR               the stack's state directory
#   MARQUEE_TEST_URL          http://127.0.0.1:PORT (through nginx)
#   MARQUEE_DATABASE_URL      libpq string for the owner role (migrations, DDL)
#   MARQUEE_APP_DATABASE_URL  libpq string for the app role (what workers use)
#   MARQUEE_BIN               build directory (marquee-fcgi, marqueectl)
#   MARQUEE_SRC               the repository
#   MARQUEE_SHARED            ../shared when it exists
#   MARQUEE_REQUEST_TIMEOUT   the workers' request_timeout (3 s in tests)
# and this file adds MARQUEE_PAYSIM_URL (the payment simulator).
# Run by hand, a script sourcing this file uses the stack of deploy/local up
# instead: MARQUEE_VAR (default <repo>/var) fills in whatever is unset.
#
# Functions (each returns 0 on success and prints nothing unless it fails):
#   stack_pg_stop [fast|immediate]   stop PostgreSQL (not for an external DB)
#   stack_pg_start                   start it again
#   stack_app_stop                   SIGTERM the master, wait for it (drain)
#   stack_app_start                  start spawn-fcgi + master + workers
#   stack_master_pid                 print the master's pid
#   stack_worker_pids                print the workers' pids, one a line
#   stack_log                        print the path of the app's log
#   stack_log_mark                   print the app log's size (a mark)
#   stack_log_since MARK             print the app's log from MARK on
#   stack_nworkers                   print how many workers run
#   stack_failures N PATH            print how many of N sequential GETs of
#                                    PATH were not 200
#   stack_nginx_log                  print the path of nginx's access log
#   stack_nginx_reload               nginx -s reload
#   stack_paysim_stop                stop the payment simulator (its state is kept)
#   stack_paysim_start               start it again
#   stack_wait_healthy [SECONDS]     wait (default 15 s) until /healthz is 200

MARQUEE_SRC=${MARQUEE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
MARQUEE_VAR=${MARQUEE_VAR:-$MARQUEE_SRC/var}
export MARQUEE_SRC MARQUEE_VAR

if [ -z "${MARQUEE_TEST_URL:-}" ] && [ -f "$MARQUEE_VAR/stack.env" ]; then
	MARQUEE_TEST_URL=$(. "$MARQUEE_VAR/stack.env" && printf 'http://127.0.0.1:%s' "$PORT")
	MARQUEE_DATABASE_URL=${MARQUEE_DATABASE_URL:-$(. "$MARQUEE_VAR/stack.env" && printf '%s' "$OWNER_URL")}
	MARQUEE_APP_DATABASE_URL=${MARQUEE_APP_DATABASE_URL:-$(. "$MARQUEE_VAR/stack.env" && printf '%s' "$APP_URL")}
	MARQUEE_BIN=${MARQUEE_BIN:-$MARQUEE_VAR/build}
	[ -z "${MARQUEE_SHARED:-}" ] && [ -d "$MARQUEE_SRC/../shared" ] &&
		MARQUEE_SHARED=$(cd "$MARQUEE_SRC/../shared" && pwd -P)
	export MARQUEE_TEST_URL MARQUEE_DATABASE_URL MARQUEE_APP_DATABASE_URL MARQUEE_BIN
	[ -n "${MARQUEE_SHARED:-}" ] && export MARQUEE_SHARED
fi

# The payment simulator deploy/local starts (deploy/dev/paysim.py) listens
# on PORT+1000 (PORT-1000 past 65535): MARQUEE_PAYSIM_URL.
if [ -z "${MARQUEE_PAYSIM_URL:-}" ] && [ -n "${MARQUEE_TEST_URL:-}" ]; then
	_stack_port=${MARQUEE_TEST_URL##*:}
	MARQUEE_PAYSIM_URL=http://127.0.0.1:$((_stack_port + 1000 <= 65535 ? _stack_port + 1000 : _stack_port - 1000))
	export MARQUEE_PAYSIM_URL
fi

_stack_local() {
	local out
	out=$("$MARQUEE_SRC/deploy/local" "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

stack_pg_stop() { _stack_local pg-stop "${1:-fast}"; }
stack_pg_start() { _stack_local pg-start; }
# After PostgreSQL is back: a worker whose connect failed just before waits
# RECONNECT_HOLDOFF_MS (1 s, src/db.c) before it tries again, answering 503
# meanwhile.  Past that, every worker connects on its next request.
stack_pg_settle() { sleep 1.2; }
stack_app_stop() { _stack_local app-stop; }
stack_app_start() { _stack_local app-start; }
stack_nginx_reload() { _stack_local nginx-reload; }
stack_paysim_stop() { _stack_local paysim-stop; }
stack_paysim_start() { _stack_local paysim-start; }

stack_master_pid() {
	head -n 1 "$MARQUEE_VAR/run/marquee.pid" 2>/dev/null
}

stack_worker_pids() {
	local master
	master=$(stack_master_pid) || return 1
	[ -n "$master" ] || return 1
	pgrep -P "$master"
}

stack_log() { printf '%s\n' "$MARQUEE_VAR/log/marquee.log"; }
stack_log_mark() { wc -c <"$(stack_log)"; }
stack_log_since() { tail -c +"$(($1 + 1))" "$(stack_log)"; }
stack_nworkers() { stack_worker_pids | wc -l; }

stack_failures() {
	local i f=0 code
	for ((i = 0; i < $1; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$MARQUEE_TEST_URL$2")
		[ "$code" = 200 ] || f=$((f + 1))
	done
	echo "$f"
}
stack_nginx_log() { printf '%s\n' "$MARQUEE_VAR/log/nginx-access.log"; }

stack_wait_healthy() {
	local i code
	for ((i = 0; i < ${1:-15} * 5; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$MARQUEE_TEST_URL/healthz")
		[ "$code" = 200 ] && return 0
		sleep 0.2
	done
	return 1
}

# wait_until SECONDS CMD...: true as soon as CMD succeeds (polled every 0.1 s).
wait_until() {
	local i n=$(($1 * 10))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
