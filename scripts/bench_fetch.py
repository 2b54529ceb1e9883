#!/usr/bin/env python3
"""Benchmark: fetching 10 KPIs x 290 municipalities x 1998-2022 from the
project's Kolada emulator, then the same from the cache.

Reports the requests and wall time of the cold fetch, and the wall time and
peak RSS of the repeat (goals: < 150 ms, < 200 MB). Uses release builds:

    cargo build --release --bin nyckeltal --example kolada-emulator
    python3 scripts/bench_fetch.py [--runs 5] [--profile release]
"""
import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KPIS = "N20900,N20029,N20007,N20048,N21006,N23009,N28018,N28021,N28013,N28015"
FETCH = ["fetch", "--kpi", KPIS, "--municipality", "all", "--years", "1998-2022"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(cmd, env):
    """Run cmd; return (wall seconds, peak RSS in MiB of this child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    # /usr/bin/time -f reports this child's own peak RSS, not the max over all children.
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, check=True,
                         capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss_kib = int(out.stderr.strip().splitlines()[-1])
    return wall, rss_kib / 1024, out.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="repeats of the cached fetch")
    parser.add_argument("--profile", default="release", help="cargo profile directory under target/")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "kolada"))
    args = parser.parse_args()

    target = os.path.join(ROOT, "target", args.profile)
    nyckeltal = os.path.join(target, "nyckeltal")
    emulator_bin = os.path.join(target, "examples", "kolada-emulator")
    for path in (nyckeltal, emulator_bin):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: cargo build --profile {args.profile} --bin nyckeltal --example kolada-emulator")

    work = tempfile.mkdtemp(prefix="nyckeltal-bench-")
    log = os.path.join(work, "requests.jsonl")
    port = free_port()
    emulator = subprocess.Popen([emulator_bin, "--data", args.data, "--port", str(port), "--log", log],
                                stderr=subprocess.PIPE, text=True)
    try:
        emulator.stderr.readline()  # "serving ... at ..." once it listens
        env = dict(os.environ, NYCKELTAL_API_URL=f"http://127.0.0.1:{port}/v3",
                   NYCKELTAL_CACHE_DIR=os.path.join(work, "cache"), NO_PROXY="127.0.0.1")
        cold_wall, cold_rss, cold_out = timed([nyckeltal, "--quiet"] + FETCH, env)
        with open(log) as f:
            requests = [json.loads(line) for line in f]
        warm = [timed([nyckeltal, "--quiet"] + FETCH, env) for _ in range(args.runs)]
        with open(log) as f:
            after = sum(1 for _ in f)
    finally:
        emulator.terminate()
        emulator.wait()
        shutil.rmtree(work, ignore_errors=True)

    walls = sorted(w for w, _, _ in warm)
    median = walls[len(walls) // 2]
    peak = max(r for _, r, _ in warm)
    print(f"profile: {args.profile}")
    print(f"cold fetch (10 KPIs x 290 x 1998-2022): {len(requests)} requests (goal <= 24), "
          f"{cold_wall * 1000:.0f} ms wall, {cold_rss:.0f} MiB peak RSS")
    print(f"  nyckeltal said: {cold_out}")
    print(f"repeat from cache, {args.runs} runs: median {median * 1000:.0f} ms wall (goal < 150), "
          f"peak RSS {peak:.0f} MiB (goal < 200), requests made {after - len(requests)} (goal 0)")
    ok = len(requests) <= 24 and median < 0.150 and peak < 200 and after == len(requests)
    print("all goals met" if ok else "GOALS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
