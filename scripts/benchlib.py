"""Shared pieces of the benchmark scripts: the release binaries, the
project's Kolada emulator on a free 127.0.0.1 port, and timing a command."""
import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def arguments(doc, runs):
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=runs, help="repeats of the timed command")
    parser.add_argument("--profile", default="release", help="cargo profile directory under target/")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "kolada"))
    return parser.parse_args()


def binary(profile, name):
    """target/PROFILE/NAME (a binary of the workspace) or target/PROFILE/examples/NAME, or exit with the build command."""
    for path in (os.path.join(ROOT, "target", profile, name), os.path.join(ROOT, "target", profile, "examples", name)):
        if os.path.exists(path):
            return path
    sys.exit(f"{name} is missing in target/{profile}: see the build command at the top of the script")


@contextlib.contextmanager
def emulator(profile, data, log=None):
    """Start the emulator; yield (environment for nyckeltal, work folder)."""
    work = tempfile.mkdtemp(prefix="nyckeltal-bench-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [binary(profile, "kolada-emulator"), "--data", data, "--port", str(port)]
    if log:
        command += ["--log", os.path.join(work, log)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        process.stderr.readline()  # "serving ... at ..." once it listens
        env = dict(os.environ, NYCKELTAL_API_URL=f"http://127.0.0.1:{port}/v3",
                   NYCKELTAL_CACHE_DIR=os.path.join(work, "cache"), NO_PROXY="127.0.0.1")
        yield env, work
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(work, ignore_errors=True)


def timed(command, env):
    """Run; return (wall seconds, this process's peak RSS in MiB, stdout)."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, env=env, check=True,
                         capture_output=True, text=True)
    wall = time.perf_counter() - start
    return wall, int(out.stderr.strip().splitlines()[-1]) / 1024, out.stdout.strip()


def median(values):
    values = sorted(values)
    return values[len(values) // 2]
