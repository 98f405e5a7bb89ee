#!/usr/bin/env bash
# Screenshots of the home page, a district page (with its program year and what changed),
# a club page and the rankings history of the sample build, at 1280 px and 390 px (light
# and dark), and printed on A4 and Letter, written to OUT_DIR (default ./screenshots) for a person to
# look at. PAGES overrides the list (e.g. for --cache ../shared/realdata/cache). Needs
# scripts/install-page-tools.sh. Usage: [PAGES="..."] scripts/screenshots.sh [OUT_DIR] [CACHE_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-screenshots}")
shift || true
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/toaststats build --site "$work/site" --snapshot-time 2026-11-09T06:00:00Z "$@" >/dev/null 2>&1
site=$(realpath "$work/site/current")
pages=${PAGES:-index.html districts/02/index.html districts/02/clubs/07779086/index.html rankings/history/index.html}
# shellcheck disable=SC2086 # the page list splits on spaces
node tools/pagecheck/screenshots.mjs "$site" "$out" $pages
