#!/usr/bin/python3
"""The peer of the cold-start benchmark: scikit-learn in a new process, from the interpreter's start to the first
answered prediction: import, pickle.load of the model, predict_proba of one row.

    /usr/bin/python3 benchmarks/cold_start_sklearn.py fit FAMILY MODEL_FILE   (trains on data/iris.csv, not timed)
    /usr/bin/python3 benchmarks/cold_start_sklearn.py predict MODEL_FILE      (prints answered_at_ms=..., timed
                                                                              by the caller from the process start)

FAMILY is the family of the model the pipeline put in production (the JVM side's model), fitted as scikit-learn's
counterpart: logistic-regression, linear-svm and linear-sgd as mean imputer + standard scaler + logistic regression
(sklearn_latency.py's pipeline; predict_proba needs a probabilistic linear model), cart as a decision tree,
random-forest, extra-trees, bagged-trees as 100-tree ensembles, xgboost as XGBoost's own classifier when the xgboost
package is installed, else scikit-learn's histogram gradient boosting.
"""
import sys
import time


def fit(family, path):
    import csv
    import os
    import pickle

    import numpy as np
    from sklearn.ensemble import (BaggingClassifier, ExtraTreesClassifier, HistGradientBoostingClassifier,
                                  RandomForestClassifier)
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "data", "iris.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    label = header.index("label")
    x = np.array([[float(v) for i, v in enumerate(r) if i != label] for r in body])
    y = np.array([r[label] for r in body])
    if family in ("logistic-regression", "linear-svm", "linear-sgd"):
        model = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000))
    elif family == "cart":
        model = DecisionTreeClassifier(random_state=0)
    elif family == "random-forest":
        model = RandomForestClassifier(n_estimators=100, random_state=0)
    elif family == "extra-trees":
        model = ExtraTreesClassifier(n_estimators=100, random_state=0)
    elif family == "bagged-trees":
        model = BaggingClassifier(DecisionTreeClassifier(), n_estimators=100, random_state=0)
    else:
        try:
            from xgboost import XGBClassifier
            from sklearn.preprocessing import LabelEncoder
            y = LabelEncoder().fit_transform(y)
            model = XGBClassifier(n_estimators=100, max_depth=6, tree_method="hist", n_jobs=1)
        except ImportError:
            model = HistGradientBoostingClassifier(random_state=0)
    model.fit(x, y)
    with open(path, "wb") as f:
        pickle.dump((model, x[:1]), f)
    print(f"fitted {type(model).__name__} for {family} into {path}")


def predict(path):
    import pickle

    with open(path, "rb") as f:
        model, row = pickle.load(f)
    proba = model.predict_proba(row)
    print(f"answered_at_ms={int(time.time() * 1000)} classes={len(proba[0])}")


if __name__ == "__main__":
    if sys.argv[1] == "fit":
        fit(sys.argv[2], sys.argv[3])
    else:
        predict(sys.argv[2])
