#!/usr/bin/env bash
# The ingest pass against pandas, in one run on the same generated files (BENCHMARKS.md, "Ingest"):
#   1. throughput on one core (both pinned to CPU 0 with taskset): our parse + validate + profile
#      (IngestThroughput: the ingest function's DatasetScanner, single-threaded) vs pandas read_csv + describe
#      (Debian python3-pandas), on a 1M-row x 20-numeric-column CSV; rows/s and the ratio;
#   2. heap at 1M, 3M and 10M rows with -Xmx256m: the largest heap in use after a collection, and the peak of
#      the heap pools (garbage included);
#   3. with --large: a 1 GB file through the ingest function on the local emulators, in a JVM with the
#      function's template memory as its heap and the template's JAVA_TOOL_OPTIONS (IngestOnEmulators).
# Generated files go to $MLOPS_BENCH_DIR (default /tmp/mlops-bench), never into the repository.
#   benchmarks/ingest-bench.sh [--large] [PASSES]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
large=false
if [[ "${1:-}" == "--large" ]]; then large=true; shift; fi
passes="${1:-4}"
dir="${MLOPS_BENCH_DIR:-/tmp/mlops-bench}"
mkdir -p "$dir"
python=/usr/bin/python3   # Debian's, with python3-pandas (apt-get install -y python3-pandas)
$python -c 'import pandas' 2>/dev/null || { echo "needs Debian python3-pandas: apt-get install -y python3-pandas" >&2; exit 1; }

mvn -q -B -DskipTests package -pl benchmarks -am >&2   # the code as it is now
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
run() { java -cp "$CP" "$@"; }

gen() {  # NAME ROWS
  [[ -f "$dir/rows-$1.csv" ]] || { echo "generating $dir/rows-$1.csv" >&2; run dev.mlops.bench.IngestThroughput generate "$2" "$dir/rows-$1.csv"; }
}
gen 1m 1000000
gen 3m 3000000
gen 10m 10000000

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), pandas $($python -c 'import pandas; print(pandas.__version__)')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "## 1. one core, $dir/rows-1m.csv ($(stat -c %s "$dir/rows-1m.csv") bytes)"
for i in $(seq 1 3); do
  taskset -c 0 $python - "$dir/rows-1m.csv" <<'PY'
import json, resource, sys, time
import pandas as pd
t0, c0 = time.perf_counter(), time.process_time()
df = pd.read_csv(sys.argv[1])
d = df.describe()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"peer": "pandas read_csv+describe", "rows": len(df), "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                  "rows_per_s_wall": round(len(df) / wall), "rows_per_s_cpu": round(len(df) / cpu),
                  "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
PY
done | tee "$dir/pandas.jsonl"
taskset -c 0 java -Xmx256m -cp "$CP" dev.mlops.bench.IngestThroughput scan "$dir/rows-1m.csv" "$passes" | tee "$dir/ours.jsonl"
$python - "$dir/pandas.jsonl" "$dir/ours.jsonl" <<'PY'
import json, statistics, sys
pandas = [json.loads(l) for l in open(sys.argv[1])]
ours = [json.loads(l) for l in open(sys.argv[2])][1:]   # pass 1 warms the JIT up
for key in ("rows_per_s_wall", "rows_per_s_cpu"):
    p, o = statistics.median(r[key] for r in pandas), statistics.median(r[key] for r in ours)
    print(f"# median {key}: ours {o:,.0f}, pandas {p:,.0f}, ratio {o / p:.2f}x")
PY

echo "## 2. heap with -Xmx256m"
for n in 1m 3m 10m; do
  java -Xmx256m -Xlog:gc:file="$dir/gc-$n.log" -cp "$CP" dev.mlops.bench.IngestThroughput scan "$dir/rows-$n.csv" 1
done

if $large; then
  gen 6.5m 6500000
  mem=$(awk '/IngestValidationFunction:/{f=1} f&&/MemorySize:/{print $2; exit}' template.yaml)
  opts=$(awk '/IngestValidationFunction:/{f=1} f&&/JAVA_TOOL_OPTIONS:/{sub(/.*JAVA_TOOL_OPTIONS: */,""); gsub(/"/,""); print; exit}' template.yaml)
  echo "## 3. $dir/rows-6.5m.csv ($(stat -c %s "$dir/rows-6.5m.csv") bytes) through the ingest function on the emulators: -Xmx${mem}m $opts"
  java -Xmx"${mem}"m $opts -Dmlops.root="$repo" -cp "$CP" dev.mlops.bench.IngestOnEmulators "$dir/rows-6.5m.csv" \
    2>"$dir/large.err" | grep '^{"bytes"'
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
