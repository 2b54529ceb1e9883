#!/usr/bin/env python3
"""Benchmark: plan once, fetch once. The Göteborgsregionen network report of
examples/gr-natverk.toml (13 members × 3 sets × 2013-2022) from the shared
snapshot: wall time and peak RSS, and how many times each KPI file of the
snapshot is opened (with strace, when it is installed). With --before BIN
(a nyckeltal binary built from an earlier commit) both run in one go,
paired round by round, and the ratio is printed.

    cargo build --release --workspace --bins
    python3 scripts/bench_plan_once.py [--runs 5] [--before /path/to/old/nyckeltal]
"""
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import ROOT, arguments, binary, median, timed

SPEC = os.path.join(ROOT, "examples", "gr-natverk.toml")


def report(nyckeltal, data, out):
    return [nyckeltal, "--quiet", "--source", data, "report", SPEC, "-o", out]


def opens(nyckeltal, data, work):
    """Per KPI file of the snapshot: how many times the run opened it."""
    if not shutil.which("strace"):
        return None
    trace = os.path.join(work, "trace")
    out = os.path.join(work, "opens")
    subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", trace]
                   + report(nyckeltal, data, out), check=True, capture_output=True)
    counts = collections.Counter()
    with open(trace) as f:
        for line in f:
            found = re.search(r'"([^"]*ddf--datapoints[^"]*)"', line)
            if found and "ENOENT" not in line:
                counts[found.group(1)] += 1
    return counts


def describe(counts):
    if counts is None:
        return "strace not installed: opens not counted"
    histogram = collections.Counter(counts.values())
    parts = ", ".join(f"{files} file(s) {times}×" for times, files in sorted(histogram.items()))
    return f"{sum(counts.values())} opens of {len(counts)} KPI files ({parts})"


def main():
    parser_args = [a for a in sys.argv[1:]]
    before = None
    if "--before" in parser_args:
        i = parser_args.index("--before")
        before = parser_args[i + 1]
        del sys.argv[1 + i:3 + i]
    args = arguments(__doc__, runs=5)
    binaries = [("now", binary(args.profile, "nyckeltal"))]
    if before:
        binaries.insert(0, ("before", before))
    work = tempfile.mkdtemp(prefix="nyckeltal-bench-")
    try:
        times = {name: [] for name, _ in binaries}
        for _ in range(args.runs):
            for name, nyckeltal in binaries:
                out = os.path.join(work, name)
                shutil.rmtree(out, ignore_errors=True)
                times[name].append(timed(report(nyckeltal, args.data, out), dict(os.environ)))
        for name, nyckeltal in binaries:
            wall = median(w for w, _, _ in times[name])
            rss = max(r for _, r, _ in times[name])
            print(f"{name}: median {wall:.2f} s over {args.runs} runs, peak RSS {rss:.0f} MiB; "
                  f"{describe(opens(nyckeltal, args.data, work))}")
        if before:
            ratio = median(w for w, _, _ in times["now"]) / median(w for w, _, _ in times["before"])
            print(f"wall ratio now/before: {ratio:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
