#!/usr/bin/env python3
"""Do the clusters of `upliftctl segments` separate the simulated client kinds?

Joins the cluster of each client (the clusters file: id, cluster) with its true uplift from simulate's
truth.csv, prints each cluster's size, mean true uplift and mix of latent kinds, and the Welch t statistic of
every pair of clusters' mean true uplift.

usage: segments_truth.py CLUSTERS.csv TRUTH.csv [MIN_T=3]
exit: 0 when some pair of clusters differs with |t| > MIN_T, 1 otherwise.
"""
import csv
import itertools
import math
import sys


def main():
    clusters_path, truth_path = sys.argv[1], sys.argv[2]
    min_t = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    with open(truth_path, newline="") as f:
        truth = {r["client_id"]: (float(r["uplift"]), r["kind"]) for r in csv.DictReader(f)}
    groups, kinds = {}, {}
    with open(clusters_path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        cluster_at = header.index("cluster")
        for row in reader:
            client, cluster = row[0], int(row[cluster_at])
            if client not in truth:
                continue
            uplift, kind = truth[client]
            groups.setdefault(cluster, []).append(uplift)
            kinds.setdefault(cluster, {}).setdefault(kind, 0)
            kinds[cluster][kind] += 1
    if len(groups) < 2:
        print(f"only {len(groups)} cluster(s) matched the truth")
        return 1

    def stats(v):
        n = len(v)
        mean = sum(v) / n
        var = sum((x - mean) ** 2 for x in v) / (n - 1) if n > 1 else 0.0
        return n, mean, var

    for c in sorted(groups):
        n, mean, _ = stats(groups[c])
        mix = ", ".join(f"{k} {v}" for k, v in sorted(kinds[c].items(), key=lambda kv: -kv[1]))
        print(f"cluster {c}: n={n} mean_true_uplift={mean:.4f} ({mix})")
    best = 0.0
    for a, b in itertools.combinations(sorted(groups), 2):
        na, ma, va = stats(groups[a])
        nb, mb, vb = stats(groups[b])
        se = math.sqrt(va / na + vb / nb)
        t = (ma - mb) / se if se > 0 else 0.0
        best = max(best, abs(t))
        print(f"welch {a} vs {b}: t={t:.2f}")
    print(f"max |t| = {best:.2f} (needed > {min_t})")
    return 0 if best > min_t else 1


if __name__ == "__main__":
    sys.exit(main())
