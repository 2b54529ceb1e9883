#!/usr/bin/env python3
"""Benchmark: `compare` for one set (6 KPIs x 5 years, national ranks over
all 290 municipalities) from the cache, then national statistics for every
KPI in the dump. Goals: compare < 150 ms; national statistics < 2 s and
< 1 GiB. Release builds:

    cargo build --release --workspace --bins --example bench-national
    python3 scripts/bench_compare.py [--runs 7]
"""
import subprocess
import sys

from benchlib import arguments, binary, emulator, median, timed

COMPARE = ["--quiet", "compare", "Tjörn", "--set", "aldreomsorg-kostnad", "--peers", "G176709",
           "--years", "2018-2022", "--format", "csv"]


def main():
    args = arguments(__doc__, runs=7)
    nyckeltal = binary(args.profile, "nyckeltal")
    national = binary(args.profile, "bench-national")
    with emulator(args.profile, args.data) as (env, _):
        subprocess.run([nyckeltal] + COMPARE, env=env, check=True, capture_output=True)  # fills the cache
        runs = [timed([nyckeltal, "--offline"] + COMPARE, env) for _ in range(args.runs)]
    wall = median(w for w, _, _ in runs)
    print(f"compare Tjörn, aldreomsorg-kostnad, 2018-2022, from the cache ({args.runs} runs): "
          f"median {wall * 1000:.0f} ms (goal < 150), peak RSS {max(r for _, r, _ in runs):.0f} MiB")
    print(subprocess.run([national, args.data], check=True, capture_output=True, text=True).stdout.strip())
    return 0 if wall < 0.150 else 1


if __name__ == "__main__":
    sys.exit(main())
