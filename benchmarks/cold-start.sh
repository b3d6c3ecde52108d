#!/usr/bin/env bash
# Cold starts: a new JVM per run, the handler built, one sample event answered against a local stack
# with iris trained by the pipeline (the inference function fetches the model from the S3 emulator and
# its alias from the DynamoDB emulator). Each function with the JVM's defaults and with C1 only.
#   benchmarks/cold-start.sh RUNS [inference-jar ...]       (default: every function's built jar)
# With jars given, only the inference function is measured, once per jar (e.g. before/after slimming).
# Needs `mvn -DskipTests package` first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
runs="${1:-5}"
shift || true
serialization="$(tr ':' '\n' < "$ROOT/benchmarks/target/classpath.txt" | grep aws-lambda-java-serialization)"
declare -A flagsets=([jvm-defaults]="" [c1-only]="-XX:+TieredCompilation -XX:TieredStopAtLevel=1")
jar_of() { echo "$ROOT/functions/$1/target/mlops-function-$1-0.1.0-SNAPSHOT-lambda.jar"; }
# logical id | module | handler class | event
cases=(
  "InferenceFunction|inference|dev.mlops.functions.inference.InferenceHandler|InferenceFunction/predict.json"
  "IngestValidationFunction|ingest|dev.mlops.functions.ingest.IngestHandler|IngestValidationFunction/s3-put.json"
  "TrainingFunction|training|dev.mlops.functions.training.TrainingHandler|TrainingFunction/train-candidate.json"
  "RegistryFunction|registry|dev.mlops.functions.registry.RegistryHandler|RegistryFunction/register.json"
  "DriftCheckFunction|drift|dev.mlops.functions.drift.DriftCheckHandler|DriftCheckFunction/on-demand-one-model.json"
)
if [[ $# -gt 0 ]]; then
  cases=()
  for jar in "$@"; do cases+=("InferenceFunction|$jar|dev.mlops.functions.inference.InferenceHandler|InferenceFunction/predict.json"); done
fi

start_stack
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for c in "${cases[@]}"; do
  IFS='|' read -r function module handler event <<<"$c"
  jar="$module"; [[ -f "$jar" ]] || jar="$(jar_of "$module")"
  echo "$function: $jar ($(stat -c %s "$jar") bytes, $(unzip -Z1 "$jar" | wc -l) entries), event $event"
  (
    eval "$(java -Dmlops.root="$ROOT" -cp "$BENCH_CP" dev.mlops.bench.StackEnvironment "$function" "$MLOPS_HOME")"
    for name in jvm-defaults c1-only; do
      times=()
      for _ in $(seq 1 "$runs"); do
        start=$(date +%s%3N)
        # shellcheck disable=SC2086
        line="$(java ${flagsets[$name]} -cp "$jar:$serialization:$ROOT/benchmarks/target/classes" \
                dev.mlops.bench.ColdStart "$handler" "$ROOT/events/$event" 2>/dev/null | grep answered_at_ms)"
        answered=$(sed -E 's/.*answered_at_ms=([0-9]+).*/\1/' <<<"$line")
        times+=($((answered - start)))
        echo "  $name: $((answered - start)) ms  (${line#* })"
      done
      sorted=($(printf '%s\n' "${times[@]}" | sort -n))
      echo "  $name median: ${sorted[$((runs / 2))]} ms"
    done
  )
done
