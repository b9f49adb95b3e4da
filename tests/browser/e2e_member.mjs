// e2e_member.mjs - a member's whole life in Debian's Chromium (issue 6):
// sign up -> pass the age gate -> subscribe through the payment simulator ->
// play a video (the <video> element's currentTime advances with real HLS
// from the seeded test stream, through nginx's /hls/ and hls.js) -> leave
// and come back: playback resumes near the saved position -> cancel ->
// access remains until the period ends -> expiry webhook (the simulator's
// admin API) -> the manifest is now 403.
//
//   MARQUEE_TEST_URL=http://127.0.0.1:8080 node tests/browser/e2e_member.mjs [SCREENSHOT_DIR]
//
// The simulator (deploy/dev/paysim.py) is MARQUEE_PAYSIM_URL (tests/lib/stack.sh),
// by default the site's port + 1000 (deploy/local).  Autoplay: --autoplay-policy=no-user-gesture-required (a
// new member's autoplay preference is on).  Prints one PASS:/FAIL:/SKIP:
// line per check; after a failed step the steps that need it are SKIPped.
// Exits 1 when something failed.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BASE = (process.env.MARQUEE_TEST_URL || "").replace(/\/+$/, "");
const SHOTS = process.argv[2] || "tests/artifacts/screenshots";
const CHROMIUM = process.env.MARQUEE_CHROMIUM || "/usr/bin/chromium";
const MANIFEST = "/hls/test/master.m3u8";
/* nginx keeps a positive HLS authorisation 10 s per session (deploy/nginx/site.conf). */
const AUTH_CACHE_S = 10;

let failures = 0;
const pass = (n) => console.log(`PASS: e2e: ${n}`);
const fail = (n, why) => { failures++; console.log(`FAIL: e2e: ${n} (${String(why).replace(/\s+/g, " ").slice(0, 300)})`); };
const skip = (n, why) => console.log(`SKIP: e2e: ${n} (${why})`);
const check = (n, ok, why) => { (ok ? pass : fail)(n, why); return !!ok; };

if (!BASE) {
  skip("member journey", "MARQUEE_TEST_URL is not set");
  process.exit(0);
}
const port = Number(new URL(BASE).port || 80);
const PAYSIM = (process.env.MARQUEE_PAYSIM_URL ||
  `http://127.0.0.1:${port + 1000 <= 65535 ? port + 1000 : port - 1000}`).replace(/\/+$/, "");
try {
  const r = await fetch(PAYSIM + "/healthz");
  if (!r.ok) throw new Error(`status ${r.status}`);
} catch (e) {
  fail("payment simulator answers", `${PAYSIM}: ${e.message}`);
  process.exit(1);
}
fs.mkdirSync(SHOTS, { recursive: true });

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "marquee-e2e-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required"],
  viewport: { width: 1280, height: 800 },
});
const page = context.pages()[0] || await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => {
  // The stack serves no favicon, and the test itself asks for manifests it
  // must be refused; anything else is the site's problem.
  if (m.type() === "error" && !/\/favicon\.ico$|\/hls\//.test(m.location().url || "")) errors.push(m.text());
});
const shot = (name) => page.screenshot({ path: path.join(SHOTS, `e2e-${name}.png`) }).catch(() => {});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The manifest's status as the page's own fetch sees it (the member's cookies).
const manifestStatus = () => page.evaluate((u) => fetch(u, { cache: "no-store" }).then((r) => r.status), MANIFEST);
// The player's state.
const video = () => page.evaluate(() => {
  const v = document.querySelector("video[data-manifest]");
  return v && { t: v.currentTime, paused: v.paused, resume: Number(v.getAttribute("data-resume")),
    error: v.error && v.error.code };
});
// Wait until cond(state) holds (polling every 250 ms), at most ms; returns the last state.
async function until(get, cond, ms) {
  let s;
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) {
    s = await get();
    if (cond(s)) break;
  }
  return s;
}

const run = Date.now().toString(36) + process.pid;
const email = `e2e${run}@example.test`, username = `e2e${run}`, password = `correct horse battery ${run}`;
let step = "start";

