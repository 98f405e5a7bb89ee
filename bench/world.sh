#!/usr/bin/env bash
# World-size build benchmark: generates a 128-district (~15,000 club) cache for one date,
# builds it in release, and prints the build wall time against an I/O floor measured in
# the same run (reading every input byte + copying the output tree with fsync), their
# ratio, peak RSS and output bytes. Best of RUNS (default 5). Not a test: it prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
cargo build --release --quiet
bin=target/release/toaststats
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" sample --out "$work/cache" --districts 128 --clubs-per-district 117 --dates 1 >&2
python3 - "$bin" "$work" "$RUNS" <<'PY'
import os, resource, shutil, subprocess, sys, time

binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cache = os.path.join(work, "cache")

def files_under(root):
    for d, _, fs in os.walk(root):
        for f in fs:
            yield os.path.join(d, f)

def io_floor(snapshot):
    """Read every input byte, then copy the output tree writing and fsyncing each file
    and folder: the least any build of this cache must do."""
    start = time.perf_counter()
    n_in = 0
    for p in files_under(cache):
        with open(p, "rb") as f:
            n_in += len(f.read())
    dest = os.path.join(work, "floor-copy")
    shutil.rmtree(dest, ignore_errors=True)
    for d, _, fs in os.walk(snapshot):
        out_dir = os.path.join(dest, os.path.relpath(d, snapshot))
        os.makedirs(out_dir, exist_ok=True)
        for f in fs:
            with open(os.path.join(d, f), "rb") as src, open(os.path.join(out_dir, f), "wb") as dst:
                dst.write(src.read())
                dst.flush()
                os.fsync(dst.fileno())
        fd = os.open(out_dir, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    return time.perf_counter() - start, n_in

builds, floors = [], []
for i in range(runs):
    site = os.path.join(work, f"site-{i}")
    start = time.perf_counter()
    subprocess.run([binary, "build", "--cache", cache, "--site", site,
                    "--snapshot-time", "2026-11-09T06:00:00Z"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    builds.append(time.perf_counter() - start)
    snapshot = os.path.realpath(os.path.join(site, "current"))
    floor, n_in = io_floor(snapshot)
    floors.append(floor)
rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
out_bytes = sum(os.path.getsize(p) for p in files_under(snapshot))
out_files = sum(1 for _ in files_under(snapshot))
clubs = sum(max(0, sum(1 for _ in open(p, encoding="utf-8")) - 2)
            for p in files_under(cache) if p.endswith("club-performance.csv"))
best, floor = min(builds), min(floors)
print(f"world cache:      {clubs} clubs, {n_in} input bytes")
print(f"build wall time:  {best:.3f} s (best of {runs}; all: {', '.join(f'{b:.3f}' for b in builds)})")
print(f"I/O floor:        {floor:.3f} s (read inputs + copy output with fsync)")
print(f"ratio build/floor: {best / floor:.2f}x")
print(f"peak RSS:         {rss_kib / 1024:.1f} MiB")
print(f"output:           {out_files} files, {out_bytes} bytes")
PY
