#!/usr/bin/env python3
"""Does measure's 95% range for a simulated month's plan cover the truth?

usage: measure_series_truth.py measure.json plan.csv truth.csv

The truth of the plan's effect is the sum of the true uplifts (truth.csv, p_treatment - p_control) of the
clients it contacted (plan.csv, action = contact): what the contacted-minus-held-out estimate estimates.
"""
import csv
import json
import sys

measure_path, plan_path, truth_path = sys.argv[1:4]
uplift = {row["client_id"]: float(row["uplift"]) for row in csv.DictReader(open(truth_path, newline=""))}
truth = sum(uplift[row["client_id"]] for row in csv.DictReader(open(plan_path, newline="")) if row["action"] == "contact")
total = json.load(open(measure_path))["total"]["incremental_conversions"]
print(f"true {truth:.1f}, measured {total['estimate']:.1f} (95% {total['low']:.1f} .. {total['high']:.1f})")
sys.exit(0 if total["low"] <= truth <= total["high"] else 1)
