#!/usr/bin/env bash
# False-alarm rate and detection power of the drift check under its default rule (BENCHMARKS.md, "Drift"):
# DriftPower simulates with the product's own profile, window and analysis code and prints a Markdown table.
#   benchmarks/drift-power.sh [REPETITIONS]        (default 200; needs `mvn -DskipTests package` first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
java -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.mlops.bench.DriftPower "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
