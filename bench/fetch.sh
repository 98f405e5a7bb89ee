#!/usr/bin/env bash
# World-size fetch benchmark, loopback only: `toaststats sample --districts 128
# --clubs-per-district 117` served by the test suite's model of TI as measured (tests/it/ti_model.rs,
# the live year at the bare path, on 127.0.0.1), fetched by the release binary with the rate limit
# lifted (--rate 0), every file checked byte for byte. Prints requests, bytes, seconds and
# requests per second; then the same world at the default politeness (2 requests/s) is
# what a nightly run costs: requests / 2 seconds. Not a test: it prints figures.
# FETCH_CONCURRENCY (default 4) sets --concurrency.
set -euo pipefail
cd "$(dirname "$0")/.."
export FETCH_CONCURRENCY=${FETCH_CONCURRENCY:-4}
cargo test --release --quiet --test it fetch::world_size_fetch -- --ignored --nocapture 2>&1 |
    grep -E '^world fetch:|test result'
