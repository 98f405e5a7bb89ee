#!/usr/bin/env bash
# History benchmark (issue 11): world-size caches (128 districts x ~117 clubs) with K dates.
# For each K it prints the cold build (every date computed, no digests) against an I/O floor
# (reading every input byte once), the cost per date (flat as K grows means linear work),
# peak RSS, the build that adds one date to a warm store (digests reused) against its write
# floor (copying the newest snapshot's tree with cp -a and syncing it: the files and folders
# a new snapshot must create when none can be linked), and the snapshot size. For the largest K it also publishes NIGHTS nightly snapshots (each adding one date)
# and prints the store size on disk (hard links counted once) against NIGHTS full copies.
# Not a test: it prints figures. Usage: bench/history.sh [K ...]   (default: 45 90 180)
set -euo pipefail
cd "$(dirname "$0")/.."
NIGHTS=${NIGHTS:-30}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(45 90 180)
cargo build --release --quiet
bin=$(realpath target/release/toaststats)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall seconds and peak RSS (MiB) of one command, from /usr/bin/time.
measure() {
  local log="$work/time.log"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || {
    cat "$work/stderr.log" >&2
    return 1
  }
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$log"
}

printf '%-5s %-9s %-9s %-7s %-10s %-9s %-10s %-11s %-9s %-12s %-10s\n' \
  dates cold_s floor_s ratio s_per_date rss_mib add_one_s write_floor add_ratio snapshot_mb digests_mb
for k in "${sizes[@]}"; do
  cache="$work/cache-$k"
  "$bin" sample --out "$cache" --districts 128 --clubs-per-district 117 --dates "$k" >/dev/null 2>&1
  dates=$(ls "$cache/raw-csv" | grep -c '^[0-9]')
  # I/O floor: every input byte read once (page cache warm, as for the build).
  start=$(date +%s.%N)
  find "$cache/raw-csv" -type f -exec cat {} + >/dev/null
  floor=$(echo "$(date +%s.%N) - $start" | bc -l)
  site="$work/site-$k"
  read -r cold rss < <(measure "$bin" build --cache "$cache" --site "$site" --no-publish \
    --snapshot-time 2026-11-09T06:00:00Z)
  # Adding one date: present the second newest date first, then the newest one.
  second=$(ls "$cache/raw-csv" | grep '^[0-9]' | tail -2 | head -1)
  warm="$work/warm-$k"
  "$bin" build --cache "$cache" --site "$warm" --date "$second" --allow-older \
    --snapshot-time 2026-11-09T06:00:00Z >/dev/null 2>&1 || true
  read -r add _ < <(measure "$bin" build --cache "$cache" --site "$warm" \
    --snapshot-time 2026-11-10T06:00:00Z)
  # Write floor of adding a date: copying the newest snapshot's tree (the same files and
  # folders, none linked), after a sync so the copy does not also flush the build.
  sync
  newest=$(ls "$warm/snapshots" | tail -1)
  start=$(date +%s.%N)
  cp -a "$warm/snapshots/$newest" "$work/copy" && sync -f "$work/copy"
  wfloor=$(echo "$(date +%s.%N) - $start" | bc -l)
  rm -rf "$work/copy"
  snap=$(du -sm "$site/snapshots" | cut -f1)
  digests=$(du -sm "$site/.digests" | cut -f1)
  printf '%-5s %-9s %-9.2f %-7.1f %-10.3f %-9s %-10s %-11.2f %-9.1f %-12s %-10s\n' \
    "$dates" "$cold" "$floor" "$(echo "$cold / $floor" | bc -l)" \
    "$(echo "$cold / $dates" | bc -l)" "$rss" "$add" "$wfloor" "$(echo "$add / $wfloor" | bc -l)" \
    "$snap" "$digests"
  rm -rf "$warm"
  [ "$k" = "${sizes[-1]}" ] || rm -rf "$cache" "$site"
done

# NIGHTS nightly builds over the largest cache, each presenting one more date.
k=${sizes[-1]}
cache="$work/cache-$k"
store="$work/nightly"
mapfile -t all < <(ls "$cache/raw-csv" | grep '^[0-9]' | tail -"$NIGHTS")
night=0
for d in "${all[@]}"; do
  night=$((night + 1))
  # A collection folder superseded by a later one of the same data date (a closing
  # period downloaded twice) is not a date of its own: that night builds nothing.
  "$bin" build --cache "$cache" --site "$store" --date "$d" \
    --snapshot-time "2026-11-09T$(printf '%02d' $((night / 60)))$(printf ':%02d' $((night % 60))):00Z" \
    >/dev/null 2>"$work/night.log" || echo "night $night ($d): $(grep -m1 -i error "$work/night.log")" >&2
done
one=$(du -sm "$store/snapshots/$(ls "$store/snapshots" | tail -1)" | cut -f1)
total=$(du -sm "$store/snapshots" | cut -f1)
echo "store after $night nightly snapshots: ${total} MB on disk (hard links counted once)" \
  "vs ${one} MB x $night = $((one * night)) MB as full copies"
