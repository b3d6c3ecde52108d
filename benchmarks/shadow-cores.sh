#!/usr/bin/env bash
# What a shadow rollout costs the caller, and where it comes from: the paced HandlerLatency pair (capture alone,
# shadow on) in one JMH run, with the inference function's JVM flags from template.yaml, in one of three layouts:
#   free      the JVM on every core, as the scheduler places its threads
#   one-core  the whole JVM on core 0: the caller and the capture writer (which scores the shadow) share one core
#   split     the JMH worker (the caller) pinned to core 0, the capture writer and shadow scorer to core 1, the rest free
#   benchmarks/shadow-cores.sh LAYOUT [JMH_ARGS ...]          (needs `mvn -DskipTests package` first)
# Other processes on the machine are not moved: a shared machine's other load still runs on both cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
layout="${1:?usage: shadow-cores.sh free|one-core|split [JMH_ARGS ...]}"
shift
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
FLAGS="$(java -Dmlops.root="$ROOT" -cp "$CP" dev.mlops.bench.FunctionJvmFlags InferenceFunction)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), layout $layout, JAVA_TOOL_OPTIONS=$FLAGS"
prefix=()
[[ "$layout" == one-core ]] && prefix=(taskset -c 0)
pinner=""
if [[ "$layout" == split ]]; then
  # Pin each forked JVM's caller and writer threads as they appear (a new fork per benchmark and dataset).
  (
    while sleep 0.2; do
      for pid in $(pgrep -f org.openjdk.jmh.runner.ForkedMain || true); do
        for task in /proc/"$pid"/task/*; do
          case "$(cat "$task/comm" 2>/dev/null)" in
            dev.mlops.bench) taskset -p -c 0 "${task##*/}" >/dev/null 2>&1 || true ;;
            capture-writer|shadow-scorer) taskset -p -c 1 "${task##*/}" >/dev/null 2>&1 || true ;;
          esac
        done
      done
    done
  ) &
  pinner=$!
  trap 'kill "$pinner" 2>/dev/null || true' EXIT
fi
JAVA_TOOL_OPTIONS="$FLAGS" "${prefix[@]}" java -Dmlops.root="$ROOT" -cp "$CP" org.openjdk.jmh.Main \
  'HandlerLatency\.pacedWith(CaptureDefault|ShadowOn)' -jvmArgsAppend -Dmlops.root="$ROOT" "$@" 2>&1 \
  | grep -E '^(Benchmark|HandlerLatency)|\[capture\]|\[shadow\]' | grep -vE ':p0\.(00|95|9999)|:p1\.00'
echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
