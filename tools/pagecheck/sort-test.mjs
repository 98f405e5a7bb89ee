// Runs templates/sort.js under node against small tables in a minimal DOM stub (no
// browser, no jsdom) and checks the orders issue 14 asks for: Level and Health by their
// data-sort keys or the heading's data-order (the order the build defines), numbers biggest
// first on the first click,
// text A to Z, "unknown" and blanks last in both directions, aria-sort kept right.
// Given a snapshot folder and pages, it then clicks, in Chromium, every column of each
// sortable table whose cells carry data-sort keys or whose heading lists its words in
// order (the keys the build writes: level, rank movement; health words) and checks the rows come out in key order both ways, rows
// without a key last.
// Usage: node tools/pagecheck/sort-test.mjs [SNAPSHOT_DIR PAGE...] (exit 1 on a failure).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import assert from "node:assert/strict";

class El {
  constructor(tag, attrs = {}, children = []) {
    this.tag = tag;
    this.attrs = { ...attrs };
    this.children = [];
    this.parent = null;
    this.listeners = {};
    children.forEach((c) => this.appendChild(typeof c === "string" ? new Text(c) : c));
  }
  get firstChild() { return this.children[0] || null; }
  appendChild(c) {
    if (c.parent) c.parent.children.splice(c.parent.children.indexOf(c), 1);
    c.parent = this;
    this.children.push(c);
    return c;
  }
  get textContent() { return this.children.map((c) => c.textContent).join(""); }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  hasAttribute(n) { return n in this.attrs; }
  setAttribute(n, v) { this.attrs[n] = String(v); }
  removeAttribute(n) { delete this.attrs[n]; }
  addEventListener(type, f) { (this.listeners[type] ||= []).push(f); }
  click() { (this.listeners.click || []).forEach((f) => f()); }
  byTag(tag) { return this.children.filter((c) => c.tag === tag); }
  // the table API sort.js uses
  get tHead() { return this.byTag("thead")[0] || null; }
  get tBodies() { return this.byTag("tbody"); }
  get rows() { return this.byTag("tr"); }
  get cells() { return this.children.filter((c) => c.tag === "td" || c.tag === "th"); }
}
class Text {
  constructor(t) { this.text = t; this.parent = null; }
  get textContent() { return this.text; }
}

// One cell: a string, or [text, data-sort].
const cell = (tag, v) => Array.isArray(v) ? new El(tag, { "data-sort": v[1] }, [v[0]]) : new El(tag, {}, [v]);
function table(headings, rows) {
  return new El("table", { class: "data sortable" }, [
    // a heading is a string, or [text, data-order] (the words of a column in sort order)
    new El("thead", {}, [new El("tr", {}, headings.map((h) => Array.isArray(h) ? new El("th", { "data-order": h[1] }, [h[0]]) : new El("th", {}, [h])))]),
    new El("tbody", {}, rows.map((r) => new El("tr", {}, r.map((v, i) => cell(i === 0 ? "th" : "td", v))))),
  ]);
}

// Keys as the build writes them: level 0 none … 4 Smedley on each cell; the health words
// once, in the heading, worst first; a club not assessed has no key and no text.
const t = table(["Club", "Members", "Level", ["Health", "Intervention required|Vulnerable|Thriving"]], [
  ["Alpha", "12", ["on track for Select", 2], "Thriving"],
  ["beta", "unknown", ["President's", 3], "Intervention required"],
  ["Gamma", "8", ["", 0], "Vulnerable"],
  ["Delta", "+1,204", ["Distinguished", 1], ""],
  ["Epsilon", "\u22123", ["Smedley", 4], "Thriving"],
  ["Zeta", "", "", "Vulnerable"],
]);
const document = { querySelectorAll: (s) => (s === "table.sortable" ? [t] : []), createElement: (tag) => new El(tag) };
const here = path.dirname(fileURLToPath(import.meta.url));
vm.runInNewContext(readFileSync(path.join(here, "../../templates/sort.js"), "utf8"), { document });

