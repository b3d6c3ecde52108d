#!/usr/bin/env python3
"""scikit-learn's regressors on a regression split, timed on this machine, for BENCHMARKS.md ("Regression").

Usage: sklearn_regression.py split TABLE.csv LABEL SEED OUT_DIR   -> OUT_DIR/NAME.train.csv, NAME.test.csv (80/20)
       sklearn_regression.py fit TRAIN.csv TEST.csv LABEL REPEATS -> JSON: test RMSE, MAE, R² and fit seconds (median
                                                                      of REPEATS fits) of Ridge, RandomForestRegressor
                                                                      and HistGradientBoostingRegressor
Columns that are not numbers are one-hot encoded (numbers standardised for Ridge). Debian's python3-sklearn
(1.2.1 on bookworm) and numpy only.
"""
import csv
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def split(table, label, seed, out_dir):
    header, body = read(table)
    order = np.random.RandomState(int(seed)).permutation(len(body))
    cut = int(round(len(body) * 0.8))
    name = os.path.splitext(os.path.basename(table))[0]
    for part, idx in (("train", sorted(order[:cut])), ("test", sorted(order[cut:]))):
        with open(f"{out_dir}/{name}.{part}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(body[i] for i in idx)


def load(path, label):
    header, body = read(path)
    li = header.index(label)
    cols = [j for j in range(len(header)) if j != li]
    X = np.array([[r[j] for j in cols] for r in body], dtype=object)
    y = np.array([float(r[li]) for r in body])
    return [header[j] for j in cols], X, y


def numeric(X, j):
    try:
        [float(v) for v in X[:, j]]
        return True
    except ValueError:
        return False


def fit(train, test, label, repeats):
    names, X, y = load(train, label)
    _, Xt, yt = load(test, label)
    num = [j for j in range(X.shape[1]) if numeric(X, j)]
    cat = [j for j in range(X.shape[1]) if j not in num]
    onehot = lambda: OneHotEncoder(handle_unknown="ignore")
    estimators = {
        "ridge": lambda: make_pipeline(ColumnTransformer([("num", StandardScaler(), num), ("cat", onehot(), cat)]),
                                       Ridge()),
        "random_forest": lambda: make_pipeline(ColumnTransformer([("num", "passthrough", num), ("cat", onehot(), cat)]),
                                               RandomForestRegressor(n_estimators=100, random_state=0)),
        "hist_gradient_boosting": lambda: make_pipeline(
            ColumnTransformer([("num", "passthrough", num), ("cat", onehot(), cat)], sparse_threshold=0),
            HistGradientBoostingRegressor(random_state=0)),
    }
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
           "train_rows": len(y), "test_rows": len(yt), "estimators": {}}
    for key, make in estimators.items():
        times = []
        for _ in range(repeats):
            est = make()
            t0 = time.perf_counter()
            est.fit(X, y)
            times.append(time.perf_counter() - t0)
        p = est.predict(Xt)
        out["estimators"][key] = {"rmse": float(np.sqrt(mean_squared_error(yt, p))),
                                  "mae": float(mean_absolute_error(yt, p)), "r2": float(r2_score(yt, p)),
                                  "fit_seconds": float(np.median(times))}
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    if sys.argv[1] == "split":
        split(*sys.argv[2:6])
    else:
        fit(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
