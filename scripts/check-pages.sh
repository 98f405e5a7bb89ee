#!/usr/bin/env bash
# Page checks of the HTML site (issue 4), run by CI after scripts/install-page-tools.sh:
# builds the sample cache three ways (newest date; the closing-period date; without the
# district summary, so rankings are unavailable), runs html-validate over every page of
# each, then axe-core in headless Chromium on the home, a district and the methodology page,
# and the history pages (issue 11): a district page with its program year and what changed,
# a club page, the rankings history; then the table layout (tools/pagecheck/overflow.mjs)
# of the pages issue 14 laid out. With ../shared/realdata beside the checkout (not in
# CI) the real exports are checked too: a former district and a club that moved. First,
# sort.js is run under node against small tables, then in Chromium on the keyed columns
# (level, health, rank movement) of built pages (tools/pagecheck/sort-test.mjs).
# The 404 page (issue 14) is opened in Chromium at missing addresses of depth 0 to 3,
# served at the root and under a project sub-path, with its script and (with a base path
# configured) without JavaScript: every link and icon must resolve. The age line (issue
# 24) is checked in Chromium with a set clock: its age in words, the link to newer
# figures, and the page's own text without status.json, without JavaScript and in print.
# The clubs page's filters and cards (issue 22, tools/pagecheck/clubs-filter-test.mjs);
# axe and the table layout on a division and an area page (issue 22). The budgets (issue
# 22, tools/pagecheck/page-budget.mjs): a page's height on a phone and the A4 and Letter
# sheets it prints on, for the district summary, a division and an area of a generated
# 400-club district.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=tools/pagecheck
if [ ! -d "$tools/node_modules" ]; then
    echo "check-pages: run scripts/install-page-tools.sh first" >&2
    exit 1
fi
cargo build --quiet
bin=target/debug/toaststats
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # NAME CACHE [ARGS...]: prints the snapshot folder
    local name=$1 cache=$2
    shift 2
    if ! "$bin" build --cache "$cache" --site "$work/$name" --snapshot-time 2026-11-09T06:00:00Z "$@" >"$work/$name.log" 2>&1; then
        cat "$work/$name.log" >&2
        echo "check-pages: the $name build failed" >&2
        exit 1
    fi
    realpath "$work/$name/current"
}
newest=$(build newest sample)
closing=$(build closing sample --date 2026-10-31)
mkdir -p "$work/cache-nosummary"
cp -r sample/raw-csv "$work/cache-nosummary/"
find "$work/cache-nosummary" -name all-districts.csv -delete
nosummary=$(build nosummary "$work/cache-nosummary")
based=$(build based sample --site-url https://example.github.io/repo/)

for site in "$newest" "$closing" "$nosummary" "$based"; do
    echo "html-validate: $site"
    "$tools/node_modules/.bin/html-validate" --config "$tools/htmlvalidate.json" "$site/**/*.html"
    echo "html-validate: $(find "$site" -name '*.html' | wc -l) pages, 0 errors"
done
node "$tools/axe.mjs" "$newest" index.html districts/02/index.html methodology/index.html api/index.html \
    districts/02/clubs/07779086/index.html rankings/history/index.html
node "$tools/axe.mjs" "$newest" districts/02/divisions/index.html districts/02/changes/index.html \
    districts/02/actions/index.html
node "$tools/sort-test.mjs" "$newest" index.html
node "$tools/axe.mjs" "$closing" districts/index.html districts/05/index.html
node "$tools/axe.mjs" "$nosummary" index.html districts/02/index.html
# Nothing cut off (issue 14): no table wider than its container at 390 and 1280 px or
# printed on A4 and Letter, except the tables marked to scroll on a phone, with their hint
node "$tools/overflow.mjs" "$newest" index.html districts/index.html districts/02/index.html \
    districts/02/clubs/07779086/index.html api/index.html districts/02/divisions/index.html \
    districts/02/changes/index.html districts/02/actions/index.html
node "$tools/overflow.mjs" "$closing" districts/05/index.html
node "$tools/axe.mjs" "$newest" 404.html rankings/regions/02/index.html rankings/regions/index.html \
    districts/02/clubs/index.html
node "$tools/notfound.mjs" "$newest" /
node "$tools/notfound.mjs" "$newest" /repo/
node "$tools/notfound.mjs" "$based" /repo/ --no-js
node "$tools/age-test.mjs" "$newest" districts/02/index.html
node "$tools/clubs-filter-test.mjs" "$newest" districts/02/clubs/index.html
node "$tools/axe.mjs" "$newest" districts/02/divisions/A/index.html districts/02/areas/01/index.html
node "$tools/overflow.mjs" "$newest" districts/02/divisions/A/index.html districts/02/areas/01/index.html
"$bin" sample --out "$work/cache-400" --districts 1 --clubs-per-district 400 --dates 3 >/dev/null
big=$(build big "$work/cache-400")
node "$tools/page-budget.mjs" "$big" districts/01/index.html:4500:2 districts/01/divisions/A/index.html:0:2 \
    districts/01/areas/27/index.html:0:2
node "$tools/overflow.mjs" "$big" districts/01/index.html districts/01/divisions/index.html \
    districts/01/divisions/A/index.html
if [ -d ../shared/realdata/cache ]; then
    real=$(build real ../shared/realdata/cache)
    echo "html-validate: $real"
    "$tools/node_modules/.bin/html-validate" --config "$tools/htmlvalidate.json" "$real/**/*.html"
    node "$tools/axe.mjs" "$real" index.html districts/index.html districts/91/index.html districts/21/index.html districts/61/clubs/00002587/index.html
    # (no sort-test here: the real pages' keyed columns were the district clubs table's,
    # now the clubs page, which filters rather than sorts; the sample's home page keeps one)
    node "$tools/overflow.mjs" "$real" districts/index.html districts/91/index.html districts/61/index.html \
        districts/61/clubs/00002587/index.html districts/61/divisions/index.html districts/61/actions/index.html
    node "$tools/page-budget.mjs" "$real" districts/61/index.html:4500:2 districts/91/index.html:4500:2
fi
