#!/usr/bin/env bash
# Screenshots of the home page and a district page of the sample build, at 1280 px and
# 390 px (and dark at 390 px), written to OUT_DIR (default ./screenshots) for a person to
# look at. Needs scripts/install-page-tools.sh. Usage: scripts/screenshots.sh [OUT_DIR] [CACHE_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-screenshots}")
shift || true
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/toaststats build --site "$work/site" --snapshot-time 2026-11-09T06:00:00Z "$@" >/dev/null 2>&1
site=$(realpath "$work/site/current")
node tools/pagecheck/screenshots.mjs "$site" "$out" index.html districts/02/index.html