try {
  // ------------------------------------------------------------ age gate
  step = "age gate";
  await page.goto(BASE + "/signup", { waitUntil: "load" });
  check("a new visitor meets the age gate", /\/age-gate/.test(page.url()), page.url());
  await shot("age-gate");
  await Promise.all([page.waitForURL((u) => u.pathname === "/signup", { timeout: 15000 }),
    page.click("form[action='/age-gate'] button[type=submit]")]);
  check("the age gate returns to the page asked for", new URL(page.url()).pathname === "/signup", page.url());

  // ------------------------------------------------------------ sign up (and log in)
  step = "sign up";
  await page.fill("#signup-email", email);
  await page.fill("#signup-username", username);
  await page.fill("#signup-password", password);
  await Promise.all([page.waitForNavigation({ timeout: 20000 }), page.click("form[action='/signup'] button[type=submit]")]);
  if (await page.$("form[action='/login']") && !(await page.$("form[action='/logout']"))) {
    await page.fill("#login-email", email);
    await page.fill("#login-password", password);
    await Promise.all([page.waitForNavigation({ timeout: 20000 }), page.click("form[action='/login'] button[type=submit]")]);
  }
  await page.goto(BASE + "/account", { waitUntil: "load" });
  if (!check("signed up and signed in", new URL(page.url()).pathname === "/account" &&
      (await page.content()).includes(username), page.url())) throw new Error("no account");

  // ------------------------------------------------------------ not yet a subscriber
  step = "video before joining";
  await page.goto(BASE + "/", { waitUntil: "load" });
  const href = await page.$$eval("main a[href^='/videos/']", (as) => as.map((a) => a.getAttribute("href"))[0]);
  if (!href) throw new Error("no video on the home page");
  await page.goto(BASE + href, { waitUntil: "load" });
  check("before subscribing: no player, a way to subscribe",
    !(await page.$("video[data-manifest]")) && !!(await page.$("a[href='/join']")), "player or link");
  check("before subscribing: the manifest is 403", (await manifestStatus()) === 403, "status");

  // ------------------------------------------------------------ subscribe through the simulator
  step = "subscribe";
  await page.goto(BASE + "/join", { waitUntil: "load" });
  await page.check("input[name=plan][value=monthly]");
  await Promise.all([page.waitForURL((u) => u.origin === PAYSIM, { timeout: 20000 }),
    page.click("form[action='/join'] button[type=submit]")]);
  const member = new URL(page.url()).searchParams.get("member");
  check("join sends the member to the processor's hosted form", new URL(page.url()).pathname === "/pay", page.url());
  await shot("paysim");
  await page.fill("#card", "4242 4242 4242 4242");
  await Promise.all([page.waitForURL((u) => u.origin === BASE && u.pathname === "/account", { timeout: 30000 }),
    page.click("form[action='/pay'] button[type=submit]")]);
  check("paying returns to the account page", new URL(page.url()).pathname === "/account", page.url());
  const subs = await (await fetch(`${PAYSIM}/admin/subs?member=${encodeURIComponent(member)}`)).json();
  const sub = subs.length ? subs[subs.length - 1].id : null;
  if (!check("the processor holds the subscription", !!sub, JSON.stringify(subs).slice(0, 200))) throw new Error("no sub");

  // ------------------------------------------------------------ play
  step = "play";
  await page.goto(BASE + href, { waitUntil: "load" });
  if (!check("subscribed: the video page has the player", !!(await page.$("video[data-manifest]")), "no <video>"))
    throw new Error("no player");
  check("subscribed: the manifest is 200", (await manifestStatus()) === 200, "status");
  let s = await until(video, (v) => v && v.t >= 6, 40000);
  check("the video plays: currentTime advances past 6 s", s && s.t >= 6, JSON.stringify(s));
  const q = await page.$eval("#player-quality", (e) => ({ n: e.options.length, v: e.value, label: e.labels[0] && e.labels[0].textContent }))
    .catch(() => null);
  check("a labelled quality menu with the stream's renditions", q && q.n >= 2 && q.label === "Quality", JSON.stringify(q));
  await shot("playing");
  const watched = (await video()).t;

  // ------------------------------------------------------------ leave and come back
  step = "resume";
  await page.goto(BASE + "/", { waitUntil: "load" });   // pagehide: sendBeacon
  const row = await until(() => page.reload({ waitUntil: "load" }).then(() =>
    page.$$eval(".continue-watching a[href^='/videos/']", (as) => as.map((a) => a.getAttribute("href")))),
    (hrefs) => hrefs.includes(href), 10000);
  check("home: the video is in Continue watching", row && row.includes(href), JSON.stringify(row));
  await page.goto(BASE + href, { waitUntil: "load" });
  const saved = (await video()).resume;
  check("the saved position is where the member left", saved >= 4 && saved <= watched + 1,
    `saved ${saved}, left at ${watched}`);
  s = await until(video, (v) => v && v.t >= saved && !v.paused, 30000);
  check("playback resumes near the saved position", s && s.t >= saved && s.t < saved + 8, JSON.stringify(s));

  // ------------------------------------------------------------ cancel
  step = "cancel";
  await page.goto(BASE + "/account", { waitUntil: "load" });
  await Promise.all([page.waitForNavigation({ timeout: 20000 }),
    page.click("form[action='/account/subscription/cancel'] button[type=submit]")]);
  await shot("canceled");
  check("the account page says access lasts until the period ends",
    /You keep access until/.test(await page.content()), "no such sentence");
  await page.goto(BASE + href, { waitUntil: "load" });
  check("canceled: the player is still there", !!(await page.$("video[data-manifest]")), "no <video>");
  check("canceled: the manifest is still 200", (await manifestStatus()) === 200, "status");

  // ------------------------------------------------------------ expiry
  step = "expiry";
  const r = await (await fetch(`${PAYSIM}/admin/expire?sub=${encodeURIComponent(sub)}`, { method: "POST" })).json();
  check("the simulator's expiry webhook is accepted", r.status === 200, JSON.stringify(r));
  const st = await until(manifestStatus, (c) => c === 403, (AUTH_CACHE_S + 5) * 1000);
  check(`expired: the manifest is 403 (within nginx's ${AUTH_CACHE_S} s auth cache)`, st === 403, `status ${st}`);
  await page.goto(BASE + href, { waitUntil: "load" });
  check("expired: no player, a way to subscribe again",
    !(await page.$("video[data-manifest]")) && !!(await page.$("a[href='/join']")), "player or link");
  await shot("expired");
  check("no script errors on the way", errors.length === 0, errors.join(" | "));
} catch (e) {
  fail(`journey stopped at "${step}"`, e && e.stack ? e.stack : e);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
