#!/usr/bin/env python3
"""tests/bench/members.py - signed-in members at a fixed request rate, for
tests/bench/hold (issue 9's load holding).  Standard library only.

  members.py signup BASE PAGES.json ACCOUNTS
      signs every account up through the site (GET /signup, POST /signup);
      ACCOUNTS has one "email password source_address" per line.  Each
      account talks from its own loopback address, as separate visitors
      do, so nginx's per-address limits apply per member.

  members.py run BASE PAGES.json ACCOUNTS --rate R --duration S
                 [--logins-per-s L] [--p99-ms MS] [--report FILE]
      logs every account in, then runs the mix for S seconds at R requests
      per second in all (open loop: each member has its own Poisson
      schedule and latency is measured from the moment a request was due,
      so a slow server cannot hide its queue by slowing the client down):
        browse   55%  home, collection (sorts, pages), video, performer page
        search   15%  /search?q= with a word from the catalog
        progress 25%  POST /api/progress (the video page's data-csrf token)
        history   5%  /account/history
      plus a login (GET /login, POST /login) at L per second from the
      accounts in turn.  Each kind has one expected status (200, 204 for
      progress, 303 for login); anything else, or a failed connection, is
      an error.  Prints a table (kind, count, errors, p50, p99, max) and
      exits 0 only if there were no errors and the overall p99 is at most
      MS (default 250; 0: no latency limit).

  members.py progress BASE PAGES.json SESSIONS --interval I --duration S
                 [--report FILE]
      viewers watching a film and nothing else (tests/bench/run's write
      phase): SESSIONS has one "session_token source_address" per line
      (sessions the caller created; no login, so no Argon2id).  Each
      viewer opens a video page (a counted view; its data-csrf token),
      then POSTs /api/progress every I seconds for S seconds, 10 s further
      each time, starting at a random phase so the reports spread evenly.
      Latency is measured from the moment a report was due.  Prints a
      table like run's; exits 0 only if every answer was the expected one.

PAGES.json: {"collections": [...slugs], "videos": [...], "performers": [...],
"words": [...]}, written by tests/bench/hold from the database.
"""

import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse

EXPECT = {"browse": 200, "search": 200, "progress": 204, "history": 200,
          "login": 303}
WEIGHTS = [("browse", 55), ("search", 15), ("progress", 25), ("history", 5)]
CSRF_FORM = re.compile(r'name="csrf" value="([^"]+)"')
CSRF_DATA = re.compile(r'data-csrf="([^"]+)"')
TIMEOUT = 30


