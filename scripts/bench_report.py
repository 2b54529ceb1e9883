#!/usr/bin/env python3
"""Benchmark: the Göteborgsregionen network report (13 municipalities, two
cost sets, ten years) from the cache. Goal: < 2 s. Uses release builds:

    cargo build --release --bin nyckeltal --example kolada-emulator
    python3 scripts/bench_report.py [--runs 5]
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
SPEC = """title = "Göteborgsregionen – benchmark"
network = "goteborgsregionen"
sets = ["aldreomsorg-kostnad", "funktionshinder-kostnad"]
years = "2013-2022"
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", default="release")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "kolada"))
    args = parser.parse_args()
    target = os.path.join(ROOT, "target", args.profile)
    nyckeltal = os.path.join(target, "nyckeltal")
    emulator_bin = os.path.join(target, "examples", "kolada-emulator")
    for path in (nyckeltal, emulator_bin):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: see the command at the top of this script")
    work = tempfile.mkdtemp(prefix="nyckeltal-bench-")
    spec = os.path.join(work, "gr.toml")
    with open(spec, "w") as f:
        f.write(SPEC)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    emulator = subprocess.Popen([emulator_bin, "--data", args.data, "--port", str(port)],
                                stderr=subprocess.PIPE, text=True)
    try:
        emulator.stderr.readline()
        env = dict(os.environ, NYCKELTAL_API_URL=f"http://127.0.0.1:{port}/v3",
                   NYCKELTAL_CACHE_DIR=os.path.join(work, "cache"), NO_PROXY="127.0.0.1")
        command = [nyckeltal, "--quiet", "report", spec, "-o", os.path.join(work, "out")]
        subprocess.run(command, env=env, check=True)  # fills the cache
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([nyckeltal, "--offline"] + command[1:], env=env, check=True)
            walls.append(time.perf_counter() - start)
    finally:
        emulator.terminate()
        emulator.wait()
        shutil.rmtree(work, ignore_errors=True)
    walls.sort()
    median = walls[len(walls) // 2]
    print(f"GR network report (13 municipalities, 2 sets, 2013-2022) from the cache, {args.runs} runs: "
          f"median {median:.2f} s (goal < 2 s)")
    return 0 if median < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
