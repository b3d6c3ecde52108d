#!/usr/bin/env bash
# A big upload validated in parts on the emulators (BENCHMARKS.md, "Big uploads validated in parts"), timed per stage:
#   1. generate a CSV of about SIZE (20 numeric + label; IngestThroughput generate, as the ingest benchmark's);
#   2. ./mlops local up on a fresh state folder;
#   3. upload it with ./mlops upload (a multipart upload in parts of 256 MiB, two at once), timed;
#   4. the ingest function plans it (over INLINE_VALIDATION_BYTES: parts of VALIDATION_PART_BYTES), the
#      UploadValidation state machine scans the parts in a Distributed Map and merges them: each stage's time from
#      the functions' log (the ingest function's start, VALIDATING, every part's end with its own wall and CPU time,
#      the outcome);
#   5. pandas read_csv + describe on the same file, in the same run (chunked: the file is larger than memory
#      allows at once), the peer.
# The training run the VALID upload starts is not waited for: the stack is stopped, and its state folder (S3Mock's
# copy of the file included) deleted, once the outcome is there. The generated file is kept for another run
# (delete it yourself: it is as large as SIZE).
#   benchmarks/big-upload-bench.sh [SIZE]   # SIZE: 10G (default; decimal GB), 1.5G, 800M, or a number of rows
#   MLOPS_BENCH_DIR=/tmp/big benchmarks/big-upload-bench.sh 10G   # where the file goes (default /tmp/mlops-bench)
set -euo pipefail
# The benchmarks module first: stack.sh reads its classpath.
(cd "$(dirname "${BASH_SOURCE[0]}")/.." && mvn -q -B -DskipTests package -pl benchmarks -am >&2)
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
size="${1:-10G}"
# The generator writes 158.35 bytes a row on average (64,000,000 rows: 10,134,191,065 bytes).
case "$size" in
  *G) rows=$(/usr/bin/python3 -c "import math,sys; print(math.ceil(float(sys.argv[1]) * 1e9 / 158.35))" "${size%G}") ;;
  *M) rows=$(/usr/bin/python3 -c "import math,sys; print(math.ceil(float(sys.argv[1]) * 1e6 / 158.35))" "${size%M}") ;;
  *) rows="$size" ;;
esac
dir="${MLOPS_BENCH_DIR:-/tmp/mlops-bench}"
mkdir -p "$dir"
python=/usr/bin/python3
$python -c 'import pandas' 2>/dev/null || { echo "needs python3-pandas (apt)" >&2; exit 1; }
cd "$ROOT"
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
# ./mlops local up builds first when the jars are stale: minutes on a loaded machine.
for _ in $(seq 1 1200); do [[ -f "$MLOPS_HOME/runtime.json" ]] && break; sleep 0.5; done
[[ -f "$MLOPS_HOME/runtime.json" ]] || { cat "$MLOPS_HOME/up.log" >&2; echo "stack did not start" >&2; exit 1; }

t2=$(date +%s.%N)
"$ROOT/mlops" upload "$file" --dataset big --home "$MLOPS_HOME" >&2
t3=$(date +%s.%N)
echo "# load average after the upload: $(cut -d' ' -f1-3 /proc/loadavg)"
# The outcome and every stage's time come from the functions' log (polled without starting a JVM).
log="$MLOPS_HOME/logs/functions.log"
key="incoming/big/$(basename "$file")"
until grep -E '"message":"upload (valid|invalid|rejected|duplicate)"' "$log" 2>/dev/null | grep -qF "\"key\":\"$key\""; do
  sleep 1
done
echo "# load average after ours: $(cut -d' ' -f1-3 /proc/loadavg)"
$python - "$log" "$key" "$bytes" "$(echo "$t3 - $t2" | bc)" <<'PY'
import json, statistics, sys
from datetime import datetime
log, key, size, upload_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
start = validating = outcome = None
parts = []
for line in open(log):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("Function") == "mlops-local-IngestValidationFunction" and "ColdStart" in e and start is None:
        start = e["_aws"]["Timestamp"] / 1000
    if e.get("key") != key:
        continue
    at = datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")).timestamp()
    if e["message"] == "upload validating":
        validating = at
        print("# " + e["reason"])
    elif e["message"] == "upload part scanned":
        parts.append(e | {"at": at})
    elif e["message"].startswith("upload ") and e["message"] != "upload retrying":
        outcome = (at, e)
at, o = outcome
rows = sum(p["rows"] for p in parts)
print(f"# outcome: {o['status']} {o.get('reason') or ''} version {(o.get('dataset_version') or '')[:12]}; "
      f"rows scanned {rows:,} in {len(parts)} parts")
last = max(p["at"] for p in parts)
wall = sorted(p["millis"] / 1000 for p in parts)
cpu = sorted(p["cpu_millis"] / 1000 for p in parts)
# Parts running at once: each part's [end - its wall time, end], sampled every second.
spans = [(p["at"] - p["millis"] / 1000, p["at"]) for p in parts]
busy = [sum(1 for s, e in spans if s <= t < e) for t in range(int(validating), int(last) + 1)]
print(f"# per part (read by range, scan, hash, write the scan): wall min {wall[0]:.1f} s, median "
      f"{statistics.median(wall):.1f} s, max {wall[-1]:.1f} s; CPU min {cpu[0]:.1f} s, median "
      f"{statistics.median(cpu):.1f} s, max {cpu[-1]:.1f} s; parts at once: mean {statistics.mean(busy):.1f}, "
      f"max {max(busy)}; sum of part CPU {sum(cpu):.0f} s over a map of {last - validating:.0f} s")
print(f"ours: upload {upload_s:.1f} s ({size / 1048576 / upload_s:.1f} MiB/s); ingest function (from its start) "
      f"planned in {validating - start:.1f} s; map {last - validating:.1f} s ({len(parts)} parts); merge and conclude "
      f"{at - last:.1f} s; validation end to end {at - start:.1f} s = {size / 1048576 / (at - start):.1f} MiB/s, "
      f"{rows / (at - start):,.0f} rows/s; upload + validation {upload_s + at - start:.1f} s")
PY
stop_stack
trap - EXIT
echo "# load average before pandas: $(cut -d' ' -f1-3 /proc/loadavg)"
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
