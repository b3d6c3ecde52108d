#!/usr/bin/env python3
"""scikit-learn counterparts of the training families, timed on this machine, for BENCHMARKS.md.

For every reference split (NAME.train.csv / NAME.test.csv, label from sklearn-baselines.json) it fits,
on the training file only, the estimators the baselines file names (mean imputation + standardisation
for the linear models, as the baselines do) plus the counterparts of our other families, and prints
one JSON document: test accuracy, macro-F1 and fit seconds (median of --repeats fits) per estimator,
and the spread of DecisionTree and RandomForest test accuracy over random_state 0..19 / 0..9.
Uses only Debian's python3-sklearn (1.2.1 on bookworm), python3-xgboost (1.7.4) and numpy; no pandas.
Usage: sklearn_peers.py SPLITS_DIR [REPEATS [NAME,NAME...]]
"""
import csv
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

try:  # Debian's python3-xgboost (1.7 on bookworm); the row is left out without it
    import xgboost
except ImportError:
    xgboost = None


class EncodedXGB:
    """XGBoost's scikit-learn classifier on string labels (it takes class indices only)."""

    def __init__(self, seed):
        self.model = xgboost.XGBClassifier(tree_method="hist", n_estimators=100, max_depth=6, learning_rate=0.3,
                                           n_jobs=1, random_state=seed)

    def fit(self, X, y):
        self.classes, codes = np.unique(y, return_inverse=True)
        self.model.fit(X, codes)
        return self

    def predict(self, X):
        return self.classes[self.model.predict(X)]


def load(path, label):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    li = header.index(label)
    X = np.array([[float(v) if v not in ("", "NA") else np.nan for j, v in enumerate(r) if j != li] for r in body])
    y = np.array([r[li] for r in body])
    return X, y


def estimators():
    impute = lambda: SimpleImputer(strategy="mean")
    return {
        "logistic_regression": lambda s: make_pipeline(impute(), StandardScaler(), LogisticRegression(max_iter=2000)),
        "linear_svm": lambda s: make_pipeline(impute(), StandardScaler(), LinearSVC(random_state=s, max_iter=20000)),
        "decision_tree": lambda s: make_pipeline(impute(), DecisionTreeClassifier(random_state=s)),
        "random_forest": lambda s: make_pipeline(impute(), RandomForestClassifier(n_estimators=100, random_state=s)),
        "extra_trees": lambda s: make_pipeline(impute(), ExtraTreesClassifier(n_estimators=100, random_state=s)),
        "gradient_boosting": lambda s: HistGradientBoostingClassifier(random_state=s),
        # XGBoost itself, at its defaults (100 rounds, depth 6, eta 0.3, hist), one thread.
        **({"xgboost": lambda s: EncodedXGB(s)} if xgboost else {}),
        # As many trees as our forest-size cap grows on letter.csv (15 and 10), for a like-for-like row.
        "random_forest_15": lambda s: make_pipeline(impute(), RandomForestClassifier(n_estimators=15, random_state=s)),
        "extra_trees_10": lambda s: make_pipeline(impute(), ExtraTreesClassifier(n_estimators=10, random_state=s)),
    }


def main(splits_dir, repeats):
    baselines = json.load(open(f"{splits_dir}/sklearn-baselines.json"))
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
           "xgboost": xgboost.__version__ if xgboost else None, "datasets": {}}
    only = sys.argv[3].split(",") if len(sys.argv) > 3 else None
    for name, base in baselines.items():
        if only and name not in only:
            continue
        X, y = load(f"{splits_dir}/{name}.train.csv", base["label"])
        Xt, yt = load(f"{splits_dir}/{name}.test.csv", base["label"])
        res = {}
        for key, make in estimators().items():
            times = []
            for _ in range(repeats):
                est = make(0)
                t0 = time.perf_counter()
                est.fit(X, y)
                times.append(time.perf_counter() - t0)
            p = est.predict(Xt)
            res[key] = {"accuracy": accuracy_score(yt, p), "macro_f1": f1_score(yt, p, average="macro"),
                        "fit_seconds": float(np.median(times))}
        spread = {}
        for key, seeds in (("decision_tree", 20), ("random_forest", 10)):
            accs = [accuracy_score(yt, estimators()[key](s).fit(X, y).predict(Xt)) for s in range(seeds)]
            spread[key] = {"min": min(accs), "max": max(accs), "mean": float(np.mean(accs)), "seeds": seeds}
        out["datasets"][name] = {"estimators": res, "seed_spread": spread}
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
