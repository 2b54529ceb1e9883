#!/usr/bin/env python3
"""Benchmark: nyckeltal against koladapy (what a Python user would pick),
both through the project's Kolada emulator, paired in one run.

Workloads (cold cache unless said):
  W1  10 KPIs x 290 municipalities x 1998-2022
  W2  10 KPIs x 8 municipalities (Tjörn and its RKA peers) x 2018-2022
  W3  100 KPIs (the dump's first 100 municipal KPIs by id) x 290 x 1998-2022
  W4  W1 again (nyckeltal from its cache; koladapy has none and asks again)

For each: requests (from the emulator's log), wall time and peak RSS of
both, median of --runs rounds (nyckeltal and koladapy alternate within a
round), and the ratio nyckeltal / koladapy. Both at their default
politeness: nyckeltal 4 jobs, 5 requests/s on average with a one-second
burst; koladapy one request at a time, 5 requests/s.

koladapy 1.0.1 is installed from PyPI into a scratch venv. It sends its
data filters as a query string (`data/?kpi_id=...`), which Kolada v3
answers with an empty list; the only change made to it here is that its
`_make_request` turns those filters into v3's path form
(`data/kpi/.../municipality/.../year/...`). Its batching, paging, pacing
and retries run as shipped. "290 municipalities" is asked of it as a user
would: the 290 ids (from the same metadata, not counted as requests), which
it batches 25 at a time; leaving the slot empty would also fetch the 21
regions and Riket.

    cargo build --release --workspace --bins
    python3 scripts/bench_fetch.py [--runs 5]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from benchlib import ROOT, arguments, binary, emulator, median, timed

W1_KPIS = "N20900,N20029,N20007,N20048,N21006,N23009,N28018,N28021,N28013,N28015"
W2_PLACES = "1419,0686,0687,0767,1270,1407,1473,1982"  # Tjörn and G176709's members

KOLADAPY = """
import sys, time
from urllib.parse import urljoin
import koladapy.api as api

class PathForm(api.KoladaAPI):
    # Kolada v3 ignores filters in the query string: put them in the path.
    def _make_request(self, endpoint, params=None):
        params = dict(params or {})
        if endpoint == 'data/':
            parts = []
            for slot, key in (('kpi', 'kpi_id'), ('municipality', 'municipality_id'), ('year', 'year')):
                value = params.pop(key, None)
                if value:
                    parts.append(slot + '/' + ','.join(str(v) for v in value))
            endpoint = 'data/' + '/'.join(parts)
        return super()._make_request(endpoint, params)

kpis, places, years = sys.argv[2], sys.argv[3], sys.argv[4]
client = PathForm(base_url=sys.argv[1])
first, last = (int(y) for y in years.split('-'))
frame = client.get_data_as_dataframe(
    kpi_id=kpis.split(','),
    municipality_id=places.split(','),
    years=list(range(first, last + 1)))
print(len(frame))
"""


def first_municipal_kpis(data, n):
    catalogue = {k["id"]: k for k in json.load(open(os.path.join(data, "meta", "kpi.json")))}
    ids = sorted(f.split("--")[2].upper() for f in os.listdir(os.path.join(data, "ddf", "datapoints--by--geo--year")))
    return [i for i in ids if i in catalogue and catalogue[i].get("municipality_type") != "L"][:n]


def kommun_ids(data):
    places = json.load(open(os.path.join(data, "meta", "municipality.json")))
    return ",".join(sorted(p["id"] for p in places if p["type"] == "K"))


def koladapy_venv(work):
    venv = os.path.join(work, "koladapy-venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "koladapy==1.0.1"], check=True)
    script = os.path.join(work, "koladapy_fetch.py")
    with open(script, "w") as f:
        f.write(KOLADAPY)
    return os.path.join(venv, "bin", "python"), script


def count_lines(path):
    try:
        with open(path) as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0


def main():
    args = arguments(__doc__, runs=5)
    nyckeltal = binary(args.profile, "nyckeltal")
    w3 = ",".join(first_municipal_kpis(args.data, 100))
    kommuns = kommun_ids(args.data)
    workloads = [
        ("W1", W1_KPIS, "all", "1998-2022", False),
        ("W2", W1_KPIS, W2_PLACES, "2018-2022", False),
        ("W3", w3, "all", "1998-2022", False),
        ("W4", W1_KPIS, "all", "1998-2022", True),
    ]
    work = tempfile.mkdtemp(prefix="nyckeltal-bench-kp-")
    try:
        python, script = koladapy_venv(work)
        with emulator(args.profile, args.data, log="requests.jsonl") as (env, emu_work):
            log = os.path.join(emu_work, "requests.jsonl")
            results = {name: {"ours": [], "theirs": []} for name, *_ in workloads}
            for round_ in range(args.runs):
                for name, kpis, places, years, warm in workloads:
                    cache = os.path.join(emu_work, f"cache-{round_}-{'W1' if warm else name}")
                    if not warm:
                        shutil.rmtree(cache, ignore_errors=True)
                    ours_env = dict(env, NYCKELTAL_CACHE_DIR=cache)
                    before = count_lines(log)
                    wall, rss, _ = timed([nyckeltal, "--quiet", "fetch", "--kpi", kpis, "--municipality",
                                          places, "--years", years], ours_env)
                    results[name]["ours"].append((count_lines(log) - before, wall, rss))
                    before = count_lines(log)
                    url = env["NYCKELTAL_API_URL"] + "/"
                    theirs_places = kommuns if places == "all" else places
                    wall, rss, rows = timed([python, script, url, kpis, theirs_places, years], env)
                    results[name]["theirs"].append((count_lines(log) - before, wall, rss))
        print(f"profile: {args.profile}, {args.runs} paired rounds, medians")
        print("| workload | nyckeltal: requests, wall, peak RSS | koladapy 1.0.1: requests, wall, peak RSS | wall ratio | RSS ratio |")
        print("|---|---|---|---|---|")
        for name, *_ in workloads:
            ours, theirs = results[name]["ours"], results[name]["theirs"]
            o = [median(x[i] for x in ours) for i in range(3)]
            t = [median(x[i] for x in theirs) for i in range(3)]
            print(f"| {name} | {o[0]}, {o[1]:.2f} s, {o[2]:.0f} MiB | {t[0]}, {t[1]:.2f} s, {t[2]:.0f} MiB "
                  f"| {o[1] / t[1]:.2f} | {o[2] / t[2]:.2f} |")
        goals = {
            "W1 requests <= 12": median(x[0] for x in results["W1"]["ours"]) <= 12,
            "W2 requests <= 3": median(x[0] for x in results["W2"]["ours"]) <= 3,
            "W3 requests <= 45": median(x[0] for x in results["W3"]["ours"]) <= 45,
            "W4 requests = 0": max(x[0] for x in results["W4"]["ours"]) == 0,
            "W4 wall < 150 ms": median(x[1] for x in results["W4"]["ours"]) < 0.150,
            "W1 wall <= 0.6 x koladapy": median(x[1] for x in results["W1"]["ours"])
            <= 0.6 * median(x[1] for x in results["W1"]["theirs"]),
            "W3 wall <= 0.7 x koladapy": median(x[1] for x in results["W3"]["ours"])
            <= 0.7 * median(x[1] for x in results["W3"]["theirs"]),
            "W3 peak RSS <= koladapy's": median(x[2] for x in results["W3"]["ours"])
            <= median(x[2] for x in results["W3"]["theirs"]),
        }
        for goal, met in goals.items():
            print(f"{'met   ' if met else 'MISSED'} {goal}")
        return 0 if all(goals.values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
