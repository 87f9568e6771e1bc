#!/usr/bin/env python3
"""Calibration of `upliftctl measure` against a known truth.

Each client of the scores gets a true purchase probability without the offer (p0) and a true uplift (tau),
fixed by its id. For each seed: optimize with --control-share 0.3 (the seed draws the hold-out), realise the
outcomes of the planned clients (contacted: Bernoulli(p0 + tau), held out: Bernoulli(p0)) with that seed, run
measure, and check whether its 95% range covers the true incremental conversions of the contacted clients
(the sum of tau over them). The truth does not depend on the model: measure must be right whatever the
scores were.

usage: measure_coverage.py UPLIFTCTL SCORES WORKDIR [SEEDS=20]
exit: 0 when the coverage is at least 85%, 1 otherwise.
"""
import csv
import json
import random
import subprocess
import sys
import zlib
from pathlib import Path


def truth(client_id):
    rng = random.Random(zlib.crc32(client_id.encode()))
    p0 = 0.05 + 0.25 * rng.random()
    return p0, 0.02 + 0.10 * rng.random()


def run(*args):
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def main():
    bin_, scores, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    work.mkdir(parents=True, exist_ok=True)
    # The hold-out draw is the same at any thread count.
    for threads in (1, 2):
        (work / f"t{threads}").mkdir(exist_ok=True)
        run(bin_, "optimize", "-s", scores, "--budget", 500, "--contact-cost", 0.1, "--value", 2,
            "--control-share", 0.3, "--seed", 1, "--threads", threads, "-o", work / f"t{threads}" / "plan.csv",
            "--overwrite", "-q")
    for name in ("plan.csv", "plan.json"):
        if (work / "t1" / name).read_bytes() != (work / "t2" / name).read_bytes():
            sys.exit(f"{name} differs between --threads 1 and --threads 2")
    covered = 0
    for seed in range(1, seeds + 1):
        plan = work / f"plan_{seed}.csv"
        run(bin_, "optimize", "-s", scores, "--budget", 500, "--contact-cost", 0.1, "--value", 2,
            "--control-share", 0.3, "--seed", seed, "-o", plan, "--overwrite", "-q")
        rng = random.Random(1000 + seed)
        with open(plan, newline="") as f:
            rows = list(csv.DictReader(f))
        id_col = next(iter(rows[0]))
        true_sum = 0.0
        outcomes = work / f"outcomes_{seed}.csv"
        with open(outcomes, "w", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow([id_col, "realised"])
            for r in rows:
                p0, tau = truth(r[id_col])
                contacted = r["action"] == "contact"
                if contacted:
                    true_sum += tau
                out.writerow([r[id_col], int(rng.random() < (p0 + tau if contacted else p0))])
            out.writerow(["not-a-planned-client", 1])  # counted, not used
        result = work / f"measure_{seed}.json"
        run(bin_, "measure", "--plan", plan.with_suffix(".json"), "--outcomes", outcomes, "--outcome", "realised",
            "-o", result, "--overwrite", "-q")
        m = json.loads(result.read_text())
        if m["unknown_ids"] != 1:
            sys.exit(f"seed {seed}: unknown_ids {m['unknown_ids']}, expected 1")
        total = m["total"]["incremental_conversions"]
        hit = total["low"] <= true_sum <= total["high"]
        covered += hit
        print(f"seed {seed}: true {true_sum:.1f}, measured {total['estimate']:.1f} "
              f"({total['low']:.1f} .. {total['high']:.1f}) {'covered' if hit else 'MISSED'}")
    print(f"coverage {covered} of {seeds} (asked: at least 85%)")
    sys.exit(0 if covered >= 0.85 * seeds else 1)


if __name__ == "__main__":
    main()
