// Starts Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) headless through
// playwright-core. playwright-core never downloads a browser; launch() gives each run a
// fresh temporary profile (the --user-data-dir the checks need) and removes it after.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
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
