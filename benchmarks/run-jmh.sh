#!/usr/bin/env bash
# JMH: HandlerLatency (sample mode: p50/p90/p99 per operation), then the scikit-learn peer, in the
# same run. Extra arguments go to JMH (e.g. -p dataset=iris, -jvmArgsAppend -XX:TieredStopAtLevel=1).
#   benchmarks/run-jmh.sh [JMH_ARGS ...]
# Needs `mvn -DskipTests package` first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# The inference function's JVM flags from template.yaml (its JIT, and the priorities a shadow rollout's scorer needs).
FLAGS="$(java -Dmlops.root="$ROOT" -cp "$CP" dev.mlops.bench.FunctionJvmFlags InferenceFunction)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), JAVA_TOOL_OPTIONS=$FLAGS"
JAVA_TOOL_OPTIONS="$FLAGS" java -Dmlops.root="$ROOT" -cp "$CP" \
  org.openjdk.jmh.Main HandlerLatency -jvmArgsAppend -Dmlops.root="$ROOT" "$@" 2>&1 \
  | grep -E '^(Benchmark|HandlerLatency)|\[capture\]|\[shadow\]' | grep -vE ':p0\.(00|95|9999)|:p1\.00'
echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 benchmarks/sklearn_latency.py
