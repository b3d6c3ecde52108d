#!/usr/bin/env bash
# Batch scoring against scikit-learn, in one run on the same generated file (BENCHMARKS.md, "Batch scoring"):
#   1. a 1M-row x 20-numeric-column CSV (IngestThroughput generate, as the ingest benchmark's), and a training file
#      of its first 3,000 rows labelled by a rule of the features (so the model is blessed and serves);
#   2. ./mlops local up, the training file uploaded and trained through the pipeline (model "bench");
#   3. ./mlops batch score on the 1M-row file with --wait --out: upload, plan, the Distributed Map over the parts,
#      the join, and the download of the scored CSV, timed end to end; the job's summary gives the parts and their
#      times;
#   4. scikit-learn (Debian python3-sklearn, python3-pandas): fitted on the same training file (not timed), then
#      pandas read_csv + predict_proba + to_csv of the same 1M-row file, timed end to end, with a
#      HistGradientBoostingClassifier (boosted trees, as the search picks XGBoost on this file) twice: with its defaults,
#      and the size of our model (its rounds and depth, read from the version's lineage: scoring boosted trees costs
#      about rounds x depth a row), and with a LogisticRegression.
# Generated files go to $MLOPS_BENCH_DIR (default /tmp/mlops-bench), never into the repository.
#   benchmarks/batch-bench.sh
#   MLOPS_BENCH_TRAINED=FOLDER benchmarks/batch-bench.sh   # step 2 skipped: FOLDER is a stopped stack's state with bench
set -euo pipefail
python=/usr/bin/python3
$python -c 'import pandas, sklearn' 2>/dev/null || { echo "needs python3-pandas and python3-sklearn (apt)" >&2; exit 1; }
# Built before stack.sh is sourced: it reads the benchmarks' class path, which a fresh clone has only after this.
(cd "$(dirname "${BASH_SOURCE[0]}")/.." && mvn -q -B -DskipTests package -pl benchmarks -am >&2)
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
dir="${MLOPS_BENCH_DIR:-/tmp/mlops-bench}"
mkdir -p "$dir"
cd "$ROOT"
[[ -f "$dir/rows-1m.csv" ]] || java -cp "$BENCH_CP" dev.mlops.bench.IngestThroughput generate 1000000 "$dir/rows-1m.csv"
$python - "$dir/rows-1m.csv" "$dir/bench-train.csv" <<'PY'
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], nrows=3000)
df["label"] = ["a" if r.f0 + r.f1 > 0 else ("b" if r.f2 > 0 else "c") for r in df.itertuples()]
df.to_csv(sys.argv[2], index=False)
PY

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset} (./mlops exports 1 unless set)"
if [[ -n "${MLOPS_BENCH_TRAINED:-}" ]]; then
  # MLOPS_BENCH_TRAINED=FOLDER: a copy of a stopped stack's state folder in which step 2 already ran
  start_stack "$MLOPS_BENCH_TRAINED"
else
  start_stack
  # The search limited to XGBoost (its default grid: the forests' fits took minutes of the earlier runs' setup), or
  # MLOPS_BENCH_CONFIG (a config.json), e.g. a model of scikit-learn's default size:
  #   MLOPS_BENCH_CONFIG='{"training": {"families": ["xgboost"], "grids": {"xgboost": {"numTrees": ["100"], "earlyStopping": ["0"]}}}}'
  endpoint="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["s3"])' "$MLOPS_HOME/runtime.json")"
  curl -sf -X PUT -H 'Content-Type: application/json' \
      --data-binary "${MLOPS_BENCH_CONFIG:-{\"training\": {\"families\": [\"xgboost\"]\}\}}" \
      "$endpoint/mlops-local-000000000000-data/schemas/bench/config.json" >/dev/null
  "$ROOT/mlops" upload "$dir/bench-train.csv" --dataset bench --wait --home "$MLOPS_HOME" >&2
  # The promotion warms the inference function up (a new environment loads and scores the model) for a few seconds
  # after the run ends: not the batch job's work, so not inside its time.
  sleep 15
fi
"$ROOT/mlops" models show bench --home "$MLOPS_HOME" > "$dir/ours-model.txt"
echo "# our model (production version of bench):"; sed -n 1,8p "$dir/ours-model.txt" | sed 's/^/#   /'
# Its size, for the like-for-like peer below: the rounds XGBoost ran (early stopping writes them as numTrees) and
# the depth of its trees, from the production version's lineage.
production="$(sed -n 's/.*production v\([0-9]*\).*/\1/p' "$dir/ours-model.txt" | head -1)"
"$ROOT/mlops" models lineage bench "$production" --home "$MLOPS_HOME" --json > "$dir/ours-lineage.json"
read -r rounds depth < <($python -c 'import json,sys; h=json.load(open(sys.argv[1]))["candidate"]["hyper_parameters"]; print(h["numTrees"], h.get("maxDepth", "6"))' "$dir/ours-lineage.json")
echo "# our model's size: $rounds boosting rounds of trees of depth <= $depth (x classes)"
job="bench-$(date +%s)"
t0=$(date +%s.%N)
"$ROOT/mlops" batch score "$dir/rows-1m.csv" --model bench --job "$job" --wait --out "$dir/ours-scored.csv" \
    --home "$MLOPS_HOME" --json > "$dir/ours-job.json"
t1=$(date +%s.%N)
"$ROOT/mlops" batch show bench "$job" --home "$MLOPS_HOME" --json > "$dir/ours-show.json"
ours_wall=$(echo "$t1 - $t0" | bc)
echo "# load average after ours: $(cut -d' ' -f1-3 /proc/loadavg)"

