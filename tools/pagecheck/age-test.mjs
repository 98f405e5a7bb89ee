// The age line (issue 24) in headless Chromium: serves a built snapshot over HTTP, sets
// the browser's clock, and checks what templates/age.js makes of the line: "(today)",
// "(yesterday)", "(3 days old)" in the reader's calendar; a link to newer figures when
// status.json is newer than the page's build, pointing at the same page; the page's own
// text unchanged when status.json cannot be read or JavaScript is off; and the live part
// hidden in print. The snapshot must be the sample's newest build (figures of 8 November
// 2026, collected 8 November 2026).
// Usage: node tools/pagecheck/age-test.mjs SNAPSHOT_DIR [PAGE] (exit 1 on a failure).
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { launch } from "./browser.mjs";

const [root, rel = "districts/02/index.html"] = process.argv.slice(2);
if (!root) {
  console.error("usage: node age-test.mjs SNAPSHOT_DIR [PAGE]");
  process.exit(2);
}
const types = { html: "text/html", css: "text/css", js: "text/javascript", json: "application/json", svg: "image/svg+xml", ico: "image/x-icon" };
const STATUS = "/api/v1/status.json";
// What the server answers for status.json: the file, a newer one, or an error.
let statusAnswer = "file";

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === STATUS && statusAnswer !== "file") {
    if (statusAnswer === "error") {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("no");
      return;
    }
    const v = JSON.parse(readFileSync(path.join(root, STATUS)));
    v.data_date = statusAnswer;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(v));
    return;
  }
  let name = decodeURIComponent(url.pathname.slice(1));
  if (name === "" || name.endsWith("/")) name += "index.html";
  const file = name.includes("..") ? null : path.join(root, name);
  let ok = false;
  try { ok = file !== null && statSync(file).isFile(); } catch { ok = false; }
  res.writeHead(ok ? 200 : 404, { "Content-Type": types[path.extname(file || "").slice(1)] || "application/octet-stream" });
  res.end(ok ? readFileSync(file) : "missing");
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const address = `http://127.0.0.1:${server.address().port}/${rel}`;
const STATIC = "These figures are of 8 November 2026 and were collected on 8 November 2026.";

const browser = await launch();
let failures = 0;
function check(label, got, want) {
  if (got === want) {
    console.log(`age line: ${label}: ok`);
  } else {
    failures++;
    console.log(`age line: ${label}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}
// The line's text once the script has had its chance (status.json fetched or failed).
async function line({ now, answer = "file", js = true, media = "screen" }) {
  statusAnswer = answer;
  // a time zone ahead of UTC: the age counts in the reader's calendar, not UTC's
  const context = await browser.newContext({ javaScriptEnabled: js, timezoneId: "Pacific/Auckland" });
  const page = await context.newPage();
  if (js) await page.clock.setFixedTime(new Date(now));
  await page.emulateMedia({ media });
  await page.goto(address, { waitUntil: "networkidle" });
  await page.waitForTimeout(200);
  const text = await page.$eval("#age", (el) => el.innerText.replace(/\s+/g, " ").trim());
  const link = await page.$eval("#age", (el) => (el.querySelector("a") || {}).href || null);
  await context.close();
  return { text, link };
}
try {
  // 8 November 2026, 20:00 in Auckland is still 8 November there (07:00 UTC)
  check("same day", (await line({ now: "2026-11-08T07:00:00Z" })).text,
    "These figures are of 8 November 2026 (today) and were collected on 8 November 2026.");
  // 9 November 01:00 in Auckland while it is still 8 November in UTC
  check("next day in the reader's calendar", (await line({ now: "2026-11-08T12:00:00Z" })).text,
    "These figures are of 8 November 2026 (yesterday) and were collected on 8 November 2026.");
  check("three days", (await line({ now: "2026-11-10T12:00:00Z" })).text,
    "These figures are of 8 November 2026 (3 days old) and were collected on 8 November 2026.");
  const newer = await line({ now: "2026-11-10T12:00:00Z", answer: "2026-11-09" });
  check("newer figures on the site", newer.text,
    "These figures are of 8 November 2026 (3 days old) and were collected on 8 November 2026. Newer figures, of 9 November 2026, are on the site: see this page with them.");
  check("its link is this page", newer.link, address);
  check("status.json fails", (await line({ now: "2026-11-10T12:00:00Z", answer: "error" })).text, STATIC);
  check("a clock before the figures", (await line({ now: "2026-11-01T12:00:00Z" })).text, STATIC);
  check("no JavaScript", (await line({ now: "2026-11-10T12:00:00Z", js: false })).text, STATIC);
  check("print keeps the dates only", (await line({ now: "2026-11-10T12:00:00Z", answer: "2026-11-09", media: "print" })).text, STATIC);
} finally {
  await browser.close();
  server.close();
}
if (failures > 0) {
  console.error(`age-test: ${failures} failure(s)`);
  process.exit(1);
}
console.log("age-test: ok");
