#!/usr/bin/env bash
# Installs what the tests need beyond the Rust toolchain, from Debian/Ubuntu's own archive:
# `faketime` (the wrapper and its preload library libfaketime), under which the nightly
# pipeline's end-to-end test runs scripts/nightly.sh (`faketime -m -f "@YYYY-MM-DD
# HH:MM:SS"`, FAKETIME_DONT_FAKE_MONOTONIC=1) night after night on a faked clock; the
# wrapper, not a bare LD_PRELOAD, because it holds libfaketime's shared state for the whole
# process tree. Prints the library's path.
set -euo pipefail
lib() { dpkg -L libfaketime 2>/dev/null | grep -m 1 '/libfaketimeMT\.so\.1$' || true; }
if [ -z "$(lib)" ]; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq faketime >/dev/null
fi
path=$(lib)
if [ -z "$path" ] || [ ! -e "$path" ]; then
    echo "install-test-tools: faketime is installed but libfaketimeMT.so.1 was not found" >&2
    exit 1
fi
printf '%s\n' "$path"
