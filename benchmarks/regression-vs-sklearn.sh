#!/usr/bin/env bash
# Regression against scikit-learn, measured in one run on this machine (BENCHMARKS.md, "Regression"):
#   1. a seeded 80/20 split of data/diamonds.csv (numpy RandomState(16)), written once and used by both sides;
#   2. ./mlops train on the training file (the default search for a regression: its candidates are selected on
#      validation rows drawn from the training file by row hash), every row of the test file testing;
#   3. scikit-learn's Ridge, RandomForestRegressor and HistGradientBoostingRegressor fitted on the same training
#      file (one thread: OMP_NUM_THREADS=1, as our XGBoost's nThread=1), scored on the same test file;
#   4. the selected candidate's test RMSE and R² against the best of the three, with the fit times side by side.
# Usage: benchmarks/regression-vs-sklearn.sh [OUT_DIR]    (needs /usr/bin/python3 with sklearn: apt python3-sklearn)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
PY=/usr/bin/python3
cd "$ROOT"
./mlops --help >/dev/null   # builds what is stale
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" | tee "$OUT/machine.txt"

$PY benchmarks/sklearn_regression.py split data/diamonds.csv price 16 "$OUT"
echo "== ./mlops train (regression)" >&2
./mlops train "$OUT/diamonds.train.csv" --test "$OUT/diamonds.test.csv" --label price --task regression --json \
    > "$OUT/mlops.json"
echo "== scikit-learn" >&2
OMP_NUM_THREADS=1 $PY benchmarks/sklearn_regression.py fit "$OUT/diamonds.train.csv" "$OUT/diamonds.test.csv" price 3 \
    > "$OUT/sklearn.json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

$PY - "$OUT" <<'PY' | tee "$OUT/table.md"
import json, sys
out = sys.argv[1]
ours = json.load(open(f"{out}/mlops.json"))
sk = json.load(open(f"{out}/sklearn.json"))
print(f"diamonds: {sk['train_rows']} training rows, {sk['test_rows']} test rows; scikit-learn {sk['sklearn']}\n")
print("| side | model | test RMSE | test MAE | test R² | fit s |")
print("|---|---|---|---|---|---|")
for e in ours["leaderboard"]:
    if e.get("rank") is None:
        print(f"| mlops | #{e['candidate_index']} {e['algorithm']} (skipped) | - | - | - | - |")
        continue
    t = e["test"]
    mark = " (selected)" if e["rank"] == 1 else ""
    print(f"| mlops | #{e['candidate_index']} {e['algorithm']}{mark} | {t['rmse']:.1f} | {t['mae']:.1f} | "
          f"{t['r2']:.4f} | {e['fit_millis'] / 1000:.2f} |")
for k, v in sk["estimators"].items():
    print(f"| scikit-learn | {k} | {v['rmse']:.1f} | {v['mae']:.1f} | {v['r2']:.4f} | {v['fit_seconds']:.2f} |")
best = ours["best"]["test"]
sk_rmse = min(v["rmse"] for v in sk["estimators"].values())
sk_r2 = max(v["r2"] for v in sk["estimators"].values())
print(f"\nselected candidate ({ours['best']['algorithm']}, chosen on validation rows): test RMSE {best['rmse']:.1f} vs "
      f"scikit-learn's best {sk_rmse:.1f}: ratio {best['rmse'] / sk_rmse:.3f} (target <= 1.10); test R² "
      f"{best['r2']:.4f} vs {sk_r2:.4f}: ratio {best['r2'] / sk_r2:.3f} (target >= 0.90)")
print(f"search wall time {ours['wall_millis'] / 1000:.0f} s for {ours['candidates']} candidates")
PY
echo "outputs in $OUT" >&2
