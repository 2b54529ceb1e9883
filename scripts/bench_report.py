#!/usr/bin/env python3
"""Benchmark: the Göteborgsregionen network report (13 municipalities, two
cost sets, ten years) from the cache. Goal: < 2 s. Release builds:

    cargo build --release --workspace --bins
    python3 scripts/bench_report.py [--runs 5]
"""
import os
import subprocess
import sys

from benchlib import arguments, binary, emulator, median, timed

SPEC = """title = "Göteborgsregionen – benchmark"
network = "goteborgsregionen"
sets = ["aldreomsorg-kostnad", "funktionshinder-kostnad"]
years = "2013-2022"
"""


def main():
    args = arguments(__doc__, runs=5)
    nyckeltal = binary(args.profile, "nyckeltal")
    with emulator(args.profile, args.data) as (env, work):
        spec = os.path.join(work, "gr.toml")
        with open(spec, "w") as f:
            f.write(SPEC)
        report = ["--quiet", "report", spec, "-o", os.path.join(work, "out")]
        subprocess.run([nyckeltal] + report, env=env, check=True)  # fills the cache
        runs = [timed([nyckeltal, "--offline"] + report, env) for _ in range(args.runs)]
    wall = median(w for w, _, _ in runs)
    print(f"GR network report (13 municipalities, 2 sets, 2013-2022) from the cache, {args.runs} runs: "
          f"median {wall:.2f} s (goal < 2 s), peak RSS {max(r for _, r, _ in runs):.0f} MiB")
    return 0 if wall < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
