#!/usr/bin/env bash
# The drift check over captured traffic in the S3 emulator, end to end, against SciPy (BENCHMARKS.md, "Drift"):
#   1. DriftOnEmulators: windows of 250,000, 500,000 and 1,000,000 captured rows x 20 features written to S3Mock
#      by the inference function's batch writer, each checked by the drift function invoked through the Lambda
#      Invoke API, in a JVM pinned to one core (the emulators are not) with the heap the given -Xmx;
#   2. the peer: SciPy's ks_2samp + wasserstein_distance on the same training and captured values, in memory,
#      pinned to the same core.
# Generated values go to $MLOPS_BENCH_DIR (default /tmp/mlops-bench-drift), never into the repository.
#   benchmarks/drift-bench.sh [XMX]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
xmx="${1:-256m}"
dir="${MLOPS_BENCH_DIR:-/tmp/mlops-bench-drift}"
mkdir -p "$dir"
python=/usr/bin/python3   # Debian's, with python3-scipy (apt-get install -y python3-scipy)
$python -c 'import scipy' 2>/dev/null || { echo "needs Debian python3-scipy: apt-get install -y python3-scipy" >&2; exit 1; }
mvn -q -B -DskipTests package -pl benchmarks -am >&2
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
# The drift function's template flags (C2), this heap, one core once the emulators run.
PIN_CPU=0 java -Xmx"$xmx" -XX:+UseSerialGC -XX:ActiveProcessorCount=1 -XX:TieredStopAtLevel=4 -Dmlops.root="$repo" \
  -cp "$CP" dev.mlops.bench.DriftOnEmulators "$dir" 250000 500000 1000000 | tee "$dir/drift.jsonl"
for i in 1 2 3; do
  taskset -c 0 $python benchmarks/scipy_drift.py "$dir/reference.f64" "$dir/current.f64" 20
done | tee "$dir/scipy.jsonl"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
