#!/usr/bin/env bash
# Measures the demo on a fresh clone: the first run (Maven build + npm ci + demo), then runs that are
# already built, each with an empty state folder (the whole pipeline runs again) and with the state
# of the previous run (the same upload is recognised as done), plus each emulator's start time as the
# demo reports it. Writes nothing to the repo.
#   benchmarks/demo-wall-time.sh [RUNS]      (RUNS warm runs after the first, default 3)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/mlops"
cd "$work/mlops"

run() {
  local start end
  start=$(date +%s.%N)
  ./mlops demo --json > "$work/demo.json" 2> "$work/demo.err" || { cat "$work/demo.err" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 - "$1" "$(echo "$end - $start" | bc)" "$work/demo.json" <<'PY'
import json, sys
label, wall, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
d = json.load(open(path))
t = d["timings"]; e = t.get("emulator_start_ms", {})
print(f"{label:<22} wall {wall:6.1f} s | demo total {t['total_ms']/1000:5.1f} s, pipeline {t['pipeline_ms']/1000:4.1f} s"
      f" | start: s3mock {e.get('s3mock','-')} ms, dynalite {e.get('dynalite','-')} ms, stepfunctions {e.get('stepfunctions','-')} ms"
      f" | {d['run_status']} v{d['production_version']} -> {d['prediction']['predictions'][0]['label']}")
PY
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), node $(node --version)"
run "first (build + demo)"
for i in $(seq 1 "$runs"); do MLOPS_HOME="$work/empty-$i" run "built, empty state $i"; done
for i in $(seq 1 "$runs"); do run "built, same state $i"; done
