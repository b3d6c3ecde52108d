#!/usr/bin/env bash
# How far one training function goes (BENCHMARKS.md, "Training scale"): the default search on generated
# classification tables of ROWS × 20 numeric features (3 classes, scikit-learn's make_classification), each
# candidate in a JVM held to the TrainingFunction's limits from template.yaml (heap = 85 % of MemorySize, as the
# local runtime's execution environments give it; processors = MemorySize / 1,769 MB; its JAVA_TOOL_OPTIONS),
# against the function's Timeout. In the same run, scikit-learn's HistGradientBoosting, RandomForest (100 trees)
# and XGBoost (100 rounds, hist) fit the same training rows, one thread each.
#   1. generate ROWS rows (seed 7); the first 80 % are the training file, the rest the test file;
#   2. ./mlops train's search (LocalSearch: the pipeline's candidates and trainer, one after the other) with a GC
#      log: each candidate's time in all (fit, selection, evaluation, artifact) and the largest heap after a GC;
#   3. scikit-learn's fits and test accuracy.
# Usage: ROWS="100000 300000" benchmarks/training-scale.sh [OUT_DIR]      (needs python3-sklearn, python3-xgboost)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
PY=/usr/bin/python3
cd "$ROOT"
./mlops --help >/dev/null   # builds what is stale
CP="$ROOT/infra/local/target/classes:$(cat "$ROOT/infra/local/target/classpath.txt")"
block() { awk '/^  TrainingFunction:/{f=1} f&&/^  [A-Za-z]+:$/&&!/TrainingFunction/{f=0} f' template.yaml; }
mem=$(block | awk '/MemorySize:/{print $2; exit}')
timeout=$(block | awk '/Timeout:/{print $2; exit}')
opts=$(block | awk '/JAVA_TOOL_OPTIONS:/{sub(/.*JAVA_TOOL_OPTIONS: */,""); gsub(/"/,""); print; exit}')
heap=$((mem * 85 / 100))
cpus=$(( (mem + 1768) / 1769 ))
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" | tee "$OUT/machine.txt"
echo "TrainingFunction: MemorySize ${mem} MB, Timeout ${timeout} s -> -Xmx${heap}m -XX:ActiveProcessorCount=${cpus} ${opts}" \
  | tee -a "$OUT/machine.txt"

for rows in ${ROWS:-100000}; do
  dir="$OUT/$rows"
  mkdir -p "$dir"
  $PY - "$rows" "$dir" <<'PY'
import sys
import numpy as np
from sklearn.datasets import make_classification
rows, out = int(sys.argv[1]), sys.argv[2]
X, y = make_classification(n_samples=rows, n_features=20, n_informative=10, n_redundant=5, n_classes=3,
                           random_state=7)
cut = rows * 8 // 10
header = ",".join([f"f{i}" for i in range(20)] + ["label"])
for name, part in (("train", slice(0, cut)), ("test", slice(cut, rows))):
    with open(f"{out}/{name}.csv", "w") as f:
        f.write(header + "\n")
        for xs, label in zip(X[part], y[part]):
            f.write(",".join(f"{v:.4f}" for v in xs) + f",c{label}\n")
PY
  echo "== $rows rows: ./mlops train, -Xmx${heap}m (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  java -Xmx"${heap}"m -XX:ActiveProcessorCount="$cpus" $opts -XX:+UseParallelGC -Xlog:gc:file="$dir/gc.log" \
      -Dmlops.root="$ROOT" -cp "$CP" dev.mlops.local.cli.Main \
      train "$dir/train.csv" --test "$dir/test.csv" --label label --json > "$dir/ours.json" 2> "$dir/ours.err" || true
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc)" > "$dir/wall.txt"
  echo "== $rows rows: scikit-learn (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  OMP_NUM_THREADS=1 $PY - "$dir" > "$dir/sklearn.json" <<'PY'
import json, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
import xgboost
d = sys.argv[1]
def load(name):
    a = np.genfromtxt(f"{d}/{name}.csv", delimiter=",", skip_header=1, dtype=str)
    return a[:, :20].astype(float), np.array([int(v[1:]) for v in a[:, 20]])
X, y = load("train")
Xt, yt = load("test")
out = {}
for key, est in (("gradient_boosting", HistGradientBoostingClassifier(random_state=0)),
                 ("random_forest", RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)),
                 ("xgboost", xgboost.XGBClassifier(tree_method="hist", n_estimators=100, max_depth=6,
                                                   learning_rate=0.3, n_jobs=1, random_state=0))):
    t0 = time.perf_counter()
    est.fit(X, y)
    out[key] = {"fit_seconds": time.perf_counter() - t0, "accuracy": float((est.predict(Xt) == yt).mean())}
json.dump(out, sys.stdout)
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

$PY - "$OUT" "$timeout" ${ROWS:-100000} <<'PY'
import json, re, sys
out, timeout, sizes = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
print("| rows (train) | candidate | ours: fit s | ours: in all s | within Timeout | test accuracy |")
print("|---|---|---|---|---|---|")
for rows in sizes:
    d = f"{out}/{rows}"
    err = open(f"{d}/ours.err").read()
    alls = {int(m.group(1)): (m.group(2), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(r"candidate (\d+)/\d+ (\S+): validation .*?, fit ([\d.]+) s, ([\d.]+) s in all", err)}
    try:
        ours = json.load(open(f"{d}/ours.json"))
        board = {e["candidate_index"]: e for e in ours["leaderboard"]}
    except (ValueError, KeyError):
        board = {}
    for i, (family, fit, total) in sorted(alls.items()):
        e = board.get(i - 1, {})
        params = ",".join(f"{k}={v}" for k, v in sorted((e.get("hyper_parameters") or {}).items())
                          if k in ("maxDepth", "numTrees", "eta"))
        acc = e.get("test_accuracy")
        print(f"| {int(rows) * 8 // 10:,} | {family} ({params}) | {fit:.1f} | {total:.1f} | "
              f"{'yes' if total <= timeout else 'NO'} | {acc if acc is None else f'{acc:.4f}'} |")
    if "error" in err.lower() or not board:
        tail = [l for l in err.splitlines() if l.strip()][-3:]
        print(f"| {int(rows) * 8 // 10:,} | search did not finish: {' / '.join(tail)[:200]} | | | | |")
    gc = open(f"{d}/gc.log").read()
    after = [int(m.group(1)) for m in re.finditer(r"->(\d+)M\(", gc)]
    full = len(re.findall(r"Pause Full", gc))
    print(f"\n{rows} rows: search wall {float(open(f'{d}/wall.txt').read()):.0f} s, largest heap after a GC "
          f"{max(after) if after else '?'} MB, {full} full GCs")
    sk = json.load(open(f"{d}/sklearn.json"))
    print("scikit-learn, same rows, one thread: " + ", ".join(
        f"{k} fit {v['fit_seconds']:.1f} s, accuracy {v['accuracy']:.4f}" for k, v in sk.items()) + "\n")
PY
echo "outputs in $OUT" >&2
