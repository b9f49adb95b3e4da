#!/usr/bin/env python3
"""paysim - a stand-in for the payment processor, for development and tests.

NEVER for production: it takes any well-formed test card and keeps its
state in memory.  It speaks the real protocol, so the application cannot
tell it from the processor:

  GET  /pay?plan=..&amount=..&currency=..&member=..&reference=..&return_url=..
           &signature=t=<unix>,v1=<hex>
       The hosted payment form.  The signature is a Marquee-Signature value
       (src/webhook.h) made with the processor secret over the query string
       before "&signature="; a missing, wrong or stale (> 1 h) one is 400.
  POST /pay  (checkout, card)  takes the card (Luhn; 4000000000000002 is
       declined), creates the subscription, sends a signed `sale` webhook
       to the application, then 303 to return_url.
  POST /api/subscriptions/cancel   the processor's API, called by
       `marqueectl billing-send` (src/ctl/outbox.c).  Body
       {"subscription": ID, "reason": ..., "requested_at": UNIX}, header
       Marquee-Signature made with the processor secret (5 min tolerance:
       401 otherwise, nothing done) and Idempotency-Key (400 without).  The
       first request with a key is carried out: the subscription is marked
       canceled, the answer (200, or 404 for an unknown subscription) is
       kept, and a signed `cancellation` webhook goes to the application
       afterwards, as the real processor does.  A repeat with the same key
       gets the kept answer and changes nothing (422 if its body differs).
  Admin API for tests (loopback only, like everything here); each sends
  the matching signed webhook and answers JSON {"event", "status", "body"}:
  POST /admin/subscribe?member=UUID[&plan=monthly]  a new subscription, as
                                          if paid on the form (sale webhook)
  POST /admin/renew?sub=ID[&at=UNIX]      renewal: next period
  POST /admin/fail?sub=ID[&at=UNIX]       renewal_failure
  POST /admin/cancel?sub=ID[&at=UNIX]     cancellation
  POST /admin/expire?sub=ID[&at=UNIX]     expiry
  POST /admin/refund?sub=ID[&at=UNIX][&kind=chargeback]
  POST /admin/replay?event=ID             the same event again (same id and
                                          body, freshly signed)
  POST /admin/send-raw[?t=UNIX][&secret=S][&unsigned=1]  the request body
       as the event, signed at time t with secret S (forged/stale tests)
  GET  /admin/subs?member=UUID            the member's subscriptions
  GET  /admin/api-request?key=K           what the API did with
       Idempotency-Key K: {"key", "sub", "status" (the answer's), "received"
       (requests with the key), "webhook_status" (the cancellation's, once
       delivered)}; 404 if no request with K was carried out
  GET  /healthz

Webhooks go to --webhook-url with `Marquee-Signature` (HMAC-SHA256 over
"<t>.<body>") and are retried three times on 5xx or a connection failure,
as a real processor would.  Secrets come from the environment
(PAYSIM_PROCESSOR_SECRET, PAYSIM_WEBHOOK_SECRET), never from argv.
State (subscriptions, events, API requests) is in memory, and also in
--state FILE when given, so a restart (a processor outage in the tests)
forgets nothing.
Only the payment token and the card's last 4 digits leave this program.
"""

import argparse
import hashlib
import hmac
import html
import ipaddress
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DAY = 86400
PERIOD = {"monthly": 30 * DAY, "annual": 365 * DAY}
FORM_TOLERANCE = 3600  # a person fills the form: an hour, not webhook's 5 minutes
API_TOLERANCE = 300    # machine to machine: the webhooks' 5 minutes
DECLINED = "4000000000000002"
BODY_MAX = 64 * 1024

LOCK = threading.Lock()
SUBS = {}       # sub id -> dict
EVENTS = {}     # event id -> body bytes
CHECKOUTS = {}  # checkout id -> verified /pay parameters
API = {}        # Idempotency-Key -> what the API did (see /admin/api-request)
STATE_FILE = None


def save():
    """Write the state to STATE_FILE (caller holds LOCK); atomic rename."""
    if STATE_FILE is None:
        return
    state = {"subs": SUBS, "events": {k: v.decode() for k, v in EVENTS.items()}, "api": API}
    tmp = STATE_FILE + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, STATE_FILE)


