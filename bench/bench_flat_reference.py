"""The Python reference of scripts/bench_flat.sh (issue 19): the scikit-uplift TwoModels recipe with pandas
and XGBoost. read_csv, one XGBClassifier per arm on the rows upliftctl's train fitted on (all but its
holdout), predict_proba of every row with both, as `score` does. Prints `key value` lines; writes the
uplift of the holdout rows (float64, in the order of ids.bin) for the Qini comparison.

Usage: bench_flat_reference.py data.csv ids.bin out_uplift.bin THREADS SEED
"""
import sys
import time

import numpy as np
import pandas as pd
from xgboost import XGBClassifier

csv, ids_file, out_file, threads, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
start = time.perf_counter()
df = pd.read_csv(csv)
read_s = time.perf_counter() - start

features = [f"x{k:02d}" for k in range(1, 13)]
holdout_ids = np.fromfile(ids_file, dtype="<i8")
train = ~df["id"].isin(holdout_ids).to_numpy()
treated = (df["treatment"] == 1).to_numpy()
X, y = df[features], df["outcome"]
# The settings upliftctl gets in the script; subsample and colsample_bytree are XGBoost's defaults of 1.
params = dict(tree_method="hist", n_estimators=100, max_depth=6, learning_rate=0.3, n_jobs=threads,
              random_state=seed)
fit_start = time.perf_counter()
model_t = XGBClassifier(**params).fit(X[train & treated], y[train & treated])
model_c = XGBClassifier(**params).fit(X[train & ~treated], y[train & ~treated])
fit_s = time.perf_counter() - fit_start
predict_start = time.perf_counter()
uplift = model_t.predict_proba(X)[:, 1] - model_c.predict_proba(X)[:, 1]
predict_s = time.perf_counter() - predict_start
total_s = time.perf_counter() - start

# ids are 1..N in row order (bench_flat make), so id - 1 is the row.
uplift[holdout_ids - 1].astype("<f8").tofile(out_file)
print(f"reference_read_csv_s {read_s:.2f}\nreference_fit_s {fit_s:.2f}\nreference_predict_s {predict_s:.2f}\n"
      f"reference_inprocess_s {total_s:.2f}")