$python - "$dir/bench-train.csv" "$dir/rows-1m.csv" "$dir/sklearn-scored.csv" "$rounds" "$depth" > "$dir/sklearn.json" <<'PY'
import json, sys, time
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
train = pd.read_csv(sys.argv[1])
features = [c for c in train.columns if c != "label"]
rounds, depth = int(sys.argv[4]), int(sys.argv[5])
# Scoring boosted trees costs about rounds x depth per row and class: the default model (100 iterations of up to
# 31 leaves), and one the size of ours (its rounds, depth-wise trees of its depth, as XGBoost grows them).
for name, model in (("hist-gradient-boosting (defaults: 100 iterations)", HistGradientBoostingClassifier()),
                    (f"hist-gradient-boosting (our model's size: {rounds} iterations, depth {depth})",
                     HistGradientBoostingClassifier(max_iter=rounds, max_depth=depth, max_leaf_nodes=None,
                                                    early_stopping=False)),
                    ("logistic-regression", LogisticRegression(max_iter=1000))):
    model.fit(train[features], train["label"])
    t0 = time.perf_counter()
    df = pd.read_csv(sys.argv[2])
    t1 = time.perf_counter()
    proba = model.predict_proba(df[features])
    t2 = time.perf_counter()
    out = df.copy()
    out["prediction"] = model.classes_[proba.argmax(axis=1)]
    for i, c in enumerate(model.classes_):
        out["score_" + c] = proba[:, i]
    out.to_csv(sys.argv[3], index=False)
    t3 = time.perf_counter()
    iterations = int(model.n_iter_) if isinstance(model, HistGradientBoostingClassifier) else None
    print(json.dumps({"model": name, "iterations": iterations, "rows": len(df), "read_s": round(t1 - t0, 2), "score_s": round(t2 - t1, 2),
                      "write_s": round(t3 - t2, 2), "wall_s": round(t3 - t0, 2)}))
PY
echo "# load average after scikit-learn: $(cut -d' ' -f1-3 /proc/loadavg)"
$python - "$dir/ours-show.json" "$dir/sklearn.json" "$ours_wall" "$dir/ours-scored.csv" "$t0" "$t1" <<'PY'
import json, sys
from datetime import datetime
show, wall = json.load(open(sys.argv[1])), float(sys.argv[3])
peers = [json.loads(l) for l in open(sys.argv[2])]
t = show["timings"]
rows = sum(1 for _ in open(sys.argv[4])) - 1
print(f"| ours: ./mlops batch score --wait --out | {show['rows']:,} rows ({rows:,} in the saved CSV), {show['errors']} errors"
      f" | {show['parts']} parts | plan {t['plan_millis']/1000:.1f} s, parts {t['part_millis_sum']/1000:.1f} s summed"
      f" (mean {t['part_millis_sum']/show['parts']/1000:.1f} s, slowest {t['part_millis_max']/1000:.1f} s),"
      f" join {t['join_millis']/1000:.1f} s, job {t['total_millis']/1000:.1f} s | {wall:.1f} s end to end |")
parts = show.get("part_timings", [])
print("# per part (rows, s): " + ", ".join(f"{p['part']}: {p['rows']:,} / {p['millis']/1000:.1f}" for p in parts))
print(f"# rows scored on the dense path: {sum(p.get('dense_rows', 0) for p in parts):,} of {show['rows']:,}")
# The end-to-end wall time, cut at the job's own clock: before the job (upload, the trigger), the plan, the map
# (plan end to the last part's end, then to the join's start), the join, after the job (the poll, the download).
start, end = float(sys.argv[5]) * 1000, float(sys.argv[6]) * 1000
finished = datetime.fromisoformat(show["finished_at"].replace("Z", "+00:00")).timestamp() * 1000
job_start = finished - t["total_millis"]
plan_end = job_start + t["plan_millis"]
join_start = finished - t["join_millis"]
if parts and all("phases" in p for p in parts):
    last_end = max(p["started_at"] + p["millis"] for p in parts)
    print(f"# breakdown (s): before the job (upload, trigger) {(job_start - start)/1000:.1f}, plan {t['plan_millis']/1000:.1f},"
          f" map {(last_end - plan_end)/1000:.1f} (its first part started {(min(p['started_at'] for p in parts) - plan_end)/1000:.1f}"
          f" after the plan), map end to join {(join_start - last_end)/1000:.1f}, join {t['join_millis']/1000:.1f},"
          f" after the job (poll, download) {(end - finished)/1000:.1f}")
    print("# per part (s): part: start after plan | read parse score format write")
    for p in parts:
        f = p["phases"]
        print(f"#   {p['part']}: {(p['started_at'] - plan_end)/1000:6.1f} | {f['read']/1000:5.1f} {f['parse']/1000:5.1f}"
              f" {f['score']/1000:5.1f} {f['format']/1000:5.1f} {f['write']/1000:5.1f}")
    sums = {k: sum(p["phases"][k] for p in parts) / 1000 for k in ("read", "parse", "score", "format", "write")}
    print("# phases summed over the parts (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sums.items()))
for sk in peers:
    ran = f" ({sk['iterations']} iterations ran)" if sk.get("iterations") else ""
    print(f"| scikit-learn {sk['model']}{ran}: read_csv + predict_proba + to_csv | {sk['rows']:,} rows | - |"
          f" read {sk['read_s']} s, score {sk['score_s']} s, write {sk['write_s']} s | {sk['wall_s']:.1f} s end to end |")
    print(f"# ratio (ours / scikit-learn {sk['model']}, end to end): {wall / sk['wall_s']:.2f}x")
PY
