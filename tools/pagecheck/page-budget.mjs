// Page budgets (issue 22): a page's height on a phone (390 px wide) and the sheets it
// prints on, A4 and Letter, counted from the PDF Chromium prints (the print stylesheet).
// With --sections it also lists the height of each part of <main>, to see where a page
// spends its screens.
// Usage: node page-budget.mjs SITE_DIR PAGE:MAX_PX:MAX_SHEETS... [--sections]
// A limit of 0 is not checked. Exits 1 when a page is over a limit.
import { pathToFileURL } from "node:url";
import path from "node:path";
import { launch } from "./browser.mjs";

const args = process.argv.slice(2);
const sections = args.includes("--sections");
const [site, ...pages] = args.filter((a) => a !== "--sections");
const PHONE = { width: 390, height: 844 };
const browser = await launch();
let failed = 0;
try {
  const context = await browser.newContext({ viewport: PHONE });
  for (const spec of pages) {
    const [rel, maxPx = "0", maxSheets = "0"] = spec.split(":");
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.resolve(site, rel)).href);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const sheets = {};
    for (const format of ["A4", "Letter"]) {
      const pdf = await page.pdf({ format, printBackground: false });
      // each page of a PDF is one "/Type /Page" object (not "/Pages", the tree)
      sheets[format] = (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
    }
    const kb = (await page.content()).length / 1024;
    const screens = (height / PHONE.height).toFixed(1);
    const over = [];
    if (Number(maxPx) && height > Number(maxPx)) over.push(`taller than ${maxPx} px`);
    for (const [format, n] of Object.entries(sheets)) {
      if (Number(maxSheets) && n > Number(maxSheets)) over.push(`${n} ${format} sheets, over ${maxSheets}`);
    }
    console.log(
      `${rel}: ${height} px at 390 px (${screens} screens), ${sheets.A4} A4 / ${sheets.Letter} Letter sheets, ${kb.toFixed(1)} KB` +
        (over.length ? ` — OVER: ${over.join("; ")}` : ""),
    );
    if (sections) {
      const parts = await page.evaluate(() =>
        [...document.querySelectorAll("main > *")].map((el) => [
          Math.round(el.getBoundingClientRect().height),
          el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
            (el.getAttribute("aria-labelledby") ? `[${el.getAttribute("aria-labelledby")}]` : ""),
        ]),
      );
      for (const [h, name] of parts) console.log(`  ${String(h).padStart(5)} ${name}`);
    }
    failed += over.length ? 1 : 0;
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
