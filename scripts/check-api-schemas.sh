#!/usr/bin/env bash
# Validates every JSON file of a sample build against the schema its `$schema` names, with
# an independent validator (the Python package check-jsonschema), so the published schemas
# are not only checked by the Rust code that generated them (issue 15).
# Usage: scripts/check-api-schemas.sh [SITE_DIR]   (default: a fresh sample build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v check-jsonschema >/dev/null || pip install --quiet 'check-jsonschema==0.33.0'
site=${1:-}
if [[ -z $site ]]; then
    site=$(mktemp -d)
    trap 'rm -rf "$site"' EXIT
    log=$(cargo run --quiet -- build --cache sample --site "$site/site" 2>&1) || { echo "$log" >&2; exit 1; }
    site=$site/site
fi
snap=$(cd "$site/current" && pwd -P)
mapfile -t files < <(cd "$snap" && find . -name '*.json' ! -path './api/v1/schemas/*' ! -path './archive/*/api/v1/schemas/*' ! -name manifest.json | sort)
checked=0
for schema in "$snap"/api/v1/schemas/*.schema.json; do
    name=$(basename "$schema" .schema.json)
    batch=()
    for f in "${files[@]}"; do
        if grep -qE "^\{?[[:space:]]*\"\\\$schema\": ?\"(\.\./)*(api/v1/)?schemas/$name\.schema\.json\"" "$snap/$f"; then
            batch+=("$snap/$f")
        fi
    done
    [[ ${#batch[@]} -gt 0 ]] || { echo "no file names schemas/$name.schema.json" >&2; exit 1; }
    out=$(check-jsonschema --schemafile "$schema" "${batch[@]}" 2>&1) || { echo "$out" >&2; exit 1; }
    checked=$((checked + ${#batch[@]}))
done
if [[ $checked -ne ${#files[@]} ]]; then
    echo "check-api-schemas: $checked of ${#files[@]} JSON files name a published schema" >&2
    exit 1
fi
echo "check-api-schemas: ${#files[@]} JSON files valid against their schemas"
