#!/usr/bin/env bash
# `./mlops validate` as a user runs it, against pandas, in one run on the same generated files (BENCHMARKS.md,
# "Validate on every core"):
#   1. ROUNDS rounds, each: `./mlops validate` on 1M rows x 20 numeric (a new JVM per run, as typed, every core),
#      then pandas read_csv + describe on the same file (a new process, unpinned): wall seconds and rows/s, and
#      validate's CPU seconds (user + sys of every thread: what the parallel run costs beside the one-core pass);
#      and, in the same rounds, the floor: a new JVM that only reads the file on every core as validate does, parses
#      its numbers and digests it (ScanFloor: no checks, no sketches), what no design of the command on this JVM
#      goes under;
#   1b. the fixed cost: `./mlops validate` on a 3-row file, ROUNDS times (an untimed run
#      before everything writes the launcher's CDS archive, as the first `validate` after a build does);
#   2. the one-core pass: our scan in one JVM (IngestThroughput, 4 passes, the first warms the JIT up) and
#      pandas (3 runs), both pinned to CPU 0 with taskset; wall and CPU seconds (the scanning thread's; pandas'
#      process's), the CPU figures being the ones a loaded machine distorts least;
#   3. heap: `./mlops validate` on 1M and 10M rows with -Xmx256m (JAVA_TOOL_OPTIONS) and a GC log: whether it
#      succeeds, the largest heap after a collection and the largest before one.
# The medians and ratios are printed at the end. Generated files go to $MLOPS_BENCH_DIR (default
# /tmp/mlops-bench), never into the repository.
#   benchmarks/validate-bench.sh [ROUNDS]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
rounds="${1:-3}"
dir="${MLOPS_BENCH_DIR:-/tmp/mlops-bench}"
mkdir -p "$dir"
python=/usr/bin/python3   # Debian's, with python3-pandas (apt-get install -y python3-pandas)
$python -c 'import pandas' 2>/dev/null || { echo "needs Debian python3-pandas: apt-get install -y python3-pandas" >&2; exit 1; }

mvn -q -B -DskipTests package -pl benchmarks,infra/local -am >&2   # the code as it is now
./mlops --help >/dev/null                                           # builds what ./mlops still needs (not timed)
printf 'a,b,label\n1,2,x\n3,4,y\n' >"$dir/tiny.csv"
./mlops validate "$dir/tiny.csv" >/dev/null 2>&1 || true             # writes validate's CDS archive (not timed)
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
gen() {  # NAME ROWS
  [[ -f "$dir/rows-$1.csv" ]] || { echo "generating $dir/rows-$1.csv" >&2
    java -cp "$CP" dev.mlops.bench.IngestThroughput generate "$2" "$dir/rows-$1.csv"; }
}
gen 1m 1000000
gen 10m 10000000
file="$dir/rows-1m.csv"
out="$dir/validate-bench.jsonl"
: >"$out"

cat >"$dir/pandas-describe.py" <<'PY'
import json, sys, time
import pandas as pd
t0, c0 = time.perf_counter(), time.process_time()
df = pd.read_csv(sys.argv[1])
d = df.describe()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"what": sys.argv[2], "rows": len(df), "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}))
PY
pandas() { $python "$dir/pandas-describe.py" "$@"; }   # FILE WHAT: one JSON line
now() { date +%s.%N; }
seconds() { awk "BEGIN { printf \"%.3f\", $2 - $1 }"; }

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), pandas $($python -c 'import pandas; print(pandas.__version__)')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## 1. ./mlops validate vs pandas read_csv+describe, $file ($(stat -c %s "$file") bytes), $rounds rounds"
for i in $(seq 1 "$rounds"); do
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$dir/validate.time" ./mlops validate "$file" >"$dir/validate.out" 2>"$dir/validate.err" || true
  t1=$(now)
  cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$dir/validate.time")
  echo "{\"what\": \"validate\", \"round\": $i, \"wall_s\": $(seconds "$t0" "$t1"), \"cpu_s\": $cpu, \"verdict\": \"$(grep -o 'VALID\|INVALID' "$dir/validate.out" | head -1)\", \"load1\": $(cut -d' ' -f1 /proc/loadavg)}" | tee -a "$out"
  pandas "$file" pandas | tee -a "$out"
  t0=$(now)
  java -XX:+UseSerialGC -cp benchmarks/target/classes dev.mlops.bench.ScanFloor "$file" >/dev/null
  t1=$(now)
  echo "{\"what\": \"floor\", \"round\": $i, \"wall_s\": $(seconds "$t0" "$t1"), \"load1\": $(cut -d' ' -f1 /proc/loadavg)}" | tee -a "$out"
