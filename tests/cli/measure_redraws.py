#!/usr/bin/env python3
"""Coverage of `upliftctl measure` over repeated draws, on a simulated month whose truth is known.

One plan is one draw of its hold-out and one draw of the month's outcomes, so a single 95% range misses the
truth one time in twenty by design. This script repeats the draws and counts:

  measure_redraws.py UPLIFTCTL TRUTH WORKDIR SEEDS --plan plan.json
      the plan as it is (its hold-out fixed), the outcomes drawn SEEDS times (simulate --outcomes-for --seed s);
  measure_redraws.py UPLIFTCTL TRUTH WORKDIR SEEDS --optimize ARGS...
      for each seed a new hold-out (upliftctl optimize ARGS --seed s) and new outcomes.

For each draw it runs measure (--adjust auto: the covariate-adjusted headline, the difference of means beside
it) and checks both 95% ranges against the truth: the sum of the true uplifts (TRUTH, p_treatment - p_control)
of the clients the plan contacted.

options: --min-coverage F (the adjusted range must cover the truth in at least F of the draws, default 0.9),
         --narrower (the adjusted range must be narrower than the plain one on average).
exit: 0 when the checks hold, 1 otherwise.
"""
import csv
import json
import subprocess
import sys
from pathlib import Path


def run(*args):
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def parse(argv):
    bin_, truth, work, seeds = argv[1], Path(argv[2]), Path(argv[3]), int(argv[4])
    opts = {"plan": None, "optimize": None, "min_coverage": 0.9, "narrower": False}
    rest = argv[5:]
    while rest:
        flag = rest.pop(0)
        if flag == "--plan":
            opts["plan"] = Path(rest.pop(0))
        elif flag == "--min-coverage":
            opts["min_coverage"] = float(rest.pop(0))
        elif flag == "--narrower":
            opts["narrower"] = True
        elif flag == "--optimize":
            opts["optimize"], rest = rest, []
        else:
            sys.exit(f"unknown option {flag}")
    if (opts["plan"] is None) == (opts["optimize"] is None):
        sys.exit("give --plan plan.json or --optimize ARGS...")
    return bin_, truth, work, seeds, opts


def main():
    bin_, truth_path, work, seeds, opts = parse(sys.argv)
    work.mkdir(parents=True, exist_ok=True)
    uplift = {r["client_id"]: float(r["uplift"]) for r in csv.DictReader(open(truth_path, newline=""))}
    covered = {"adjusted": 0, "plain": 0}
    width = {"adjusted": 0.0, "plain": 0.0}
    squared_error = {"adjusted": 0.0, "plain": 0.0}
    for seed in range(1, seeds + 1):
        if opts["plan"] is not None:
            plan_json = opts["plan"]
        else:
            plan_json = work / f"plan_{seed}.json"
            run(bin_, "optimize", *opts["optimize"], "--seed", seed, "-o", work / f"plan_{seed}.csv", "--overwrite",
                "-q")
        plan_csv = plan_json.parent / json.loads(plan_json.read_text())["control"]["plan_file"]
        outcomes, result = work / f"outcomes_{seed}.csv", work / f"measure_{seed}.json"
        run(bin_, "simulate", "--outcomes-for", plan_csv, "--truth", truth_path, "-o", outcomes, "--seed", 100 + seed,
            "--overwrite", "-q")
        run(bin_, "measure", "--plan", plan_json, "--outcomes", outcomes, "-o", result, "--overwrite", "-q")
        m = json.loads(result.read_text())
        if m["covariate"] != "baseline_outcome":
            sys.exit(f"draw {seed}: measure did not adjust for baseline_outcome ({m['adjustment_note']})")
        with open(plan_csv, newline="") as f:
            rows = list(csv.DictReader(f))
        id_col = next(iter(rows[0]))
        truth = sum(uplift[r[id_col]] for r in rows if r["action"] == "contact")
        figures = {"adjusted": m["total"]["covariate_adjusted"], "plain": m["total"]["difference_of_means"]}
        marks = []
        for name, f in figures.items():
            hit = f["low"] <= truth <= f["high"]
            covered[name] += hit
            width[name] += f["high"] - f["low"]
            squared_error[name] += (f["estimate"] - truth) ** 2
            marks.append(f"{name} {f['estimate']:+.1f} ({f['low']:+.1f} .. {f['high']:+.1f}) "
                         f"{'covered' if hit else 'MISSED'}")
        print(f"draw {seed}: true {truth:+.1f}; " + "; ".join(marks))
    print(f"coverage of the 95% range: adjusted {covered['adjusted']} of {seeds}, plain {covered['plain']} of {seeds} "
          f"(asked of the adjusted: at least {opts['min_coverage']:.0%}); mean width adjusted "
          f"{width['adjusted'] / seeds:.1f}, plain {width['plain'] / seeds:.1f}; root mean squared error adjusted "
          f"{(squared_error['adjusted'] / seeds) ** 0.5:.1f}, plain {(squared_error['plain'] / seeds) ** 0.5:.1f}")
    ok = covered["adjusted"] >= opts["min_coverage"] * seeds
    if opts["narrower"] and not width["adjusted"] < width["plain"]:
        print("the adjusted range is not narrower than the plain one on average")
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
