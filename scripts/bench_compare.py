#!/usr/bin/env python3
"""Benchmark: `compare` for one set (6 KPIs x 5 years, national ranks over
all 290 municipalities) from the cache, then national statistics for every
KPI in the dump. Goals: compare < 150 ms; national statistics < 2 s and
< 1 GiB. Uses release builds:

    cargo build --release --bin nyckeltal --example kolada-emulator --example bench-national
    python3 scripts/bench_compare.py [--runs 7]
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPARE = ["compare", "Tjörn", "--set", "aldreomsorg-kostnad", "--peers", "G176709",
           "--years", "2018-2022", "--format", "csv"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(cmd, env):
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, check=True,
                         capture_output=True, text=True)
    return time.perf_counter() - start, int(out.stderr.strip().splitlines()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", default="release")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "kolada"))
    args = parser.parse_args()
    target = os.path.join(ROOT, "target", args.profile)
    binaries = [os.path.join(target, "nyckeltal"), os.path.join(target, "examples", "kolada-emulator"),
                os.path.join(target, "examples", "bench-national")]
    for path in binaries:
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: see the command at the top of this script")
    nyckeltal, emulator_bin, national = binaries

    work = tempfile.mkdtemp(prefix="nyckeltal-bench-")
    port = free_port()
    emulator = subprocess.Popen([emulator_bin, "--data", args.data, "--port", str(port)],
                                stderr=subprocess.PIPE, text=True)
    try:
        emulator.stderr.readline()
        env = dict(os.environ, NYCKELTAL_API_URL=f"http://127.0.0.1:{port}/v3",
                   NYCKELTAL_CACHE_DIR=os.path.join(work, "cache"), NO_PROXY="127.0.0.1")
        subprocess.run([nyckeltal, "--quiet"] + COMPARE, env=env, check=True, capture_output=True)
        runs = [timed([nyckeltal, "--quiet", "--offline"] + COMPARE, env) for _ in range(args.runs)]
    finally:
        emulator.terminate()
        emulator.wait()
        shutil.rmtree(work, ignore_errors=True)
    walls = sorted(w for w, _ in runs)
    median = walls[len(walls) // 2]
    print(f"compare Tjörn, aldreomsorg-kostnad, 2018-2022, from the cache ({args.runs} runs): "
          f"median {median * 1000:.0f} ms (goal < 150), peak RSS {max(r for _, r in runs):.0f} MiB")
    out = subprocess.run([national, args.data], check=True, capture_output=True, text=True).stdout
    print(out.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
