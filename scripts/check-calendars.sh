#!/usr/bin/env bash
# Validates every deadline calendar (`*.ics`) of a sample build with an independent
# iCalendar implementation, so RFC 5545 is not only checked by the Rust code that wrote
# the files (issue 24).
#
# Why the PyPI package icalendar (pinned below): it is the long-standing RFC 5545 parser of
# the Python world, and besides parsing it carries the RFC's per-component rules as data:
# `required` (PRODID and VERSION of VCALENDAR, UID and DTSTAMP of VEVENT, ACTION and
# TRIGGER of VALARM), `singletons` (properties allowed once), `exclusive` (DTEND or
# DURATION) and `inclusive` pairs, plus `Calendar.validate()` and the parse errors it keeps
# per component. Of the others tried on a calendar with an event lacking UID and DTSTAMP,
# written with bare LF and a 100-octet line: `ical` 14.3.1 accepted it and filled in a UID
# and DTSTAMP of its own; `vobject` 0.9.9 with validate=True refused the missing DTSTAMP
# but, once they were added, accepted the LF and the long line. icalendar accepts those
# too, so the octet rules of RFC 5545 §3.1 (CRLF line ends, lines of at most 75 octets,
# UTF-8) are checked on the raw bytes by the script itself.
# Usage: scripts/check-calendars.sh [SITE_DIR]   (default: a fresh sample build)
set -euo pipefail
cd "$(dirname "$0")/.."
version=7.3.0
venv=target/icalendar-venv
if ! "$venv/bin/python" -c "import icalendar, sys; sys.exit(icalendar.__version__ != '$version')" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "icalendar==$version"
fi
site=${1:-}
if [[ -z $site ]]; then
    site=$(mktemp -d)
    trap 'rm -rf "$site"' EXIT
    log=$(cargo run --quiet -- build --cache sample --site "$site/site" 2>&1) || { echo "$log" >&2; exit 1; }
    site=$site/site
fi
snap=$(cd "$site/current" && pwd -P)
"$venv/bin/python" - "$snap" <<'PY'
import sys
from pathlib import Path

from icalendar import Calendar

MAX_OCTETS = 75


def octet_problems(raw):
    """RFC 5545 §3.1: CRLF after every line, at most 75 octets a line, UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        yield f"not UTF-8: {e}"
        return
    if not raw.endswith(b"\r\n"):
        yield "the last line does not end with CRLF"
    lines = raw.split(b"\r\n")
    if lines[-1] == b"":
        lines.pop()
    for n, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            yield f"line {n}: a bare LF or CR"
            continue
        if len(line) > MAX_OCTETS:
            yield f"line {n}: {len(line)} octets, more than {MAX_OCTETS}"


def component_problems(comp):
    """The package's own rules of each component, then what every event here must have."""
    where = comp.name
    for err in getattr(comp, "errors", []):
        yield f"{where}: could not parse {err}"
    for name in comp.required:
        if name not in comp:
            yield f"{where}: required {name} is missing"
    for name in comp.singletons:
        if isinstance(comp.get(name), list):
            yield f"{where}: {name} appears more than once"
    present = [name for name in comp.exclusive if name in comp]
    if len(present) > 1:
        yield f"{where}: {' and '.join(present)} exclude each other"
    for first, *others in comp.inclusive:
        if first in comp and any(o not in comp for o in others):
            yield f"{where}: {first} needs {', '.join(others)}"
    if comp.name == "VEVENT":
        for name in ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            if name not in comp:
                yield f"{where} {comp.get('UID')}: {name} is missing"
        if "DTSTART" in comp and "DTEND" in comp:
            start, end = comp.decoded("DTSTART"), comp.decoded("DTEND")
            if comp["DTSTART"].params.get("VALUE") != "DATE":
                yield f"{where} {comp.get('UID')}: DTSTART is not an all-day DATE"
            if not end > start:
                yield f"{where} {comp.get('UID')}: DTEND {end} is not after DTSTART {start}"
    if comp.name == "VALARM" and comp.get("ACTION") == "DISPLAY" and "DESCRIPTION" not in comp:
        yield f"{where}: a DISPLAY alarm needs DESCRIPTION"


def problems(raw):
    yield from octet_problems(raw)
    try:
        cal = Calendar.from_ical(raw)
    except ValueError as e:
        yield f"does not parse: {e}"
        return
    if cal.name != "VCALENDAR":
        yield f"the top component is {cal.name}, not VCALENDAR"
        return
    try:
        cal.validate()
    except Exception as e:  # the package's IncompleteComponent
        yield f"incomplete: {e}"
    if str(cal.get("VERSION")) != "2.0":
        yield "VERSION is not 2.0"
    if str(cal.get("CALSCALE")) != "GREGORIAN":
        yield "CALSCALE is not GREGORIAN"
    if "X-WR-CALNAME" not in cal:
        yield "X-WR-CALNAME is missing"
    uids = [str(e.get("UID")) for e in cal.walk("VEVENT")]
    if not uids:
        yield "no events"
    duplicates = sorted({u for u in uids if uids.count(u) > 1})
    if duplicates:
        yield f"UIDs used twice: {', '.join(duplicates)}"
    for comp in cal.walk():
        yield from component_problems(comp)


snap = Path(sys.argv[1])
files = sorted(snap.rglob("*.ics"))
if not files:
    sys.exit("check-calendars: the snapshot has no .ics file")
failed = 0
for path in files:
    found = list(problems(path.read_bytes()))
    if found:
        failed += 1
        for p in found:
            print(f"{path.relative_to(snap)}: {p}", file=sys.stderr)
if failed:
    sys.exit(f"check-calendars: {failed} of {len(files)} calendars invalid")
print(f"check-calendars: {len(files)} calendars valid (icalendar, RFC 5545 line rules)")
PY
