#!/usr/bin/env python3
"""Turns the outputs of training-vs-sklearn.sh into the tables of BENCHMARKS.md ("Training search")."""
import json
import sys

COUNTERPART = {
    "logistic-regression": "logistic_regression", "linear-svm": "linear_svm", "cart": "decision_tree",
    "random-forest": "random_forest", "extra-trees": "extra_trees", "xgboost": "gradient_boosting",
}
ALL = ["iris", "wine", "breast_cancer", "pima", "vehicle", "letter"]
ENSEMBLES = ("random_forest", "gradient_boosting", "xgboost")


def main(out_dir, splits_dir, only=None):
    order = [n for n in ALL if not only or n in only.split(",")]
    base = json.load(open(f"{splits_dir}/sklearn-baselines.json"))
    sk = json.load(open(f"{out_dir}/sklearn.json"))
    print(f"scikit-learn {sk['sklearn']}, xgboost {sk.get('xgboost')}, numpy {sk['numpy']}, Python {sk['python']}\n")
    print("| split | best of scikit-learn's RandomForest, HistGradientBoosting, XGBoost (this run) | "
          "ours: selected by validation | test accuracy | Δ points | within 1 |")
    print("|---|---|---|---|---|---|")
    for name in order:
        ours = json.load(open(f"{out_dir}/{name}.json"))
        peers = sk["datasets"][name]["estimators"]
        key = max((k for k in ENSEMBLES if k in peers), key=lambda k: peers[k]["accuracy"])
        sel = ours["best"]
        delta = 100 * (sel["test_accuracy"] - peers[key]["accuracy"])
        print(f"| {name} | {peers[key]['accuracy']:.4f} ({key}, fit {peers[key]['fit_seconds']:.2f} s) | "
              f"{sel['algorithm']} {short(sel['hyper_parameters'])} | {sel['test_accuracy']:.4f} | {delta:+.1f} | "
              f"{'yes' if delta >= -1 else '**no**'} |")
    print()
    print("| split | best scikit-learn baseline | ours: selected by validation | test accuracy | Δ points | within 2 | "
          "ours, best family on test (oracle) | search wall time |")
    print("|---|---|---|---|---|---|---|---|")
    for name in order:
        ours = json.load(open(f"{out_dir}/{name}.json"))
        b = base[name]
        best_key = max(("logistic_regression", "decision_tree", "random_forest"), key=lambda k: b[k]["accuracy"])
        best = b[best_key]["accuracy"]
        sel = ours["best"]
        delta = 100 * (sel["test_accuracy"] - best)
        oracle = max((e for e in ours["leaderboard"] if e.get("rank")), key=lambda e: e["test_accuracy"])
        print(f"| {name} | {best:.4f} ({best_key}) | {sel['algorithm']} {short(sel['hyper_parameters'])} | "
              f"{sel['test_accuracy']:.4f} | {delta:+.1f} | {'yes' if delta >= -2 else '**no**'} | "
              f"{oracle['test_accuracy']:.4f} ({oracle['algorithm']}) | {ours['wall_millis'] / 1000:.1f} s |")
    print()
    print("| split | family | ours: test accuracy | scikit-learn counterpart (this run) | Δ points | "
          "ours: fit s | scikit-learn: fit s | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for name in order:
        ours = json.load(open(f"{out_dir}/{name}.json"))
        peers = sk["datasets"][name]["estimators"]
        for family, key in COUNTERPART.items():
            entries = [e for e in ours["leaderboard"] if e["algorithm"] == family and e.get("rank")]
            if not entries:
                print(f"| {name} | {family} | skipped | | | | | |")
                continue
            e = min(entries, key=lambda e: e["rank"])
            p = peers[key]
            rows = [(key, p)]
            trees = e["hyper_parameters"].get("numTrees")
            if family in ("random-forest", "extra-trees") and trees != "100" and f"{key}_{trees}" in peers:
                rows.append((f"{key} with {trees} trees", peers[f"{key}_{trees}"]))
            if family == "xgboost" and "xgboost" in peers:
                rows.append(("xgboost", peers["xgboost"]))
            for key, p in rows:
                print_row(name, family, e, key, p)
    print()
    print("| split | scikit-learn DecisionTree over random_state 0–19 | RandomForest over random_state 0–9 |")
    print("|---|---|---|")
    for name in order:
        s = sk["datasets"][name]["seed_spread"]
        print(f"| {name} | {s['decision_tree']['min']:.4f}–{s['decision_tree']['max']:.4f} "
              f"(mean {s['decision_tree']['mean']:.4f}) | {s['random_forest']['min']:.4f}–"
              f"{s['random_forest']['max']:.4f} (mean {s['random_forest']['mean']:.4f}) |")


def print_row(name, family, e, key, p):
    ratio = (e["fit_millis"] / 1000) / p["fit_seconds"] if p["fit_seconds"] > 0 else float("inf")
    print(f"| {name} | {family} {short(e['hyper_parameters'])} | {e['test_accuracy']:.4f} | {key} "
          f"{p['accuracy']:.4f} | {100 * (e['test_accuracy'] - p['accuracy']):+.1f} | "
          f"{e['fit_millis'] / 1000:.3f} | {p['fit_seconds']:.3f} | {ratio:.1f}× |")


def short(params):
    keep = {k: v for k, v in params.items() if k in ("maxDepth", "numTrees", "eta", "epochs")}
    return "(" + ", ".join(f"{k}={v}" for k, v in sorted(keep.items())) + ")" if keep else ""


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
