// Nothing cut off (issue 14, layout): loads pages of a built snapshot in headless
// Chromium on a 390 px phone, a 1280 px laptop and printed (A4 and Letter, portrait) and
// measures every table. A finding is a table wider than its container (scrollWidth
// against clientWidth of its `.scroll` wrapper, or its right edge past the printable
// width), a heading or cell whose text spills out of its box (headings squeezed into each
// other), or a page wider than the viewport. One exception, on the phone only: a wrapper
// marked `.wide` may scroll sideways, by design, when it shows the scroll hint and is a
// tab stop (set by tables.js); every other wrapper must not scroll, and must not be a tab
// stop. Every <details> is opened first, so tables inside them are measured too.
// Usage: node overflow.mjs SNAPSHOT_DIR PAGE...   Exits 1 on any finding.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./browser.mjs";

const [root, ...pages] = process.argv.slice(2);
if (!root || pages.length === 0) {
  console.error("usage: node overflow.mjs SNAPSHOT_DIR PAGE...");
  process.exit(2);
}

// Printable widths at Chromium's default margins (0.4 in each side) at 96 px per inch.
const modes = [
  { name: "390px", width: 390, media: "screen" },
  { name: "1280px", width: 1280, media: "screen" },
  { name: "print A4", width: Math.floor((210 / 25.4 - 0.8) * 96), media: "print" },
  { name: "print Letter", width: Math.floor((8.5 - 0.8) * 96), media: "print" },
];

function measure(mode) {
  const findings = [];
  const where = (el) => {
    const t = el.closest("table");
    const cap = t && t.caption ? t.caption.textContent.trim().slice(0, 60) : "";
    return cap ? `table "${cap}"` : el.tagName.toLowerCase();
  };
  const viewport = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > viewport + 1) {
    findings.push(`page is ${document.documentElement.scrollWidth - viewport}px wider than the viewport`);
  }
  for (const table of document.querySelectorAll("table")) {
    if (table.getClientRects().length === 0) continue; // hidden (e.g. print hides it)
    const wrap = table.closest(".scroll");
    const box = table.getBoundingClientRect();
    if (mode.media === "print") {
      if (box.right > viewport + 1) {
        findings.push(`${where(table)}: ${Math.round(box.right - viewport)}px past the printable width`);
      }
    } else if (wrap) {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      const allowed = mode.width < 480 && wrap.classList.contains("wide");
      if (scrolls && !allowed) {
        findings.push(`${where(table)}: ${wrap.scrollWidth - wrap.clientWidth}px wider than its container`);
      }
      if (scrolls && allowed && !(wrap.classList.contains("scrolls") && wrap.tabIndex === 0)) {
        findings.push(`${where(table)}: scrolls without the scroll hint and tab stop`);
      }
      if (!scrolls && wrap.hasAttribute("tabindex")) {
        findings.push(`${where(table)}: a tab stop although it does not scroll`);
      }
    } else if (box.right > viewport + 1) {
      findings.push(`${where(table)}: ${Math.round(box.right - viewport)}px past the viewport`);
    }
    for (const cell of table.querySelectorAll("th, td, caption")) {
      if (cell.getClientRects().length === 0) continue;
      // a heading kept for screen readers only (the cards' thead, clipped to 1 px) is not
      // read on the screen, so it cannot spill there
      const head = cell.closest("thead");
      if (head && getComputedStyle(head).clipPath !== "none") continue;
      if (cell.scrollWidth > cell.clientWidth + 1) {
        const text = cell.textContent.trim().slice(0, 40);
        findings.push(`${where(cell)}: "${text}" spills ${cell.scrollWidth - cell.clientWidth}px out of its cell`);
      }
    }
  }
  return findings;
}

const browser = await launch();
let total = 0;
try {
  for (const mode of modes) {
    const context = await browser.newContext({ viewport: { width: mode.width, height: 900 } });
    const page = await context.newPage();
    await page.emulateMedia({ media: mode.media });
    for (const rel of pages) {
      await page.goto(pathToFileURL(path.join(root, rel)).href);
      await page.evaluate(() => {
        for (const d of document.querySelectorAll("details")) d.open = true;
      });
      // tables.js re-measures on the toggle events the opened <details> fire
      await page.waitForTimeout(50);
      const findings = await page.evaluate(measure, mode);
      total += findings.length;
      console.log(`overflow: ${rel} (${mode.name}): ${findings.length === 0 ? "nothing cut off" : `${findings.length} findings`}`);
      for (const f of findings) console.log(`    ${f}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`overflow: ${total} findings`);
process.exit(total === 0 ? 0 : 1);
