#!/usr/bin/env bash
# The training search against scikit-learn, measured in one run on this machine (BENCHMARKS.md,
# "Training search"):
#   1. ./mlops train on every reference split (train file → search, test file → test), default search;
#   2. scikit-learn's counterparts of every family on the same splits (Debian python3-sklearn), fit
#      times measured now, one thread (OMP_NUM_THREADS=1, as our XGBoost's nThread=1);
#   3. the default search on the largest bundled dataset (data/letter.csv, the pipeline's own split)
#      with the template's C1-only JVM flag and with the JVM's default (full tiered) compilation.
#   scikit-learn's peers include XGBoost itself (Debian python3-xgboost) at its defaults.
# Usage: benchmarks/training-vs-sklearn.sh [OUT_DIR]    (needs /usr/bin/python3 with sklearn and xgboost)
#   DATASETS=letter JIT_MODES= REPEATS=1 benchmarks/training-vs-sklearn.sh /tmp/bench    runs only those
#   reference splits, not step 3 (JIT_MODES empty), and scikit-learn's fits once each (median of 3 by default)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPLITS="$ROOT/functions/core/src/test/resources/reference/splits"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
PY=/usr/bin/python3
cd "$ROOT"
./mlops --help >/dev/null   # builds what is stale
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" | tee "$OUT/machine.txt"

DATASETS="${DATASETS:-iris,wine,breast_cancer,pima,vehicle,letter}"
for name in ${DATASETS//,/ }; do
  label=$($PY -c "import json,sys; print(json.load(open('$SPLITS/sklearn-baselines.json'))['$name']['label'])")
  echo "== $name (./mlops train)" >&2
  ./mlops train "$SPLITS/$name.train.csv" --test "$SPLITS/$name.test.csv" --label "$label" --json > "$OUT/$name.json"
done

echo "== scikit-learn" >&2
OMP_NUM_THREADS=1 $PY benchmarks/sklearn_peers.py "$SPLITS" "${REPEATS:-3}" "$DATASETS" > "$OUT/sklearn.json"

CP="$ROOT/infra/local/target/classes:$(cat "$ROOT/infra/local/target/classpath.txt")"
for mode in ${JIT_MODES-c1 full}; do
  if [[ $mode == c1 ]]; then flags=(-XX:+TieredCompilation -XX:TieredStopAtLevel=1); else flags=(-XX:+TieredCompilation); fi
  echo "== letter default search, $mode (${flags[*]})" >&2
  start=$(date +%s.%N)
  java "${flags[@]}" -XX:+UseParallelGC -Dmlops.root="$ROOT" -cp "$CP" dev.mlops.local.cli.Main \
      train data/letter.csv --label lettr --json > "$OUT/letter-default-$mode.json"
  end=$(date +%s.%N)
  echo "$mode $(echo "$end - $start" | bc)" >> "$OUT/letter-default-wall.txt"
done

$PY benchmarks/training_table.py "$OUT" "$SPLITS" "$DATASETS" | tee "$OUT/tables.md"
[[ -n "${JIT_MODES-c1 full}" ]] && $PY - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
walls = dict(l.split() for l in open(f"{out}/letter-default-wall.txt"))
print("\n| JVM flags | default search on data/letter.csv (8 candidates, one after the other) | slowest candidate fit | selected | test accuracy |")
print("|---|---|---|---|---|")
for mode, flags in (("c1", "-XX:TieredStopAtLevel=1 (Globals)"), ("full", "default tiered (TrainingFunction)")):
    d = json.load(open(f"{out}/letter-default-{mode}.json"))
    slow = max(e["fit_millis"] or 0 for e in d["leaderboard"])
    print(f"| {flags} | {float(walls[mode]):.0f} s wall ({d['wall_millis']/1000:.0f} s searching) | {slow/1000:.1f} s | "
          f"{d['best']['algorithm']} | {d['best']['test_accuracy']:.4f} |")
PY
echo "outputs in $OUT" >&2
