#!/usr/bin/env bash
# Installs what the page checks need, from the ordinary registries only: Debian's
# `chromium` (unless a Chromium or Chrome is already there) and the pinned npm packages of
# tools/pagecheck/ (html-validate, axe-core, playwright-core). No tool may download a
# browser of its own: playwright-core drives the Debian binary.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then $sudo apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! [ -x /usr/bin/google-chrome ]; then
    apt_install chromium
fi
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd tools/pagecheck && npm ci --no-audit --no-fund --loglevel=error)