done

echo "## 1b. the fixed cost: ./mlops validate on a 3-row file, $rounds rounds"
for i in $(seq 1 "$rounds"); do
  t0=$(now)
  ./mlops validate "$dir/tiny.csv" >/dev/null 2>&1 || true
  t1=$(now)
  echo "{\"what\": \"validate-tiny\", \"round\": $i, \"wall_s\": $(seconds "$t0" "$t1"), \"load1\": $(cut -d' ' -f1 /proc/loadavg)}" | tee -a "$out"
done

echo "## 2. one core (taskset -c 0)"
for i in 1 2 3; do taskset -c 0 $python "$dir/pandas-describe.py" "$file" pandas-one-core; done | tee -a "$out"
taskset -c 0 java -Xmx256m -cp "$CP" dev.mlops.bench.IngestThroughput scan "$file" 4 \
  | sed 's/^{/{"what": "one-core-pass", /' | tee -a "$out"

echo "## 3. heap: ./mlops validate with -Xmx256m"
for n in 1m 10m; do
  t0=$(now)
  code=0
  JAVA_TOOL_OPTIONS="-Xmx256m -Xlog:gc:file=$dir/validate-gc-$n.log" ./mlops validate "$dir/rows-$n.csv" \
    >"$dir/validate-$n.out" 2>"$dir/validate-$n.err" || code=$?
  t1=$(now)
  $python - "$dir/validate-gc-$n.log" "$n" "$code" "$(seconds "$t0" "$t1")" "$(head -1 "$dir/validate-$n.out")" <<'PY' | tee -a "$out"
import json, re, sys
after, before = 0, 0
for line in open(sys.argv[1]):
    m = re.search(r'(\d+)M->(\d+)M\(\d+M\)', line)
    if m:
        before, after = max(before, int(m.group(1))), max(after, int(m.group(2)))
print(json.dumps({"what": "heap", "rows": sys.argv[2], "exit": int(sys.argv[3]), "wall_s": float(sys.argv[4]),
                  "max_heap_after_gc_mb": after, "max_heap_before_gc_mb": before, "verdict": sys.argv[5][-90:]}))
PY
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

$python - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def median(what, key="wall_s"):
    return statistics.median(r[key] for r in rows if r["what"] == what)
v, p = median("validate"), median("pandas")
print(f"# ./mlops validate on 3 rows (the fixed cost): median {median('validate-tiny'):.2f} s wall")
print(f"# the floor (ScanFloor: read, parse, digest on every core in a new JVM): median {median('floor'):.2f} s wall")
print(f"# ./mlops validate: median {v:.2f} s wall = {1e6 / v:,.0f} rows/s; pandas {p:.2f} s = {1e6 / p:,.0f} rows/s;"
      f" ratio {p / v:.2f}x")
vc = median("validate", "cpu_s")
one = [r for r in rows if r["what"] == "one-core-pass"][1:]   # pass 1 warms the JIT up
o = statistics.median(r["wall_s"] for r in one)
oc = statistics.median(r["cpu_s"] for r in one)
p1 = median("pandas-one-core")
print(f"# one core: our pass median {o:.2f} s wall ({oc:.2f} s CPU) = {1e6 / o:,.0f} rows/s; pandas {p1:.2f} s ="
      f" {1e6 / p1:,.0f} rows/s; ratio {p1 / o:.2f}x")
first = [r for r in rows if r["what"] == "one-core-pass"][0]
p1c = median("pandas-one-core", "cpu_s")
print(f"# one core, CPU: our pass {oc:.2f} s = {1e6 / oc:,.0f} rows/s (first, cold pass {first['cpu_s']:.2f} s); pandas"
      f" {p1c:.2f} s CPU; ratio {p1c / oc:.2f}x")
print(f"# ./mlops validate's CPU (user + sys, every thread): median {vc:.2f} s = {vc / oc:.2f}x the warm one-core pass"
      f" (what the parallel run adds: JIT compiles, a cold start, the SHA-256 thread, merges)")
PY
