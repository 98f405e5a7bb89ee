// Starts Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) headless through
// playwright-core. playwright-core never downloads a browser; launch() gives each run a
// fresh temporary profile (the --user-data-dir the checks need) and removes it after.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

// $CHROMIUM, else Debian's package, else the Chrome that hosted CI images ship.
export function browserPath() {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/google-chrome"];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error("no Chromium: run scripts/install-page-tools.sh (or set CHROMIUM)");
  return found;
}

export async function launch() {
  return chromium.launch({
    executablePath: browserPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
