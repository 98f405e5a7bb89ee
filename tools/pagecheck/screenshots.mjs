// Full-page screenshots of snapshot pages at 1280 px and 390 px, light and dark, and the
// print stylesheet at the printable width of A4 and Letter (portrait, Chromium's default
// margins), for a person to look at. Usage: node screenshots.mjs SNAPSHOT_DIR OUT_DIR PAGE...
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./browser.mjs";

const [root, out, ...pages] = process.argv.slice(2);
if (!root || !out || pages.length === 0) {
  console.error("usage: node screenshots.mjs SNAPSHOT_DIR OUT_DIR PAGE...");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await launch();
try {
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [390, "light"], [390, "dark"]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const rel of pages) {
      await page.goto(pathToFileURL(path.join(root, rel)).href);
      const name = rel.replace(/\/index\.html$|\.html$/, "").replace(/[\/]/g, "-") || "home";
      const file = path.join(out, `${name === "index" ? "home" : name}-${width}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      console.log(`${file}${overflow > 0 ? ` (page wider than the viewport by ${overflow}px)` : ""}`);
    }
    await context.close();
  }
  // The print stylesheet at the printable width of a portrait page (0.4 in margins, 96 dpi).
  for (const [paper, inches] of [["a4", 210 / 25.4], ["letter", 8.5]]) {
    const width = Math.floor((inches - 0.8) * 96);
    const context = await browser.newContext({ viewport: { width, height: 1000 }, colorScheme: "light" });
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    for (const rel of pages) {
      await page.goto(pathToFileURL(path.join(root, rel)).href);
      const name = rel.replace(/\/index\.html$|\.html$/, "").replace(/[\/]/g, "-") || "home";
      const file = path.join(out, `${name === "index" ? "home" : name}-print-${paper}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
