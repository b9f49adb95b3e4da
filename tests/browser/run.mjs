// run.mjs - Marquee's pages in Debian's Chromium through playwright-core (issue 5).
//
//   MARQUEE_TEST_URL=http://127.0.0.1:8080 node tests/browser/run.mjs [SCREENSHOT_DIR]
//
// Each page (home, /collections, a collection, a video, /performers, a
// performer, a search, /2257, /terms, /privacy) at 1280x800 and 390x844: answers 200, no console errors or
// uncaught exceptions, a full-page screenshot saved, and on the phone no
// horizontal scrolling.  Then: Tab from the top of the page reaches the
// header's navigation links and the search box with a visible focus ring;
// typing in the search box shows suggestions (arrow keys, Escape); clicking
// a video card opens its video page.  Pages are found by following the
// site's own links, so the test needs no knowledge of the data.
//
// Prints one PASS:/FAIL:/SKIP: line per check (tests/run's protocol); exits
// 1 when something failed.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BASE = (process.env.MARQUEE_TEST_URL || "").replace(/\/+$/, "");
const SHOTS = process.argv[2] || "tests/artifacts/screenshots";
const CHROMIUM = process.env.MARQUEE_CHROMIUM || "/usr/bin/chromium";
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
];

let failures = 0;
const pass = (n) => console.log(`PASS: ${n}`);
const fail = (n, why) => { failures++; console.log(`FAIL: ${n} (${String(why).replace(/\s+/g, " ").slice(0, 300)})`); };
const skip = (n, why) => console.log(`SKIP: ${n} (${why})`);
const check = (n, ok, why) => (ok ? pass(n) : fail(n, why));

if (!BASE) {
  skip("browser", "MARQUEE_TEST_URL is not set");
  process.exit(0);
}
fs.mkdirSync(SHOTS, { recursive: true });

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "marquee-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 800 },
});
// Past the age gate (issue 6): these tests are about the pages behind it.
await context.addCookies([{ name: "marquee_age", value: "1", url: BASE }]);

// A page that records console errors and uncaught exceptions.
async function openPage() {
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  return page;
}

// The first href on `url` matching re, or null.
async function firstLink(page, url, re) {
  await page.goto(BASE + url, { waitUntil: "domcontentloaded" });
  const hrefs = await page.$$eval("main a[href]", (as) => as.map((a) => a.getAttribute("href")));
  return hrefs.find((h) => re.test(h)) || null;
}

