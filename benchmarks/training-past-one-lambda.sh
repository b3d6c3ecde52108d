#!/usr/bin/env bash
# Upload → production of a big training set through the container path (BENCHMARKS.md, "Training past one
# Lambda"), one command, every stage timed from the run itself:
#   1. ROWS × 20 numeric features, 3 classes (scikit-learn's make_classification, seed 7, as training-scale.sh) into
#      $OUT (default /tmp/22f-bench; never the repository);
#   2. ./mlops local up on a fresh state folder; the dataset's config.json limits the search to FAMILIES (the default
#      search's forests and CART do not scale to millions of rows: docs/training.md); the file is uploaded with
#      ./mlops upload (timed: the PUT), then validation (upload → execution start, from the execution's start
#      date), each candidate's container task (its ECS task's createdAt → stoppedAt, from the history), the
#      collect step, registration and promotion (state entered → exited, from GetExecutionHistory);
#   3. in the same run, after ours: pandas read_csv + describe of the same file (the validation's peer) and
#      scikit-learn fitting the same families on the same 80 % of rows, one thread.
# Usage: ROWS=5000000 FAMILIES=logistic-regression benchmarks/training-past-one-lambda.sh [OUT]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
ROWS="${ROWS:-5000000}"
FAMILIES="${FAMILIES:-logistic-regression}"
OUT="${1:-/tmp/22f-bench}"
PY=/usr/bin/python3
mkdir -p "$OUT"
cd "$ROOT"
data="$OUT/rows-$ROWS.csv"
if [[ ! -f "$data" ]]; then
  $PY - "$ROWS" "$data" <<'PY'
import sys
import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
rows, out = int(sys.argv[1]), sys.argv[2]
X, y = make_classification(n_samples=rows, n_features=20, n_informative=10, n_redundant=5, n_classes=3,
                           random_state=7)
df = pd.DataFrame(X, columns=[f"f{i}" for i in range(20)])
df["label"] = [f"c{v}" for v in y]
df.to_csv(out, index=False, float_format="%.4f")
PY
fi
echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1)"
echo "# file: $data, $ROWS rows x 20, $(du -m "$data" | cut -f1) MB; families: $FAMILIES"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
SKIP_IRIS=1
start_stack
dataset="big$ROWS"
s3="$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["s3"])' "$MLOPS_HOME/runtime.json")"
sfn="$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["step_functions"])' "$MLOPS_HOME/runtime.json")"
families_json="$($PY -c 'import json,sys; print(json.dumps(sys.argv[1].split(",")))' "$FAMILIES")"
curl -sf -X PUT -H 'Content-Type: application/json' --data-binary "{\"training\": {\"families\": $families_json}}" \
    "$s3/mlops-local-000000000000-data/schemas/$dataset/config.json" >/dev/null
t0=$(date +%s.%N)
"$ROOT/mlops" upload "$data" --dataset "$dataset" --home "$MLOPS_HOME" > "$OUT/upload.txt"
t1=$(date +%s.%N)
echo "# load average after the upload: $(cut -d' ' -f1-3 /proc/loadavg)"
# The run: wait for its execution to end, then read its history.
$PY - "$sfn" "$t1" "$(echo "$t1 - $t0" | bc)" "$OUT" <<'PY'
import json, os, sys, time, urllib.request
sfn, uploaded, upload_s, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def call(op, body):
    req = urllib.request.Request(sfn, data=json.dumps(body).encode(), headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{op}"})
    return json.load(urllib.request.urlopen(req))
machine = next(m["stateMachineArn"] for m in call("ListStateMachines", {})["stateMachines"]
               if m["name"].endswith("-TrainingPipeline"))
log = f"{os.environ['MLOPS_HOME']}/logs/functions.log"
while True:
    execs = call("ListExecutions", {"stateMachineArn": machine})["executions"]
    if execs and execs[0]["status"] != "RUNNING":
        break
    if not execs:
        # An upload that never starts a run (dead-lettered, invalid) ends the measurement with its reason.
        ended = [l for l in open(log) if '"upload failed_delivery"' in l or '"upload invalid"' in l]
        if ended:
            sys.exit("no run: " + ended[-1].strip()[:600])
    time.sleep(5)
e = execs[0]
events = call("GetExecutionHistory", {"executionArn": e["executionArn"], "maxResults": 1000})["events"]
json.dump(events, open(f"{out}/history.json", "w"))
def span(name):
    t = [ev["timestamp"] for ev in events if ev["type"].endswith("StateEntered") and ev["stateEnteredEventDetails"]["name"] == name]
    u = [ev["timestamp"] for ev in events if ev["type"].endswith("StateExited") and ev["stateExitedEventDetails"]["name"] == name]
    return (max(u) - min(t)) if t and u else None
print(f"| stage | seconds |\n|---|---|")
print(f"| upload (`./mlops upload`, the PUT) | {upload_s:.1f} |")
print(f"| validation (upload → execution start) | {e['startDate'] - uploaded:.1f} |")
for ev in events:
    if ev["type"] in ("TaskSucceeded", "TaskFailed"):
        d = ev.get("taskSucceededEventDetails") or ev.get("taskFailedEventDetails")
        try:
            task = json.loads(d.get("output") or d.get("cause"))
            env = task["Overrides"]["ContainerOverrides"][0]["Environment"][0]["Value"]
            c = json.loads(env)
            print(f"| training, candidate {c['candidate_index']} {c['candidate']['algorithm']} (container task: "
                  f"exit {task['Containers'][0].get('ExitCode')}) | {task['StoppedAt'] - task['CreatedAt']:.1f} |")
        except (ValueError, KeyError, TypeError):
            print(f"| training: {ev['type']} {str(d)[:300]} | |")
for name in ("TrainCandidates", "Register", "Promote"):
    s = span(name)
    print(f"| {name} (state entered → exited) | {'–' if s is None else f'{s:.1f}'} |")
print(f"| **upload → production** ({e['status']}) | **{e['stopDate'] - uploaded + upload_s:.1f}** |")
PY
"$ROOT/mlops" runs list --home "$MLOPS_HOME" | head -5 || true
echo "# load average after ours: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_stack
trap - EXIT
OMP_NUM_THREADS=1 $PY - "$data" "$FAMILIES" <<'PY'
import sys, time
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
path, families = sys.argv[1], sys.argv[2].split(",")
t0 = time.perf_counter()
df = pd.read_csv(path)
df.describe(include="all")
print(f"# pandas read_csv + describe: {time.perf_counter() - t0:.1f} s")
X, y = df.drop(columns=["label"]).to_numpy(), df["label"].to_numpy()
cut = len(df) * 8 // 10
peers = {"logistic-regression": lambda: LogisticRegression(max_iter=100),
         "xgboost": lambda: HistGradientBoostingClassifier(random_state=0)}
for f in families:
    if f in peers:
        t0 = time.perf_counter()
        m = peers[f]().fit(X[:cut], y[:cut])
        fit = time.perf_counter() - t0
        print(f"# scikit-learn {type(m).__name__} (peer of {f}), one thread: fit {fit:.1f} s on {cut:,} rows, "
              f"accuracy on the other 20 %: {(m.predict(X[cut:]) == y[cut:]).mean():.4f}")
PY
echo "# load average after the peers: $(cut -d' ' -f1-3 /proc/loadavg)"
