// Renders templates/favicon.svg at 32 px in Chromium and writes templates/favicon.ico
// (an ICO holding that PNG, which every current browser reads). The SVG is the source of
// truth; run this after changing it: node tools/pagecheck/favicon.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const svg = readFileSync(join(root, "templates", "favicon.svg"), "utf8");
const size = 32;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<!DOCTYPE html><html><body style="margin:0;background:transparent">` +
      `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}" width="${size}" height="${size}" style="display:block">` +
      `</body></html>`,
  );
  const png = await page.screenshot({ omitBackground: true, type: "png" });
  // ICONDIR (6 bytes) + one ICONDIRENTRY (16 bytes) + the PNG
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0); // reserved
  head.writeUInt16LE(1, 2); // type: icon
  head.writeUInt16LE(1, 4); // one image
  head.writeUInt8(size, 6); // width
  head.writeUInt8(size, 7); // height
  head.writeUInt8(0, 8); // no palette
  head.writeUInt8(0, 9); // reserved
  head.writeUInt16LE(1, 10); // colour planes
  head.writeUInt16LE(32, 12); // bits per pixel
  head.writeUInt32LE(png.length, 14); // size of the PNG
  head.writeUInt32LE(22, 18); // offset of the PNG
  writeFileSync(join(root, "templates", "favicon.ico"), Buffer.concat([head, png]));
  console.log(`templates/favicon.ico: ${22 + png.length} bytes`);
} finally {
  await browser.close();
}
