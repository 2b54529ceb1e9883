#!/usr/bin/env python3
"""Summarise a `cargo build --timings` report as Markdown: the wall time,
the compilation units, the units that took longest and polars' share.

    cargo build --release --locked --timings
    python3 scripts/build_timings.py [target/cargo-timings/cargo-timing.html] [--top 20]

scripts/BUILD_TIMINGS.md is this script's output for a clean build, with
the machine and the commit written above it by hand.
"""
import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def units(report):
    """The UNIT_DATA array cargo writes into its timings page."""
    found = re.search(r"const UNIT_DATA = (\[.*?\]);\n", report, re.S)
    if not found:
        sys.exit("no UNIT_DATA in the report: is it a cargo --timings page?")
    return json.loads(found.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", nargs="?", default=os.path.join(ROOT, "target", "cargo-timings", "cargo-timing.html"))
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        data = units(f.read())
    wall = max(u["start"] + u["duration"] for u in data)
    busy = sum(u["duration"] for u in data)
    polars = sum(u["duration"] for u in data if u["name"].startswith("polars"))
    print(f"- wall time: {int(wall // 60)} min {wall % 60:.0f} s; compilation units: {len(data)}")
    print(f"- unit time summed: {busy:.0f} s, of which polars crates {polars:.0f} s ({100 * polars / busy:.0f} %)")
    print()
    print("| unit | seconds | share | started at |")
    print("|---|---:|---:|---:|")
    for u in sorted(data, key=lambda u: -u["duration"])[: args.top]:
        name = u["name"] + (" (build script)" if u["mode"] == "run-custom-build" else "")
        print(f"| {name} {u['version']} | {u['duration']:.1f} | {100 * u['duration'] / busy:.1f} % | {u['start']:.0f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