const heads = t.tHead.rows[0].cells;
const names = () => t.tBodies[0].rows.map((r) => r.cells[0].textContent);
const sort = (col) => heads[col].firstChild.click();
const sorted = () => heads.map((h) => h.getAttribute("aria-sort"));
const cases = [
  // column, expected order after the first click, after the second, first direction
  [2, ["Epsilon", "beta", "Alpha", "Delta", "Gamma", "Zeta"], ["Gamma", "Delta", "Alpha", "beta", "Epsilon", "Zeta"], "descending"],
  [3, ["Alpha", "Epsilon", "Gamma", "Zeta", "beta", "Delta"], ["beta", "Gamma", "Zeta", "Alpha", "Epsilon", "Delta"], "descending"],
  [1, ["Delta", "Alpha", "Gamma", "Epsilon", "beta", "Zeta"], ["Epsilon", "Gamma", "Alpha", "Delta", "beta", "Zeta"], "descending"],
  [0, ["Alpha", "beta", "Delta", "Epsilon", "Gamma", "Zeta"], ["Zeta", "Gamma", "Epsilon", "Delta", "beta", "Alpha"], "ascending"],
];
let failed = 0;
for (const [col, first, second, dir] of cases) {
  const name = heads[col].textContent;
  try {
    sort(col);
    assert.deepEqual(names(), first, `${name}, first click`);
    assert.equal(sorted()[col], dir, `${name}: aria-sort after the first click`);
    assert.equal(sorted().filter(Boolean).length, 1, `${name}: only the sorted column has aria-sort`);
    sort(col);
    assert.deepEqual(names(), second, `${name}, second click`);
    assert.equal(sorted()[col], dir === "ascending" ? "descending" : "ascending", `${name}: aria-sort reversed`);
    console.log(`sort.js: ${name} ok (${dir} first, then reversed, unknown last)`);
  } catch (e) {
    failed++;
    console.error(`sort.js: ${e.message}`);
  }
}

const [root, ...pages] = process.argv.slice(2);
if (root) {
  const { launch } = await import("./browser.mjs");
  const { pathToFileURL } = await import("node:url");
  const browser = await launch();
  try {
    const page = await browser.newPage();
    for (const rel of pages) {
      await page.goto(pathToFileURL(path.join(root, rel)).href);
      // per table and keyed column: the keys after the first click and after the second
      const results = await page.evaluate(() => {
        const out = [];
        document.querySelectorAll("table.sortable").forEach((table, ti) => {
          const heads = table.tHead.rows[0].cells;
          for (let col = 0; col < heads.length; col++) {
            const rows = () => Array.from(table.tBodies[0].rows);
            const order = heads[col].hasAttribute("data-order") ? heads[col].getAttribute("data-order").split("|") : null;
            if (!order && !rows().some((r) => r.cells[col] && r.cells[col].hasAttribute("data-sort"))) continue;
            const keys = () => rows().map((r) => {
              const c = r.cells[col];
              if (c.hasAttribute("data-sort")) return Number(c.getAttribute("data-sort"));
              const at = order ? order.indexOf(c.textContent.trim()) : -1;
              return at < 0 ? null : at;
            });
            const button = heads[col].querySelector("button");
            button.click();
            const first = { keys: keys(), aria: heads[col].getAttribute("aria-sort") };
            button.click();
            const second = { keys: keys(), aria: heads[col].getAttribute("aria-sort") };
            out.push({ table: table.caption ? table.caption.textContent : `table ${ti + 1}`, column: heads[col].textContent, first, second });
          }
        });
        return out;
      });
      const inOrder = (keys, sign) => {
        const known = keys.filter((k) => k !== null);
        const lastKnown = keys.length - keys.slice().reverse().findIndex((k) => k !== null);
        return known.every((k, i) => i === 0 || sign * (k - known[i - 1]) >= 0) && (known.length === keys.length || keys.slice(lastKnown).every((k) => k === null));
      };
      if (results.length === 0) {
        failed++;
        console.error(`sort.js: ${rel}: no column with data-sort keys`);
      }
      for (const r of results) {
        const ok = r.first.aria === "descending" && inOrder(r.first.keys, -1) && r.second.aria === "ascending" && inOrder(r.second.keys, 1);
        if (!ok) failed++;
        const distinct = new Set(r.first.keys.filter((k) => k !== null)).size;
        console[ok ? "log" : "error"](`sort.js: ${rel}: ${r.table}: ${r.column}: ${ok ? "ok" : "WRONG ORDER"} (${r.first.keys.length} rows, ${distinct} distinct keys)${ok ? "" : " " + JSON.stringify(r)}`);
      }
    }
  } finally {
    await browser.close();
  }
}
process.exit(failed ? 1 : 0);
