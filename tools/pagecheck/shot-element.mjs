// Screenshot of one element of a page, for looking closely at a chart or table while
// developing. FILL="SELECTOR=TEXT" types TEXT into a field first (e.g. the club filter).
// Usage: [FILL=...] node shot-element.mjs FILE.html CSS_SELECTOR OUT.png [WIDTH] [SCHEME]
import { pathToFileURL } from "node:url";
import path from "node:path";
import { launch } from "./browser.mjs";

const [file, selector, out, width = "1280", scheme = "light"] = process.argv.slice(2);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.resolve(file)).href);
  if (process.env.FILL) {
    const at = process.env.FILL.indexOf("=");
    await page.fill(process.env.FILL.slice(0, at), process.env.FILL.slice(at + 1));
  }
  await page.locator(selector).first().screenshot({ path: out });
} finally {
  await browser.close();
}