def load():
    try:
        with open(STATE_FILE) as f:
            state = json.load(f)
    except FileNotFoundError:
        return
    SUBS.update(state["subs"])
    EVENTS.update({k: v.encode() for k, v in state["events"].items()})
    API.update(state["api"])


def sign(secret, t, body):
    mac = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256)
    return "t=%d,v1=%s" % (t, mac.hexdigest())


def verify(secret, header, body, now, tolerance):
    fields = {}
    sigs = []
    for item in header.split(","):
        k, _, v = item.strip().partition("=")
        if k == "v1":
            sigs.append(v)
        else:
            fields[k] = v
    try:
        t = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(now - t) > tolerance:
        return False
    want = sign(secret, t, body).split("v1=")[1]
    return any(hmac.compare_digest(want, s) for s in sigs)


def luhn(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class Sim:
    def __init__(self, webhook_url, processor_secret, webhook_secret):
        self.webhook_url = webhook_url
        self.processor_secret = processor_secret
        self.webhook_secret = webhook_secret

    def deliver(self, body, t=None, secret=None, signed=True):
        """POST body to the app; returns (status, response text)."""
        last = (0, "")
        for attempt in range(3):
            ts = int(time.time()) if t is None else t
            headers = {"Content-Type": "application/json"}
            if signed:
                headers["Marquee-Signature"] = sign(secret or self.webhook_secret, ts, body)
            req = urllib.request.Request(self.webhook_url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return r.status, r.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as e:
                last = (e.code, e.read().decode("utf-8", "replace"))
                if e.code < 500:
                    return last
            except OSError as e:
                last = (0, str(e))
            time.sleep(0.5 * (attempt + 1))
        return last

    def event(self, sub, type_, at=None):
        ev = {
            "id": "evt_" + secrets.token_hex(12),
            "type": type_,
            "created": int(time.time()) if at is None else at,
            "subscription": {k: sub[k] for k in (
                "id", "member", "reference", "plan", "amount", "currency",
                "period_start", "period_end", "payment_token", "last4")},
        }
        body = json.dumps(ev, separators=(",", ":")).encode()
        with LOCK:
            EVENTS[ev["id"]] = body
            save()
        status, text = self.deliver(body)
        return {"event": ev["id"], "status": status, "body": text, "sub": sub["id"]}

    def new_sub(self, member, reference, plan, amount, currency, last4):
        now = int(time.time())
        sub = {
            "id": "sub_" + secrets.token_hex(10),
            "member": member,
            "reference": reference,
            "plan": plan,
            "amount": amount,
            "currency": currency,
            "period_start": now,
            "period_end": now + PERIOD[plan],
            "payment_token": "tok_" + secrets.token_hex(12),
            "last4": last4,
            "status": "active",
        }
        with LOCK:
            SUBS[sub["id"]] = sub
            save()
        return sub

    def confirm_cancel(self, key, sub):
        """The cancellation webhook after an API cancel (its own thread)."""
        res = self.event(sub, "cancellation")
        with LOCK:
            API[key]["webhook_status"] = res["status"]
            API[key]["webhook_event"] = res["event"]
            save()


class Handler(BaseHTTPRequestHandler):
    server_version = "paysim"
    sys_version = ""

    def log_message(self, fmt, *args):
        sys.stderr.write("paysim: %s\n" % (fmt % args))

    # ---- helpers
    def send(self, status, body, ctype="text/plain; charset=utf-8", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status, obj):
        self.send(status, json.dumps(obj) + "\n", "application/json")

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > BODY_MAX:
            raise ValueError("body too large")
        return self.rfile.read(n)

    def query(self):
        raw = urllib.parse.urlsplit(self.path).query
        return raw, {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    @property
    def sim(self):
        return self.server.sim

    # ---- routes
    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            return self.send(200, "ok\n")
        if path == "/pay":
            return self.pay_form()
        if path == "/admin/subs":
            _, q = self.query()
            with LOCK:
                subs = [s for s in SUBS.values() if s["member"] == q.get("member")]
            return self.send_json(200, subs)
        if path == "/admin/api-request":
            _, q = self.query()
            with LOCK:
                rec = API.get(q.get("key", ""))
                rec = None if rec is None else {k: rec.get(k) for k in (
                    "key", "sub", "status", "received", "webhook_status")}
            if rec is None:
                return self.send_json(404, {"error": "no such request"})
            return self.send_json(200, rec)
        self.send(404, "not found\n")

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        try:
            if path == "/pay":
                return self.pay_submit()
            if path == "/api/subscriptions/cancel":
                return self.api_cancel()
            if path.startswith("/admin/"):
                return self.admin(path[len("/admin/"):])
        except ValueError as e:
            return self.send(400, "%s\n" % e)
        self.send(404, "not found\n")

    def pay_form(self):
        raw, q = self.query()
        head, sep, _ = raw.partition("&signature=")
        if not sep or not verify(self.sim.processor_secret, q.get("signature", ""),
                                 head.encode(), int(time.time()), FORM_TOLERANCE):
            return self.send(400, "invalid or expired checkout signature\n")
        for k in ("plan", "amount", "currency", "member", "reference", "return_url"):
            if not q.get(k):
                return self.send(400, "missing %s\n" % k)
        if q["plan"] not in PERIOD:
            return self.send(400, "unknown plan\n")
        if urllib.parse.urlsplit(q["return_url"]).scheme not in ("http", "https"):
            return self.send(400, "bad return_url\n")
        checkout = secrets.token_hex(16)
        with LOCK:
            CHECKOUTS[checkout] = q
        e = html.escape
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payment (test processor)</title></head>
<body>
<h1>Test payment processor</h1>
<p>Development stand-in: no real payment happens. Test card: 4242 4242 4242 4242.</p>
<p>Plan: {e(q["plan"])}, {e(q["amount"])} {e(q["currency"])}</p>
<form method="post" action="/pay">
<input type="hidden" name="checkout" value="{checkout}">
<label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="">
<button type="submit">Pay</button>
</form>
</body></html>
"""
        self.send(200, page, "text/html; charset=utf-8")

    def pay_submit(self):
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.body().decode("utf-8", "replace")).items()}
        with LOCK:
            q = CHECKOUTS.pop(form.get("checkout", ""), None)
        if q is None:
            return self.send(400, "unknown or used checkout\n")
        card = "".join(ch for ch in form.get("card", "") if ch.isdigit())
        if not (12 <= len(card) <= 19) or not luhn(card) or card == DECLINED:
            return self.send(402, "card declined\n")
        sub = self.sim.new_sub(q["member"], q["reference"], q["plan"], q["amount"], q["currency"],
                               card[-4:])
        res = self.sim.event(sub, "sale")
        if res["status"] != 200:
            self.log_message("sale webhook for %s answered %s", sub["id"], res["status"])
        self.send(303, "", headers=[("Location", q["return_url"])])

    def api_cancel(self):
        body = self.body()
        if not verify(self.sim.processor_secret, self.headers.get("Marquee-Signature", ""),
                      body, int(time.time()), API_TOLERANCE):
            self.log_message("api cancel refused: bad or stale signature")
            return self.send_json(401, {"error": "bad signature"})
        key = self.headers.get("Idempotency-Key", "")
        if not key or len(key) > 255:
            return self.send_json(400, {"error": "Idempotency-Key required"})
        digest = hashlib.sha256(body).hexdigest()
        notify = None
        with LOCK:
            rec = API.get(key)
            if rec is not None:
                rec["received"] += 1
                save()
                if rec["digest"] != digest:
                    return self.send_json(422, {"error": "Idempotency-Key used for another request"})
                self.log_message("api cancel %s: repeat of key %s, answered as before", rec["sub"], key)
                return self.send(rec["status"], rec["answer"], "application/json")
            try:
                req = json.loads(body)
                sub_id, reason = req["subscription"], req["reason"]
                if not isinstance(sub_id, str) or not isinstance(reason, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                return self.send_json(400, {"error": "body must be {subscription, reason, requested_at}"})
            sub = SUBS.get(sub_id)
            now = int(time.time())
            if sub is None:
                status, obj = 404, {"error": "unknown subscription"}
            else:
                if sub.get("status") != "canceled":
                    sub = dict(sub, status="canceled", canceled_at=now, cancel_reason=reason)
                    SUBS[sub_id] = sub
                    notify = sub
                status, obj = 200, {"subscription": sub_id, "status": "canceled",
                                    "canceled_at": sub.get("canceled_at")}
            answer = json.dumps(obj) + "\n"
            API[key] = {"key": key, "sub": sub_id, "digest": digest, "status": status,
                        "answer": answer, "received": 1, "webhook_status": None}
            save()
        self.log_message("api cancel %s (key %s): %d", sub_id, key, status)
        self.send(status, answer, "application/json")
        if notify is not None:
            # After answering, as the processor does: the caller does not
            # wait for our webhook round trip to its own site.
            threading.Thread(target=self.sim.confirm_cancel, args=(key, notify), daemon=True).start()

    def admin(self, action):
        raw, q = self.query()
        at = int(q["at"]) if q.get("at") else None
        if action == "subscribe":
            plan = q.get("plan", "monthly")
            if plan not in PERIOD or not q.get("member"):
                return self.send_json(400, {"error": "member and a known plan required"})
            sub = self.sim.new_sub(q["member"], secrets.token_hex(16), plan,
                                   "19.99" if plan == "monthly" else "149.99", "USD", "4242")
            return self.send_json(200, self.sim.event(sub, "sale"))
        if action == "replay":
            with LOCK:
                body = EVENTS.get(q.get("event", ""))
            if body is None:
                return self.send_json(404, {"error": "unknown event"})
            status, text = self.sim.deliver(body)
            return self.send_json(200, {"event": q["event"], "status": status, "body": text})
        if action == "send-raw":
            body = self.body()
            status, text = self.sim.deliver(body, t=int(q["t"]) if q.get("t") else None,
                                            secret=q.get("secret") or None,
                                            signed=q.get("unsigned") != "1")
            return self.send_json(200, {"status": status, "body": text})
        types = {"renew": "renewal", "fail": "renewal_failure", "cancel": "cancellation",
                 "expire": "expiry", "refund": "refund"}
        if action not in types:
            return self.send_json(404, {"error": "unknown action"})
        with LOCK:
            sub = SUBS.get(q.get("sub", ""))
            if sub is None:
                return self.send_json(404, {"error": "unknown subscription"})
            sub = dict(sub)
            if action == "renew":
                length = PERIOD[sub["plan"]]
                sub["period_start"] = sub["period_end"]
                sub["period_end"] = sub["period_end"] + length
            SUBS[sub["id"]] = sub
            save()
        type_ = types[action]
        if action == "refund" and q.get("kind") == "chargeback":
            type_ = "chargeback"
        self.send_json(200, self.sim.event(sub, type_, at))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", default="127.0.0.1:9090", help="loopback HOST:PORT")
    ap.add_argument("--webhook-url", required=True, help="the app's /webhooks/billing URL")
    ap.add_argument("--state", help="keep the state in this JSON file too (survives restarts)")
    args = ap.parse_args()
    host, _, port = args.listen.rpartition(":")
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit("paysim: refusing to listen on a non-loopback address (development only)")
    psec = os.environ.get("PAYSIM_PROCESSOR_SECRET", "")
    wsec = os.environ.get("PAYSIM_WEBHOOK_SECRET", "")
    if len(psec) < 32 or len(wsec) < 32:
        sys.exit("paysim: PAYSIM_PROCESSOR_SECRET and PAYSIM_WEBHOOK_SECRET must be set (>= 32 chars)")
    global STATE_FILE
    if args.state:
        STATE_FILE = args.state
        with LOCK:
            load()
    srv = ThreadingHTTPServer((host, int(port)), Handler)
    srv.sim = Sim(args.webhook_url, psec, wsec)
    sys.stderr.write("paysim: listening on http://%s (webhooks to %s)\n" % (args.listen, args.webhook_url))
    sys.stderr.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
