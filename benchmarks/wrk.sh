#!/usr/bin/env bash
# Throughput of the local HTTP endpoint (./mlops local up) under wrk on loopback: one valid
# single-row predict body, capture at the template's default (written to the S3 emulator by the
# background writer). Prints wrk's report (requests/s, latency distribution, non-2xx count) and how
# many requests were captured.
#   benchmarks/wrk.sh [DURATION] [CONNECTIONS]        (default 30s, 16; wrk: apt-get install wrk)
# Needs `mvn -DskipTests package` first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
duration="${1:-30s}"
connections="${2:-16}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
start_stack
lua="$MLOPS_HOME/predict.lua"
cat > "$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"instances": [{"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}]}'
LUA
curl -s -X POST "$API/v1/models/iris:predict" -H 'content-type: application/json' \
  -d '{"instances": [{"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}]}'
echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$connections" -d10s -s "$lua" "$API/v1/models/iris:predict" > /dev/null   # warm-up
before=$(java -Dmlops.root="$ROOT" -cp "$BENCH_CP" dev.mlops.bench.CaptureCount iris "$MLOPS_HOME")
wrk -t2 -c"$connections" -d"$duration" --latency -s "$lua" "$API/v1/models/iris:predict"
sleep 5
after=$(java -Dmlops.root="$ROOT" -cp "$BENCH_CP" dev.mlops.bench.CaptureCount iris "$MLOPS_HOME")
echo "captured during the measured run (S3 emulator, background writer): $((after - before))"