try {
  // ------------------------------------------------------------ find pages
  const page = await openPage();
  const collection = await firstLink(page, "/", /^\/collections\/[a-z0-9-]+$/);
  const video = await firstLink(page, "/", /^\/videos\/[a-z0-9-]+$/);
  // The top performers come from a materialized view that may not have been refreshed yet.
  let performer = await firstLink(page, "/performers", /^\/performers\/[a-z0-9-]+$/);
  if (!performer && video) performer = await firstLink(page, video, /^\/performers\/[a-z0-9-]+$/);
  let word = "the";
  if (video) {
    await page.goto(BASE + video, { waitUntil: "domcontentloaded" });
    const title = (await page.textContent("h1")) || "";
    word = (title.match(/[A-Za-z]{4,}/) || [word])[0];
  }
  await page.close();
  const pages = [
    ["home", "/"],
    ["collection", collection],
    ["video", video],
    ["performers", "/performers"],
    ["performer", performer],
    ["search", "/search?q=" + encodeURIComponent(word)],
    ["2257", "/2257"],
    ["collections", "/collections"],
    ["terms", "/terms"],
    ["privacy", "/privacy"],
  ];

  // ------------------------------------------------------------ every page, both sizes
  for (const [name, url] of pages) {
    if (!url) { fail(`${name}: found by following the site's links`, "no link to such a page"); continue; }
    for (const vp of VIEWPORTS) {
      const p = await openPage();
      await p.setViewportSize({ width: vp.width, height: vp.height });
      const resp = await p.goto(BASE + url, { waitUntil: "load" });
      const label = `${name} ${vp.width}x${vp.height}`;
      check(`${label}: 200`, resp && resp.status() === 200, `status ${resp && resp.status()} for ${url}`);
      const file = path.join(SHOTS, `${name}-${vp.width}x${vp.height}.png`);
      await p.screenshot({ path: file, fullPage: true });
      check(`${label}: screenshot saved`, fs.existsSync(file) && fs.statSync(file).size > 0, file);
      check(`${label}: no console errors`, p.errors.length === 0, p.errors.join(" | "));
      const h1 = await p.$$eval("h1", (hs) => hs.length);
      check(`${label}: one h1`, h1 === 1, `${h1} h1 elements`);
      const noAlt = await p.$$eval("img:not([alt])", (is) => is.map((i) => i.getAttribute("src")));
      check(`${label}: every image has alt text`, noAlt.length === 0, noAlt.join(" "));
      if (vp.name === "mobile") {
        const sw = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        check(`${label}: no horizontal scroll`, sw[0] <= sw[1], `scrollWidth ${sw[0]} > innerWidth ${sw[1]}`);
      }
      await p.close();
    }
  }

  // ------------------------------------------------------------ keyboard through the header
  {
    const p = await openPage();
    await p.goto(BASE + "/", { waitUntil: "load" });
    const seen = [];
    let visible = true, why = "";
    for (let i = 0; i < 12; i++) {
      await p.keyboard.press("Tab");
      const f = await p.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const s = getComputedStyle(e);
        return {
          tag: e.tagName.toLowerCase(), href: e.getAttribute("href"), id: e.id,
          inNav: !!e.closest(".site-nav"), inHeader: !!e.closest("header"),
          ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
        };
      });
      if (!f) continue;
      seen.push(f);
      if (f.inHeader && !f.ring) { visible = false; why = `${f.tag} ${f.href || f.id} has no outline`; }
      if (f.id === "site-search-q") break;
    }
    check("keyboard: Tab reaches the navigation links", seen.filter((f) => f.inNav && f.tag === "a").length >= 2,
      JSON.stringify(seen.map((f) => f.href || f.id)));
    check("keyboard: Tab reaches the search box", seen.some((f) => f.id === "site-search-q"),
      JSON.stringify(seen.map((f) => f.href || f.id)));
    check("keyboard: focus is visible on every header control", visible && seen.length > 0, why);
    await p.close();
  }

  // ------------------------------------------------------------ search suggestions
  {
    const p = await openPage();
    await p.goto(BASE + "/", { waitUntil: "load" });
    const box = p.locator("#site-search-q");
    await box.click();
    await box.pressSequentially(word.slice(0, 4), { delay: 80 });
    let shown = false;
    try {
      await p.waitForSelector("#site-search-q-suggest [role=option]", { state: "visible", timeout: 5000 });
      shown = true;
    } catch (e) { /* reported below */ }
    check("suggest: options appear while typing", shown, `nothing for "${word.slice(0, 4)}"`);
    if (shown) {
      check("suggest: combobox expanded", (await box.getAttribute("aria-expanded")) === "true", "aria-expanded not true");
      await p.keyboard.press("ArrowDown");
      const act = await box.getAttribute("aria-activedescendant");
      const sel = act ? await p.getAttribute(`#${act}`, "aria-selected") : null;
      check("suggest: ArrowDown highlights an option", sel === "true", `activedescendant ${act}`);
      await p.keyboard.press("Escape");
      const hidden = await p.$eval("#site-search-q-suggest", (l) => l.hidden);
      check("suggest: Escape closes the list", hidden, "still open");
      await p.keyboard.press("ArrowDown");
      await p.waitForSelector("#site-search-q-suggest [role=option]", { state: "visible", timeout: 5000 }).catch(() => {});
      await p.keyboard.press("ArrowDown");
      const target = await p.$eval("#site-search-q-suggest [aria-selected=true]", (o) => o.getAttribute("data-url")).catch(() => null);
      if (target) {
        await Promise.all([p.waitForURL((u) => u.pathname === target, { timeout: 10000 }), p.keyboard.press("Enter")]);
        check("suggest: Enter opens the highlighted suggestion", new URL(p.url()).pathname === target, p.url());
      } else {
        fail("suggest: Enter opens the highlighted suggestion", "no highlighted option");
      }
    }
    check("suggest: no console errors", p.errors.length === 0, p.errors.join(" | "));
    await p.close();
  }

  // ------------------------------------------------------------ links between pages
  {
    const p = await openPage();
    await p.goto(BASE + (collection || "/"), { waitUntil: "load" });
    const card = p.locator("main a[href^='/videos/']").first();
    const href = await card.getAttribute("href").catch(() => null);
    if (!href) {
      fail("links: a card opens its video page", "no video card");
    } else {
      await Promise.all([p.waitForURL((u) => u.pathname === href, { timeout: 10000 }), card.click()]);
      const h1 = await p.textContent("h1").catch(() => "");
      check("links: a card opens its video page", new URL(p.url()).pathname === href && h1.trim().length > 0, p.url());
      const perf = p.locator("main a[href^='/performers/']").first();
      const phref = await perf.getAttribute("href").catch(() => null);
      if (phref) {
        await Promise.all([p.waitForURL((u) => u.pathname === phref, { timeout: 10000 }), perf.click()]);
        check("links: the video links to its performer", new URL(p.url()).pathname === phref, p.url());
      } else {
        fail("links: the video links to its performer", "no performer link on the video page");
      }
    }
    await p.goto(BASE + "/search?q=" + encodeURIComponent(word), { waitUntil: "load" });
    const res = p.locator(".search-result h3 a").first();
    const rhref = await res.getAttribute("href").catch(() => null);
    if (rhref) {
      await Promise.all([p.waitForURL((u) => u.pathname === rhref, { timeout: 10000 }), res.click()]);
      check("links: a search result opens its video", new URL(p.url()).pathname === rhref, p.url());
    } else {
      fail("links: a search result opens its video", `no result for "${word}"`);
    }
    await p.goto(BASE + "/performers", { waitUntil: "load" });
    await Promise.all([p.waitForURL(/letter=b/, { timeout: 10000 }), p.click(".az-index a[href='/performers?letter=b']")]);
    check("links: the letter index opens a letter", /letter=b/.test(p.url()), p.url());
    check("links: no console errors", p.errors.length === 0, p.errors.join(" | "));
    await p.close();
  }
} catch (e) {
  fail("browser: the run finished", e && e.stack ? e.stack : e);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
