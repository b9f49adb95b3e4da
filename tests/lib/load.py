#!/usr/bin/env python3
"""load.py - bounded load for the fault-injection tests (tests/integration/test_faults.sh).

python3 standard library only; every loop ends by itself (a duration, a
stop file or a count), and only ever talks to the URL it is given (the
local stack on 127.0.0.1).

  load.py get URL --out FILE [--threads N] [--cookie C] [--source ADDR]
          [--interval S] (--duration S | --stop-file F) PATH...
      N threads cycle over the PATHs (each starts at another one) with
      kept-alive connections, each pausing S between requests, until the
      duration ends or the stop file is removed.  One line a request:  t_end_ms status retry_after path dur_ms
      (t_end_ms: wall clock, ms since the epoch; status: the HTTP status,
      "timeout" when the client gave up after --timeout, "error" when the
      connection failed, its cause on stderr; retry_after: the header's
      value or "-").
  load.py hooks URL --out FILE --member UUID --count N --prefix P [--threads N]
      N signed billing `sale` events (ids P-0 .. P-(N-1), each for its own
      subscription P-sub-I), signed with PAYSIM_WEBHOOK_SECRET from
      $MARQUEE_VAR/paysim.env by deploy/dev/paysim.py's sign().  A delivery
      that fails or is not 2xx is retried as a processor does: freshly
      signed, backoff 0.5 s doubling to 4 s, at most --attempts attempts.
      One line an event:  id final_status attempts first_status
      Each attempt is also traced on stderr: "attempt ID N STATUS".
  load.py progress URL --out FILE --cookie C --video SLUG
          (--duration S | --stop-file F)
      A member (C: its cookie header) reads the CSRF token from the video
      page's data-csrf attribute and reports positions 1, 2, 3... to
      /api/progress (form-encoded, duration 86400, same Origin).  One line a
      report:  position status

A request is sent again only when a reused kept-alive connection turns out
closed before any byte of the response (the server closed it while idle):
once, on a fresh connection.  Anything else counts as it happened.
"""

import argparse
import http.client
import importlib.util
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PAYSIM = os.path.join(HERE, "..", "..", "deploy", "dev", "paysim.py")


def now_ms():
    return int(time.time() * 1000)


# Pauses wait on an event, not time.sleep: under libfaketime with a faked
# wall clock (test_faults' clock skew) time.sleep fails with EINVAL.
pause = threading.Event().wait


