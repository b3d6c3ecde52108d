#!/usr/bin/env bash
# A big upload validated in parts on the emulators (BENCHMARKS.md, "Big uploads in parts"), timed per stage:
#   1. generate a CSV of ROWS x (20 numeric + label) (IngestThroughput generate, as the ingest benchmark's);
#   2. ./mlops local up on a fresh state folder;
#   3. upload it (./mlops upload: one PutObject to S3Mock), timed;
#   4. the ingest function plans it (over INLINE_VALIDATION_BYTES: parts of VALIDATION_PART_BYTES), the
#      UploadValidation state machine scans the parts in a Distributed Map and merges them: timed from the end of
#      the upload to the upload's outcome (VALID), with the map run's and the merge's own times from the
#      execution history;
#   5. pandas read_csv + describe on the same file, in the same run (chunked: the file is larger than memory
#      allows at once), the peer.
# The training run the VALID upload starts is not waited for: the stack is stopped once the outcome is there.
# Generated files go to $MLOPS_BENCH_DIR (default /tmp/mlops-bench), never into the repository.
#   benchmarks/big-upload-bench.sh [ROWS]        # default 70,000,000 rows: about 10 GB
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
rows="${1:-70000000}"
dir="${MLOPS_BENCH_DIR:-/tmp/mlops-bench}"
mkdir -p "$dir"
python=/usr/bin/python3
$python -c 'import pandas' 2>/dev/null || { echo "needs python3-pandas (apt)" >&2; exit 1; }
cd "$ROOT"
mvn -q -B -DskipTests package -pl benchmarks -am >&2
file="$dir/rows-$rows.csv"
t0=$(date +%s.%N)
[[ -f "$file" ]] || java -cp "$BENCH_CP" dev.mlops.bench.IngestThroughput generate "$rows" "$file"
t1=$(date +%s.%N)
bytes=$(stat -c %s "$file")
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "# file: $rows rows, $bytes bytes (generated in $(echo "$t1 - $t0" | bc) s); free disk: $(df -h --output=avail "$dir" | tail -1)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# No iris first: the stack only validates this upload.
MLOPS_HOME="$(mktemp -d)"; export MLOPS_HOME
"$ROOT/mlops" local up --home "$MLOPS_HOME" > "$MLOPS_HOME/up.log" 2>&1 &
STACK_PID=$!
trap stop_stack EXIT
for _ in $(seq 1 240); do [[ -f "$MLOPS_HOME/runtime.json" ]] && break; sleep 0.5; done
[[ -f "$MLOPS_HOME/runtime.json" ]] || { cat "$MLOPS_HOME/up.log" >&2; echo "stack did not start" >&2; exit 1; }

t2=$(date +%s.%N)
"$ROOT/mlops" upload "$file" --dataset big --home "$MLOPS_HOME" >&2
t3=$(date +%s.%N)
status=""
tplanned=""
while :; do
  status="$("$ROOT/mlops" datasets show big --json --home "$MLOPS_HOME" 2>/dev/null \
      | $python -c 'import json,sys; u=json.load(sys.stdin)["uploads"]; print(u[-1]["status"] if u else "")' || true)"
  [[ "$status" == VALIDATING && -z "$tplanned" ]] && tplanned=$(date +%s.%N)
  case "$status" in VALID|INVALID|REJECTED|DUPLICATE|FAILED_DELIVERY) break ;; esac
  sleep 1
done
t4=$(date +%s.%N)
echo "# load average after ours: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/mlops" datasets show big --json --home "$MLOPS_HOME" > "$dir/big-upload.json"
$python - "$dir/big-upload.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
u = d["uploads"][-1]
print("# outcome:", u["status"], u.get("reason") or "", "version", (u.get("dataset_version") or "")[:12])
for v in d["versions"]:
    print("# dataset version:", v["version"][:12], v["status"], "rows", v["rows"], "columns", v["columns"])
PY
upload_s=$(echo "$t3 - $t2" | bc)
validate_s=$(echo "$t4 - $t3" | bc)
# Planned: the upload was seen VALIDATING (polled every second; empty when the map finished between two polls).
plan_s=$([[ -n "$tplanned" ]] && echo "$tplanned - $t3" | bc || echo "?")
map_s=$([[ -n "$tplanned" ]] && echo "$t4 - $tplanned" | bc || echo "?")
echo "ours: upload ${upload_s} s; after it: planned (VALIDATING) ${plan_s} s, map + merge ${map_s} s; upload to ${status}" \
  "${validate_s} s, $(echo "scale=1; $bytes / 1048576 / $validate_s" | bc) MiB/s"

$python - "$file" <<'PY'
import json, sys, time
import pandas as pd
t0 = time.perf_counter()
n = 0
parts = []
for chunk in pd.read_csv(sys.argv[1], chunksize=2_000_000):
    n += len(chunk)
    parts.append(chunk.describe())
t1 = time.perf_counter()
print(json.dumps({"peer": "pandas read_csv(chunksize=2M) + describe per chunk", "rows": n, "wall_s": round(t1 - t0, 1)}))
PY
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
