#!/usr/bin/env python3
"""Benchmark: fetching 10 KPIs x 290 municipalities x 1998-2022 from the
project's Kolada emulator, then the same from the cache.

Reports the requests and wall time of the cold fetch, and the wall time and
peak RSS of the repeat (goals: <= 24 requests; < 150 ms, < 200 MB). Release builds:

    cargo build --release --bin nyckeltal --example kolada-emulator
    python3 scripts/bench_fetch.py [--runs 5] [--profile release]
"""
import os
import sys

from benchlib import arguments, binary, emulator, median, timed

KPIS = "N20900,N20029,N20007,N20048,N21006,N23009,N28018,N28021,N28013,N28015"
FETCH = ["--quiet", "fetch", "--kpi", KPIS, "--municipality", "all", "--years", "1998-2022"]


def main():
    args = arguments(__doc__, runs=5)
    nyckeltal = binary(args.profile, "nyckeltal")
    with emulator(args.profile, args.data, log="requests.jsonl") as (env, work):
        log = os.path.join(work, "requests.jsonl")
        cold_wall, cold_rss, cold_out = timed([nyckeltal] + FETCH, env)
        with open(log) as f:
            requests = sum(1 for _ in f)
        warm = [timed([nyckeltal] + FETCH, env) for _ in range(args.runs)]
        with open(log) as f:
            after = sum(1 for _ in f)
    wall = median(w for w, _, _ in warm)
    peak = max(r for _, r, _ in warm)
    print(f"profile: {args.profile}")
    print(f"cold fetch (10 KPIs x 290 x 1998-2022): {requests} requests (goal <= 24), "
          f"{cold_wall * 1000:.0f} ms wall, {cold_rss:.0f} MiB peak RSS")
    print(f"  nyckeltal said: {cold_out}")
    print(f"repeat from cache, {args.runs} runs: median {wall * 1000:.0f} ms wall (goal < 150), "
          f"peak RSS {peak:.0f} MiB (goal < 200), requests made {after - requests} (goal 0)")
    ok = requests <= 24 and wall < 0.150 and peak < 200 and after == requests
    print("all goals met" if ok else "GOALS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
