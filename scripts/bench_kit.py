#!/usr/bin/env python3
"""Measure `matchfloor solve` on the benchmark kit's instances, beside the kit's
weight-greedy baseline and (with --cpsat SECONDS) OR-Tools CP-SAT, in one run on one
machine. Every schedule is checked with the kit's own checker. Prints a Markdown table.

  scripts/bench_kit.py                        # the kit's instances, matchfloor and greedy
  scripts/bench_kit.py --cpsat 60 --seeds 11 12   # plus CP-SAT (pip install ortools), plus other seeds
  scripts/bench_kit.py --national             # also the national instance (20,000 people)

Needs a release build (cargo build --release) and ../shared/bench beside the repository.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIT = os.path.join(ROOT, "..", "shared", "bench")
BIN = os.path.join(ROOT, "target", "release", "matchfloor")

SHAPES = {
    "seed-scale": [],
    "sparse-blocked": ["--requests-per-buyer", "3", "--unavailable", "0.5"],
    "table-bound": ["--buyers", "100", "--suppliers", "50", "--requests-per-buyer", "5", "--unavailable", "0.5",
                    "--skew", "0.2", "--tables", "12", "--booth-share", "0.1"],
}
KIT_SEEDS = {"seed-scale": 1, "sparse-blocked": 2, "table-bound": 4}


def run(cmd, out_path):
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out_path, "w") as out:
        subprocess.run(cmd, stdout=out, check=True)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kb, before)


def check(instance, schedule):
    done = subprocess.run([sys.executable, os.path.join(KIT, "check_schedule.py"), instance, schedule],
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cpsat", type=float, default=0, help="also run CP-SAT with this time limit")
    ap.add_argument("--seeds", type=int, nargs="*", default=[], help="extra generator seeds for each shape")
    ap.add_argument("--national", action="store_true")
    a = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    work = tempfile.mkdtemp(prefix="mf-bench-")
    cases = []
    for shape, args in SHAPES.items():
        for seed in [KIT_SEEDS[shape]] + a.seeds:
            name = shape if seed == KIT_SEEDS[shape] else f"{shape} (seed {seed})"
            cases.append((name, args + ["--seed", str(seed)]))
    if a.national:
        cases.append(("national", ["--buyers", "16000", "--suppliers", "4000", "--slots", "16", "--seed", "7"]))
    print("| instance | requests | greedy | CP-SAT objective | CP-SAT bound | matchfloor objective | matchfloor bound | gap | seconds | peak MB | valid | buyers without a meeting (greedy / matchfloor) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, args in cases:
        inst = os.path.join(work, "instance.json")
        with open(inst, "w") as f:
            subprocess.run([sys.executable, os.path.join(KIT, "gen_instance.py")] + args, stdout=f, check=True)
        requests = len(json.load(open(inst))["requests"])
        greedy = os.path.join(work, "greedy.json")
        run([sys.executable, os.path.join(KIT, "greedy_baseline.py"), inst], greedy)
        g = check(inst, greedy)
        cp_obj = cp_bound = "-"
        if a.cpsat and name != "national":
            cp = os.path.join(work, "cpsat.json")
            run([sys.executable, os.path.join(KIT, "reference_cpsat.py"), inst, "--time-limit", str(a.cpsat)], cp)
            doc = json.load(open(cp))
            cp_obj, cp_bound = doc.get("objective"), doc.get("bound")
        ours = os.path.join(work, "ours.json")
        seconds, _ = run([BIN, "solve", inst], ours)
        # Peak memory of the solver alone, measured by GNU time when available.
        peak = "-"
        if os.path.exists("/usr/bin/time"):
            timed = subprocess.run(["/usr/bin/time", "-f", "%M", BIN, "solve", inst], capture_output=True, text=True)
            peak = f"{int(timed.stderr.strip().splitlines()[-1]) / 1024:.0f}"
        doc = json.load(open(ours))
        c = check(inst, ours)
        gap = 100.0 * (1 - doc["objective"] / doc["bound"]) if doc["bound"] else 0.0
        print(f"| {name} | {requests} | {g['objective']} | {cp_obj} | {cp_bound} | **{doc['objective']}** | {doc['bound']} | "
              f"{gap:.3f} % | {seconds:.2f} | {peak} | {'yes' if c['ok'] else 'NO'} | "
              f"{g['buyers_with_requests_but_no_meeting']} / {c['buyers_with_requests_but_no_meeting']} |", flush=True)


if __name__ == "__main__":
    main()
