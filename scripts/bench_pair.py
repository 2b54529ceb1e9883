#!/usr/bin/env python3
"""Benchmark: two release builds of nyckeltal against each other, paired in
one run, so that a change to the build (features, profile) is judged on the
same machine under the same load. Rule (issue 20): no workload more than
10 % slower after than before.

Workloads, each timed alternately before/after in every round:
  GR report   the Göteborgsregionen network report (scripts/bench_report.py's
              spec) from a warm cache
  national    national statistics for every KPI in the dump (the
              bench-national example; its computation, not the CSV loading)
  W1 fetch    10 KPIs x 290 municipalities x 1998-2022, cold cache
  W3 fetch    100 KPIs x 290 x 1998-2022, cold cache (scripts/bench_fetch.py)

Both builds talk to the same emulator (the after build's). Each build dir
holds nyckeltal, kolada-emulator and examples/bench-national, e.g.:

    git worktree add ../before <commit>
    (cd ../before && cargo build --release --workspace --bins --example bench-national)
    cargo build --release --workspace --bins --example bench-national
    python3 scripts/bench_pair.py --before ../before/target/release --after target/release
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

import benchlib
from bench_fetch import W1_KPIS, first_municipal_kpis
from bench_report import SPEC
from benchlib import emulator, median, timed


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="a release build directory (target/release)")
    parser.add_argument("--after", required=True, help="a release build directory (target/release)")
    parser.add_argument("--runs", type=int, default=5, help="paired rounds")
    parser.add_argument("--data", default=os.path.join(benchlib.ROOT, "..", "shared", "kolada"))
    return parser.parse_args()


def build(directory):
    """The three binaries of a build directory, or exit saying which is missing."""
    paths = {name: os.path.join(directory, name) for name in ("nyckeltal", "kolada-emulator")}
    paths["bench-national"] = os.path.join(directory, "examples", "bench-national")
    for path in paths.values():
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: see the build commands at the top of the script")
    return paths


def national_seconds(binary, data):
    out = subprocess.run([binary, data], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"national statistics: ([0-9.]+) s", out).group(1))


def main():
    args = arguments()
    builds = {"before": build(args.before), "after": build(args.after)}
    benchlib.binary = lambda _profile, name: builds["after"][name]  # the emulator both talk to
    w3 = ",".join(first_municipal_kpis(args.data, 100))
    times = {}
    with emulator("release", args.data) as (env, work):
        spec = os.path.join(work, "gr.toml")
        with open(spec, "w") as f:
            f.write(SPEC)
        envs = {side: dict(env, NYCKELTAL_CACHE_DIR=os.path.join(work, f"cache-{side}")) for side in builds}
        report = {side: ["--quiet", "--offline", "report", spec, "-o", os.path.join(work, f"out-{side}")]
                  for side in builds}
        for side, paths in builds.items():  # fill each build's cache
            subprocess.run([paths["nyckeltal"], "--quiet", "report", spec, "-o", os.path.join(work, f"out-{side}")],
                           env=envs[side], check=True)
        for _ in range(args.runs):
            for side, paths in builds.items():
                record = lambda name, seconds: times.setdefault((name, side), []).append(seconds)
                record("GR report", timed([paths["nyckeltal"]] + report[side], envs[side])[0])
                record("national", national_seconds(paths["bench-national"], args.data))
                for name, kpis in (("W1 fetch", W1_KPIS), ("W3 fetch", w3)):
                    cache = os.path.join(work, f"cold-{side}")
                    shutil.rmtree(cache, ignore_errors=True)
                    fetch = [paths["nyckeltal"], "--quiet", "fetch", "--kpi", kpis, "--municipality", "all",
                             "--years", "1998-2022"]
                    record(name, timed(fetch, dict(env, NYCKELTAL_CACHE_DIR=cache))[0])
    print(f"{args.runs} paired rounds, medians; before = {args.before}, after = {args.after}")
    print("| workload | before | after | after / before |")
    print("|---|---|---|---|")
    worst = 0.0
    for name in ("GR report", "national", "W1 fetch", "W3 fetch"):
        before, after = median(times[(name, "before")]), median(times[(name, "after")])
        worst = max(worst, after / before)
        print(f"| {name} | {before:.3f} s | {after:.3f} s | {after / before:.2f} |")
    print(f"slowest ratio {worst:.2f} (rule: <= 1.10)")
    return 0 if worst <= 1.10 else 1


if __name__ == "__main__":
    sys.exit(main())
