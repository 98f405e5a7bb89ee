// Runs axe-core in Debian's headless Chromium (driven by playwright-core, which never
// downloads a browser here) on pages of a built snapshot, in the light and the dark
// colour scheme. Prints every violation; exits 1 when any is serious or critical.
// Usage: node axe.mjs SNAPSHOT_DIR PAGE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./browser.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [root, ...pages] = process.argv.slice(2);
if (!root || pages.length === 0) {
  console.error("usage: node axe.mjs SNAPSHOT_DIR PAGE...");
  process.exit(2);
}

const browser = await launch();
let blocking = 0;
try {
  for (const scheme of ["light", "dark"]) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const rel of pages) {
        await page.goto(pathToFileURL(path.join(root, rel)).href);
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() =>
          window.axe.run(document, { resultTypes: ["violations"] }),
        );
        const label = `${rel} (${scheme}, ${width}px)`;
        if (result.violations.length === 0) {
          console.log(`axe: ${label}: no violations`);
        }
        for (const v of result.violations) {
          const serious = v.impact === "serious" || v.impact === "critical";
          if (serious) blocking += 1;
          console.log(`axe: ${label}: ${v.impact}: ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
          for (const n of v.nodes.slice(0, 5)) {
            console.log(`    ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`);
          }
        }
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`axe: ${blocking} serious or critical violations`);
process.exit(blocking === 0 ? 0 : 1);
