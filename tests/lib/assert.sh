# tests/lib/assert.sh - assertions for shell test scripts (sourced).
#
# Every check prints one line that tests/run counts:
#   PASS: name            FAIL: name (why)            SKIP: name (why)
# Scripts never exit early on a failure; they report and go on.

t_pass() { printf 'PASS: %s\n' "$1"; }
t_fail() { printf 'FAIL: %s (%s)\n' "$1" "${2:-}"; }
t_skip() { printf 'SKIP: %s (%s)\n' "$1" "${2:-}"; }

# t_ok NAME CMD...       passes when CMD exits 0
t_ok() {
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then t_pass "$name"; else t_fail "$name" "command failed: $*"; fi
}

# t_eq NAME GOT WANT
t_eq() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

# t_match NAME STRING REGEX (grep -E)
t_match() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then t_pass "$1"; else t_fail "$1" "'$(printf '%s' "$2" | head -c 200)' does not match /$3/"; fi
}

# http_status URL [curl args...]   prints the status code (000 on no answer)
http_status() {
	local url=$1; shift
	curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" "$url" || true
}