class Client:
    """One visitor: a keep-alive connection from its own source address and
    a cookie jar (name -> value; attributes are not needed here)."""

    def __init__(self, base, source):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.origin = f"{u.scheme}://{u.netloc}"
        self.source = source
        self.conn = None
        self.jar = {"marquee_age": "1"}

    def _connect(self):
        self.conn = http.client.HTTPConnection(
            self.host, self.port, timeout=TIMEOUT,
            source_address=(self.source, 0))

    def request(self, method, path, form=None):
        """Returns (status, body text).  A keep-alive connection the server
        closed before answering is retried once on a new connection; any
        other failure raises."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self._connect()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError):
                self.conn.close()
                self.conn = None
                if fresh or attempt:
                    raise
                continue
            for v in r.headers.get_all("Set-Cookie") or []:
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v or not value:
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = value
            if r.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return r.status, data.decode("utf-8", "replace")
        raise RuntimeError("unreachable")

    def form_csrf(self, path):
        status, page = self.request("GET", path)
        m = CSRF_FORM.search(page)
        if status != 200 or not m:
            raise RuntimeError(f"GET {path}: {status}, no csrf field")
        return m.group(1)


def read_accounts(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.strip():
                email, password, source = line.split()
                out.append((email, password, source))
    return out


def signup(args):
    failed = 0
    for email, password, source in read_accounts(args.accounts):
        c = Client(args.base, source)
        token = c.form_csrf("/signup")
        status, _ = c.request("POST", "/signup", {
            "csrf": token, "email": email, "username": email.split("@")[0],
            "password": password})
        if status != 303:
            print(f"signup {email}: HTTP {status}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def login(c, email, password):
    token = c.form_csrf("/login")
    status, _ = c.request("POST", "/login", {
        "csrf": token, "email": email, "password": password})
    return status


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat = {k: [] for k in EXPECT}
        self.errors = {k: 0 for k in EXPECT}
        self.statuses = {}
        self.samples = []

    def add(self, kind, status, ms):
        with self.lock:
            self.lat[kind].append(ms)
            if status != EXPECT[kind]:
                self.errors[kind] += 1
                key = f"{kind} {status}"
                self.statuses[key] = self.statuses.get(key, 0) + 1


def pct(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]


def one(kind, c, pages, state):
    """Sends one request of KIND; returns its status (0: no answer)."""
    rnd = state["rnd"]
    if kind == "browse":
        pick = rnd.random()
        if pick < 0.15:
            path = "/"
        elif pick < 0.45:
            sort = rnd.choice(["", "sort=views&", "sort=rating&", "sort=duration&"])
            path = (f"/collections/{rnd.choice(pages['collections'])}"
                    f"?{sort}page={rnd.randint(1, 5)}")
        elif pick < 0.85:
            state["video"] = rnd.choice(pages["videos"])
            state["position"] = 0
            path = f"/videos/{state['video']}"
        else:
            path = f"/performers/{rnd.choice(pages['performers'])}"
        return c.request("GET", path)[0]
    if kind == "search":
        q = urllib.parse.quote(rnd.choice(pages["words"]))
        return c.request("GET", f"/search?q={q}")[0]
    if kind == "history":
        return c.request("GET", "/account/history")[0]
    # progress: 10 s further into the video the member is watching.
    state["position"] += 10
    return c.request("POST", "/api/progress", {
        "video": state["video"], "position": str(state["position"]),
        "duration": "7200", "csrf": state["csrf"]})[0]


def member_loop(c, pages, rate, stop_at, stats, seed):
    rnd = random.Random(seed)
    state = {"rnd": rnd, "video": rnd.choice(pages["videos"]), "position": 0}
    status, page = c.request("GET", f"/videos/{state['video']}")
    m = CSRF_DATA.search(page)
    if status != 200 or not m:
        raise RuntimeError(f"video page {status}: no data-csrf (not signed in?)")
    state["csrf"] = m.group(1)
    kinds = [k for k, w in WEIGHTS for _ in range(w)]
    due = time.monotonic() + rnd.expovariate(rate)
    while due < stop_at:
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        kind = rnd.choice(kinds)
        try:
            status = one(kind, c, pages, state)
        except (OSError, http.client.HTTPException) as e:
            print(f"{kind}: {e!r}", file=sys.stderr)
            status = 0
        stats.add(kind, status, (time.monotonic() - due) * 1000)
        due += rnd.expovariate(rate)


def login_loop(base, accounts, rate, stop_at, stats):
    i = 0
    due = time.monotonic() + 1 / rate
    while due < stop_at:
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        email, password, source = accounts[i % len(accounts)]
        i += 1
        c = Client(base, source)
        try:
            status = login(c, email, password)
        except (OSError, http.client.HTTPException, RuntimeError) as e:
            print(f"login: {e!r}", file=sys.stderr)
            status = 0
        stats.add("login", status, (time.monotonic() - due) * 1000)
        due += 1 / rate


def progress_loop(c, pages, interval, stop_at, stats, seed):
    rnd = random.Random(seed)
    state = {"rnd": rnd, "video": rnd.choice(pages["videos"]), "position": 0}
    t0 = time.monotonic()
    status, page = c.request("GET", f"/videos/{state['video']}")
    stats.add("browse", status, (time.monotonic() - t0) * 1000)
    m = CSRF_DATA.search(page)
    if status != 200 or not m:
        raise RuntimeError(f"video page {status}: no data-csrf (no subscription?)")
    state["csrf"] = m.group(1)
    due = time.monotonic() + rnd.uniform(0, interval)
    while due < stop_at:
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        try:
            status = one("progress", c, pages, state)
        except (OSError, http.client.HTTPException) as e:
            print(f"progress: {e!r}", file=sys.stderr)
            status = 0
        stats.add("progress", status, (time.monotonic() - due) * 1000)
        due += interval


def progress(args):
    with open(args.pages) as f:
        pages = json.load(f)
    clients = []
    with open(args.sessions) as f:
        for line in f:
            if line.strip():
                token, source = line.split()
                c = Client(args.base, source)
                c.jar["marquee_session"] = token
                clients.append(c)
    stats = Stats()
    stop_at = time.monotonic() + args.duration
    failed = []

    def viewer(c, n):
        try:
            progress_loop(c, pages, args.interval, stop_at, stats, n)
        except (OSError, http.client.HTTPException, RuntimeError) as e:
            print(f"viewer {n}: {e!r}", file=sys.stderr)
            failed.append(n)

    threads = [threading.Thread(target=viewer, daemon=True, args=(c, n))
               for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.duration + 120)
    ok = report(stats, ["browse", "progress"], args.duration, args.report,
                f"{len(clients)} viewers, a report every {args.interval:g} s each",
                0, len(failed))
    return 0 if ok else 1


def report(stats, kinds, duration, path, what, p99_ms, failed_clients=0):
    """Prints (and writes to PATH) the table of KINDS; True if it passed
    (no errors, and the p99 at most P99_MS unless that is 0)."""
    lines = [f"{'kind':<9} {'count':>7} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    everything = []
    for kind in kinds:
        xs = stats.lat[kind]
        everything += xs
        lines.append(f"{kind:<9} {len(xs):7d} {stats.errors[kind]:6d} "
                     f"{pct(xs, 50):8.1f} {pct(xs, 99):8.1f} {max(xs, default=0):8.1f}")
    errors = sum(stats.errors.values()) + failed_clients
    p99 = pct(everything, 99)
    lines.append(f"{'all':<9} {len(everything):7d} {errors:6d} "
                 f"{pct(everything, 50):8.1f} {p99:8.1f} {max(everything, default=0):8.1f}")
    lines.append(f"{what}: achieved {len(everything) / duration:.1f}/s over {duration:g} s")
    for key, n in sorted(stats.statuses.items()):
        lines.append(f"unexpected: {key} x{n}")
    if failed_clients:
        lines.append(f"unexpected: {failed_clients} clients stopped early")
    fivexx = sum(n for key, n in stats.statuses.items() if key.split()[1].startswith("5"))
    limited = p99_ms > 0
    ok = errors == 0 and (not limited or p99 <= p99_ms)
    limit = f"limit {p99_ms:g} ms" if limited else "no limit"
    lines.append(f"{'PASS' if ok else 'FAIL'}: {errors} errors ({fivexx} 5xx), "
                 f"p99 {p99:.1f} ms ({limit})")
    text = "\n".join(lines)
    print(text)
    if path:
        with open(path, "w") as f:
            f.write(text + "\n")
    return ok


def run(args):
    with open(args.pages) as f:
        pages = json.load(f)
    accounts = read_accounts(args.accounts)
    clients = []
    for email, password, source in accounts:
        c = Client(args.base, source)
        status = login(c, email, password)
        if status != 303 or "marquee_session" not in c.jar:
            print(f"login {email}: HTTP {status}", file=sys.stderr)
            return 2
        clients.append(c)
    stats = Stats()
    stop_at = time.monotonic() + args.duration
    per_member = args.rate / len(clients)
    threads = [threading.Thread(target=member_loop, daemon=True,
                                args=(c, pages, per_member, stop_at, stats, n))
               for n, c in enumerate(clients)]
    if args.logins_per_s > 0:
        threads.append(threading.Thread(
            target=login_loop, daemon=True,
            args=(args.base, accounts, args.logins_per_s, stop_at, stats)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.duration + 120)

    ok = report(stats, list(EXPECT), args.duration, args.report,
                f"rate asked {args.rate:g}/s + {args.logins_per_s:g} logins/s", args.p99_ms)
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("signup", "run", "progress"):
        p = sub.add_parser(name)
        p.add_argument("base")
        p.add_argument("pages")
        p.add_argument("sessions" if name == "progress" else "accounts")
        if name == "progress":
            p.add_argument("--interval", type=float, default=10)
            p.add_argument("--duration", type=float, required=True)
            p.add_argument("--report")
        if name == "run":
            p.add_argument("--rate", type=float, required=True)
            p.add_argument("--duration", type=float, required=True)
            p.add_argument("--logins-per-s", type=float, default=0.5)
            p.add_argument("--p99-ms", type=float, default=250)
            p.add_argument("--report")
    args = ap.parse_args()
    return {"signup": signup, "run": run, "progress": progress}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
