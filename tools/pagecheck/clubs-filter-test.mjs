// The clubs page's filters (issue 22) in Chromium: without JavaScript the whole list is
// shown and no control; with it, the division, area and need selects and the text search
// narrow the rows, hide emptied areas and say how many are shown, and at 390 px every
// club is a card (its cells stacked, no table wider than the screen).
// Usage: node clubs-filter-test.mjs SNAPSHOT_DIR PAGE
import { pathToFileURL } from "node:url";
import path from "node:path";
import { launch } from "./browser.mjs";

const [dir, rel] = process.argv.slice(2);
const url = pathToFileURL(path.resolve(dir, rel)).href;
const browser = await launch();
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAIL"}: ${what}`);
  if (!ok) failed += 1;
};
const visible = (page) =>
  page.$$eval("#club-list tr[data-need]", (rows) => rows.filter((r) => r.offsetParent !== null).length);
try {
  const plain = await browser.newContext({ javaScriptEnabled: false });
  let page = await plain.newPage();
  await page.goto(url);
  const all = await page.$$eval("#club-list tr[data-need]", (r) => r.length);
  check(all > 0 && (await visible(page)) === all, `without JavaScript all ${all} clubs are shown`);
  check(!(await page.isVisible("#club-filters")), "without JavaScript no filter is shown");

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  await page.goto(url);
  check(await page.isVisible("#club-filters"), "with JavaScript the filters are shown");
  const areas = await page.$$eval("#f-area option", (o) => o.map((x) => x.value).filter(Boolean));
  const first = areas[areas.length - 1];
  const inArea = await page.$$eval(
    `#club-list tbody[data-area="${first}"] tr[data-need]`,
    (r) => r.length,
  );
  await page.selectOption("#f-area", first);
  check((await visible(page)) === inArea, `area ${first}: its ${inArea} clubs`);
  const out = await page.textContent("#club-filters output");
  check(out === `${inArea} of ${all} clubs shown`, `the count says so (${out})`);
  await page.selectOption("#f-area", "");
  await page.selectOption("#f-need", "csp");
  const csp = await page.$$eval('#club-list tr[data-need~="csp"]', (r) => r.length);
  check((await visible(page)) === csp, `need "CSP missing": ${csp} clubs`);
  const hiddenAreas = await page.$$eval("#club-list tbody", (b) =>
    b.filter((x) => x.hidden && x.querySelector('tr[data-need~="csp"]')).length,
  );
  check(hiddenAreas === 0, "no area holding a match is hidden");
  await page.selectOption("#f-need", "");
  await page.fill("#f-text", "zzzz-no-such-club");
  check((await visible(page)) === 0, "a search that matches nothing shows nothing");

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await phone.newPage();
  await page.goto(url);
  const card = await page.$eval("#club-list tr[data-need]", (r) => getComputedStyle(r).display);
  check(card === "block", `at 390 px a club is a card (display ${card})`);
  const wide = await page.$eval("#club-list", (t) => t.scrollWidth <= document.documentElement.clientWidth);
  check(wide, "at 390 px the list is no wider than the screen");
} finally {
  await browser.close();
}
if (failed) {
  console.error(`clubs-filter-test: ${failed} failed`);
  process.exit(1);
}