class Client:
    """One kept-alive HTTP/1.1 connection to the stack."""

    def __init__(self, url, timeout, source=None):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.origin = "%s://%s" % (u.scheme, u.netloc)
        self.timeout = timeout
        self.source = (source, 0) if source else None
        self.conn = None
        self.used = 0  # requests answered on self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn, self.used = None, 0

    def _send(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout, source_address=self.source)
        self.conn.request(method, path, body=body, headers=headers)

    @staticmethod
    def _error(method, path, e):
        """An "error" result, its cause traced on stderr for the test's log."""
        sys.stderr.write("error %s %s: %s: %s\n" % (method, path, type(e).__name__, e))
        return "error", {}, b""

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes); status "timeout" or "error" on failure."""
        for attempt in (0, 1):
            reused = self.used > 0 and attempt == 0
            try:
                try:
                    self._send(method, path, body, headers or {})
                except (BrokenPipeError, ConnectionResetError) as e:
                    # the server had closed the idle connection: nothing of
                    # the request reached it, nothing of a response came back
                    self.close()
                    if reused:
                        continue
                    return self._error(method, path, e)
                try:
                    r = self.conn.getresponse()
                except ConnectionResetError as e:
                    # closed before the first byte of the status line: a
                    # FIN (RemoteDisconnected) or, when the server closed
                    # the idle connection as our request arrived, a reset
                    # (nginx's old workers do both on a reload)
                    self.close()
                    if reused:
                        continue
                    return self._error(method, path, e)
                data = r.read()
            except socket.timeout:
                self.close()
                return "timeout", {}, b""
            except (OSError, http.client.HTTPException) as e:
                self.close()
                return self._error(method, path, e)
            self.used += 1
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        return "error", {}, b""


def until(args):
    """A function telling whether the run should go on."""
    if args.duration is not None:
        end = time.monotonic() + args.duration
        return lambda: time.monotonic() < end
    return lambda: os.path.exists(args.stop_file)


class Out:
    """Lines from many threads into one file, each written whole."""

    def __init__(self, path):
        self.f = open(path, "w", buffering=1)
        self.lock = threading.Lock()

    def line(self, *fields):
        with self.lock:
            self.f.write(" ".join(str(x) for x in fields) + "\n")


def run_threads(n, target):
    ts = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


# ------------------------------------------------------------------ get

def mode_get(args):
    out = Out(args.out)
    going = until(args)
    headers = {"Cookie": args.cookie} if args.cookie else {}

    def worker(i):
        c = Client(args.url, args.timeout, args.source)
        k = i
        while going():
            path = args.paths[k % len(args.paths)]
            k += 1
            t0 = time.monotonic()
            status, h, _ = c.request("GET", path, headers=headers)
            out.line(now_ms(), status, h.get("retry-after", "-"), path,
                     int((time.monotonic() - t0) * 1000))
            if args.interval:
                pause(args.interval)
        c.close()

    run_threads(args.threads, worker)


# ------------------------------------------------------------------ hooks

def load_sign():
    spec = importlib.util.spec_from_file_location("paysim", PAYSIM)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.sign


def webhook_secret():
    path = os.path.join(os.environ["MARQUEE_VAR"], "paysim.env")
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().partition("=")
            if k == "PAYSIM_WEBHOOK_SECRET":
                return v
    sys.exit("load.py: no PAYSIM_WEBHOOK_SECRET in %s" % path)


def sale(event_id, sub_id, member, now):
    return json.dumps({
        "id": event_id, "type": "sale", "created": now,
        "subscription": {
            "id": sub_id, "member": member, "reference": "fault-test", "plan": "monthly",
            "amount": "19.99", "currency": "USD", "period_start": now,
            "period_end": now + 30 * 86400, "payment_token": "tok_fault", "last4": "4242"},
    }, separators=(",", ":")).encode()


def mode_hooks(args):
    sign, secret = load_sign(), webhook_secret()
    out = Out(args.out)
    lock = threading.Lock()
    todo = list(range(args.count))

    def deliver(c, n):
        eid = "%s-%d" % (args.prefix, n)
        body = sale(eid, "%s-sub-%d" % (args.prefix, n), args.member, int(time.time()))
        first = status = None
        delay = 0.5
        for attempt in range(1, args.attempts + 1):
            headers = {"Content-Type": "application/json",
                       "Marquee-Signature": sign(secret, int(time.time()), body)}
            status, _, _ = c.request("POST", "/webhooks/billing", body=body, headers=headers)
            first = status if first is None else first
            sys.stderr.write("attempt %s %d %s\n" % (eid, attempt, status))
            sys.stderr.flush()
            if isinstance(status, int) and 200 <= status < 300:
                break
            if attempt < args.attempts:
                pause(delay)
                delay = min(delay * 2, 4.0)
        out.line(eid, status, attempt, first)

    def worker(i):
        c = Client(args.url, args.timeout)
        while True:
            with lock:
                if not todo:
                    break
                n = todo.pop(0)
            deliver(c, n)
            if args.interval:
                pause(args.interval)
        c.close()

    run_threads(args.threads, worker)


# ------------------------------------------------------------------ progress

CSRF = re.compile(rb'data-csrf="([^"]+)"')


def mode_progress(args):
    out = Out(args.out)
    going = until(args)
    c = Client(args.url, args.timeout)
    status, _, page = c.request("GET", "/videos/" + args.video, headers={"Cookie": args.cookie})
    m = CSRF.search(page)
    if status != 200 or not m:
        sys.exit("load.py: no data-csrf on /videos/%s (status %s)" % (args.video, status))
    token = m.group(1).decode()
    headers = {"Cookie": args.cookie, "Origin": c.origin,
               "Content-Type": "application/x-www-form-urlencoded"}
    position = 0
    while going():
        position += 1
        body = urllib.parse.urlencode({"video": args.video, "position": position,
                                       "duration": 86400, "csrf": token})
        status, _, _ = c.request("POST", "/api/progress", body=body, headers=headers)
        out.line(position, status)
        if args.interval:
            pause(args.interval)
    c.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("get", "hooks", "progress"))
    ap.add_argument("url", help="the stack, e.g. http://127.0.0.1:18080")
    ap.add_argument("paths", nargs="*", help="get: the paths to cycle over")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="client timeout per request (s)")
    ap.add_argument("--duration", type=float)
    ap.add_argument("--stop-file")
    ap.add_argument("--cookie")
    ap.add_argument("--source", help="get: local address to send from (e.g. 127.0.0.2)")
    ap.add_argument("--interval", type=float, default=0.0, help="pause between requests of a thread (s)")
    ap.add_argument("--member")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--prefix")
    ap.add_argument("--attempts", type=int, default=8)
    ap.add_argument("--video")
    args = ap.parse_intermixed_args()
    if args.mode != "hooks" and (args.duration is None) == (args.stop_file is None):
        ap.error("give one of --duration and --stop-file")
    need = {"get": ("paths",), "hooks": ("member", "prefix"), "progress": ("cookie", "video")}
    for k in need[args.mode]:
        if not getattr(args, k):
            ap.error("%s needs --%s" % (args.mode, k))
    {"get": mode_get, "hooks": mode_hooks, "progress": mode_progress}[args.mode](args)


if __name__ == "__main__":
    main()
