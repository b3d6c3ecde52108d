#!/usr/bin/python3
"""The peer of HandlerLatency: scikit-learn's pipeline (mean imputer + standard scaler + logistic
regression) answering predict_proba for one row that arrives as a dict, timed per call.

Two ways to turn the dict into the model's input are timed: a one-row pandas DataFrame (what a
typical serving wrapper does) and a NumPy array in feature order (the fastest honest way). The
benchmark compares with the faster of the two.

    /usr/bin/python3 benchmarks/sklearn_latency.py [DATASET ...]     (default: breast_cancer iris)
"""
import csv
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARMUP = 2_000
CALLS = 20_000


def load(dataset):
    with open(os.path.join(ROOT, "data", dataset + ".csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    label = header.index("label")
    features = [h for i, h in enumerate(header) if i != label]
    x = np.array([[float(v) for i, v in enumerate(r) if i != label] for r in body])
    y = np.array([r[label] for r in body])
    first = {h: float(v) for h, v in zip(header, body[0]) if h != "label"}
    return features, x, y, first


def percentiles(nanos):
    nanos = np.sort(np.array(nanos))
    return {p: nanos[int(len(nanos) * p / 100)] / 1000.0 for p in (50, 90, 99)}


def time_calls(call):
    for _ in range(WARMUP):
        call()
    nanos = []
    for _ in range(CALLS):
        t0 = time.perf_counter_ns()
        call()
        nanos.append(time.perf_counter_ns() - t0)
    return percentiles(nanos)


def main(datasets):
    warnings.filterwarnings("ignore")
    import sklearn
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"python {sys.version.split()[0]}; {CALLS} timed calls after {WARMUP} warm-up calls")
    for dataset in datasets:
        features, x, y, row = load(dataset)
        model = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(pd.DataFrame(x, columns=features), y)
        frame = time_calls(lambda: model.predict_proba(pd.DataFrame([row], columns=features)))
        array_model = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)).fit(x, y)
        array = time_calls(lambda: array_model.predict_proba(np.array([[row[f] for f in features]])))
        for name, p in (("DataFrame from dict", frame), ("NumPy array from dict", array)):
            print(f"sklearn {dataset:14s} {name:22s} p50={p[50]:9.1f} us  p90={p[90]:9.1f} us  p99={p[99]:9.1f} us")


if __name__ == "__main__":
    main(sys.argv[1:] or ["breast_cancer", "iris"])
