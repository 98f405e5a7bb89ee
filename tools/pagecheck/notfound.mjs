// The 404 page at any missing address (issue 14 item 13), in headless Chromium: serves a
// built snapshot the way GitHub Pages does (under PREFIX, e.g. / or /repo/; 404.html with
// status 404 for every missing path), opens missing addresses at depth 0, 2 and 3, and
// checks that every link and icon of the page then resolves (200), and that nothing but
// the missing page itself (and the script's snapshot.json probes) answered 404.
// With --no-js the page must work without its script (a base path was configured).
// SHOTS=DIR saves a screenshot of each address (390 px wide) there.
// Usage: [SHOTS=DIR] node notfound.mjs SNAPSHOT_DIR PREFIX [--no-js]
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { launch } from "./browser.mjs";

const [root, prefix = "/", flag] = process.argv.slice(2);
if (!root || !prefix.startsWith("/") || !prefix.endsWith("/")) {
  console.error("usage: node notfound.mjs SNAPSHOT_DIR PREFIX(/ or /repo/) [--no-js]");
  process.exit(2);
}
const noJs = flag === "--no-js";
const types = { html: "text/html", css: "text/css", js: "text/javascript", json: "application/json", svg: "image/svg+xml", ico: "image/x-icon", csv: "text/csv" };

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  let rel = null;
  if (url.pathname.startsWith(prefix)) {
    rel = decodeURIComponent(url.pathname.slice(prefix.length));
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
  }
  const file = rel && !rel.includes("..") ? path.join(root, rel) : null;
  let ok = false;
  try { ok = file !== null && statSync(file).isFile(); } catch { ok = false; }
  const body = readFileSync(ok ? file : path.join(root, "404.html"));
  res.writeHead(ok ? 200 : 404, { "Content-Type": types[path.extname(ok ? file : "x.html").slice(1)] || "application/octet-stream" });
  res.end(req.method === "HEAD" ? undefined : body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const missing = ["nope.html", "districts/99/index.html", "districts/99/clubs/1/index.html", "no/such/folder/"];
const browser = await launch();
let failures = 0;
try {
  const context = await browser.newContext({ javaScriptEnabled: !noJs });
  const page = await context.newPage();
  for (const rel of missing) {
    const address = `${origin}${prefix}${rel}`;
    const bad = [];
    page.removeAllListeners("response");
    page.on("response", (r) => {
      const u = r.url();
      if (r.status() >= 400 && u !== address && !u.endsWith("/snapshot.json")) bad.push(`${r.status()} ${u}`);
    });
    const first = await page.goto(address, { waitUntil: "networkidle" });
    if (first.status() !== 404) bad.push(`the missing page answered ${first.status()}`);
    // the fallback script may still be probing: give it a moment
    await page.waitForTimeout(300);
    // in-page anchors (the skip link) stay on the missing page: not links to check
    const links = await page.$$eval("a[href], link[href]", (els) =>
      els.filter((e) => !e.getAttribute("href").startsWith("#")).map((e) => e.href),
    );
    for (const href of links) {
      if (!href.startsWith(origin)) continue;
      const target = href.split("#")[0];
      const r = await page.request.get(target);
      if (r.status() !== 200) bad.push(`link ${target}: ${r.status()}`);
    }
    const label = `${prefix}${rel}${noJs ? " (no JavaScript)" : ""}`;
    if (process.env.SHOTS) {
      const name = `404${`${prefix}${rel}`.replace(/[^a-z0-9]+/gi, "-")}${noJs ? "-nojs" : ""}.png`;
      await page.setViewportSize({ width: 390, height: 900 });
      await page.screenshot({ path: path.join(process.env.SHOTS, name), fullPage: true });
    }
    if (bad.length === 0) {
      console.log(`404 page: ${label}: ${links.length} links and icons resolve`);
    } else {
      failures += bad.length;
      for (const b of bad) console.log(`404 page: ${label}: ${b}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failures === 0 ? 0 : 1);
