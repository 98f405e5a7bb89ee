// Screenshot of one element of a page, for looking closely at a chart or table while
// developing. SCHEME is light, dark, or print-a4 / print-letter (the print stylesheet at
// the page width of that paper, 96 dpi, so the element is seen as it prints).
// FILL="SELECTOR=TEXT" types TEXT into a field first (e.g. the club filter).
// Usage: [FILL=...] node shot-element.mjs FILE.html CSS_SELECTOR OUT.png [WIDTH] [SCHEME]
import { pathToFileURL } from "node:url";
import path from "node:path";
import { launch } from "./browser.mjs";

const PAPER = { "print-a4": 794, "print-letter": 816 };
const [file, selector, out, width = "1280", scheme = "light"] = process.argv.slice(2);
const print = scheme in PAPER;
const browser = await launch();
try {
  const context = await browser.newContext({
    viewport: { width: print ? PAPER[scheme] : Number(width), height: 900 },
    colorScheme: print ? "light" : scheme,
  });
  const page = await context.newPage();
  if (print) await page.emulateMedia({ media: "print" });
  await page.goto(pathToFileURL(path.resolve(file)).href);
  if (process.env.FILL) {
    const at = process.env.FILL.indexOf("=");
    await page.fill(process.env.FILL.slice(0, at), process.env.FILL.slice(at + 1));
  }
  await page.locator(selector).first().screenshot({ path: out });
} finally {
  await browser.close();
}
