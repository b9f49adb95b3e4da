#!/usr/bin/env bash
# test_browser.sh - the browser tests (tests/browser/run.mjs: the catalog
# pages; e2e_member.mjs: a member's journey) in Debian's Chromium, driven by
# playwright-core, against MARQUEE_TEST_URL.
#
# On a fresh machine it installs what is missing: the Debian packages
# chromium and nodejs/npm (as root, through apt-get), and playwright-core at
# the version pinned in tests/browser/package-lock.json (npm ci).  Only
# playwright-core is used: it drives /usr/bin/chromium and downloads no
# browser of its own.  Screenshots go to tests/artifacts/screenshots/.
# Without a way to install Chromium or Node the checks are SKIPped with the
# reason.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

SRC=${MARQUEE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
DIR=$SRC/tests/browser
SHOTS=$SRC/tests/artifacts/screenshots

if [ -z "${MARQUEE_TEST_URL:-}" ]; then
	t_skip "browser" "MARQUEE_TEST_URL is not set"
	exit 0
fi

apt_install() {
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$SRC/tests/artifacts/apt-browser.log" 2>&1 && return 0
	apt-get update -q >>"$SRC/tests/artifacts/apt-browser.log" 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$SRC/tests/artifacts/apt-browser.log" 2>&1
}

mkdir -p "$SRC/tests/artifacts"
if [ ! -x /usr/bin/chromium ] && ! apt_install chromium; then
	t_skip "browser" "Debian's chromium is not installed and could not be (needs root and apt-get)"
	exit 0
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	if ! apt_install nodejs npm; then
		t_skip "browser" "node and npm are not installed and could not be"
		exit 0
	fi
fi
if [ ! -f "$DIR/node_modules/playwright-core/package.json" ]; then
	# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: we use Debian's Chromium only.
	if ! (cd "$DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >"$SRC/tests/artifacts/npm-browser.log" 2>&1 ||
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund >>"$SRC/tests/artifacts/npm-browser.log" 2>&1); then
		t_skip "browser" "npm could not install playwright-core (log: tests/artifacts/npm-browser.log)"
		exit 0
	fi
fi

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
cd "$SRC" || exit 1
rc=0
node "$DIR/run.mjs" "$SHOTS" || rc=1
# A member's whole journey (issue 6): sign up, age gate, subscribe through
# the payment simulator, play, resume, cancel, expire.
node "$DIR/e2e_member.mjs" "$SHOTS" || rc=1
exit $rc
