#!/usr/bin/env python3
"""Does measure's 95% range for a simulated month's plan cover the truth?

usage: measure_series_truth.py measure.json plan.csv truth.csv [--sigmas K]

With --sigmas K the check is |estimate - truth| <= K standard errors instead of the 95% range. One plan is
one draw of its hold-out: over repeated hold-outs the 95% range covers the truth 95% of the time (the
calibration of cli:measure_coverage), but a single plan misses it one time in twenty by design, and a test
pinned on one plan then fails on an unlucky split. A 3-standard-error check (missed 0.3% of the time when the
range is right) still catches a wrong estimate or a range off by a factor.

The truth of the plan's effect is the sum of the true uplifts (truth.csv, p_treatment - p_control) of the
clients it contacted (plan.csv, action = contact): what the contacted-minus-held-out estimate estimates.
"""
import csv
import json
import sys

measure_path, plan_path, truth_path = sys.argv[1:4]
sigmas = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--sigmas" else None
uplift = {row["client_id"]: float(row["uplift"]) for row in csv.DictReader(open(truth_path, newline=""))}
truth = sum(uplift[row["client_id"]] for row in csv.DictReader(open(plan_path, newline="")) if row["action"] == "contact")
total = json.load(open(measure_path))["total"]["incremental_conversions"]
print(f"true {truth:.1f}, measured {total['estimate']:.1f} (95% {total['low']:.1f} .. {total['high']:.1f})")
if sigmas is not None:
    off = abs(total["estimate"] - truth) / total["std_error"]
    print(f"{off:.2f} standard errors off (allowed: {sigmas:g})")
    sys.exit(0 if off <= sigmas else 1)
sys.exit(0 if total["low"] <= truth <= total["high"] else 1)
