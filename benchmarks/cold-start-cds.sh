#!/usr/bin/env bash
# Cold start of the inference function with and without an AppCDS archive, and scikit-learn's, in one run.
# A local stack with iris trained by the pipeline; then
#   1. the archive: one training run of the ColdStart driver (new JVM → first answered prediction) that lists the
#      classes it loads (-XX:DumpLoadedClassList), then a JVM that archives them (-Xshare:dump: a static archive, as
#      infra/local/validate-archive.sh writes; JDK 17's dynamic archive keeps the "queued for compilation" flag of
#      the methods in the JIT's queue at exit, JDK-8306460, and they are never compiled in the runs that map it), timed;
#   2. RUNS rounds, each: a new JVM without the archive, one with it (-XX:SharedArchiveFile), and a new Python
#      process that imports scikit-learn, pickle.loads a model of the production model's family trained on iris,
#      and answers predict_proba for one row. Each JVM runs with the Lambda Java runtime's defaults followed by the
#      function's JAVA_TOOL_OPTIONS from template.yaml, as the local execution environments do.
# Time from the shell starting the process to the printed answer.
#   benchmarks/cold-start-cds.sh [RUNS]          (needs `mvn -DskipTests package` first)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
runs="${1:-7}"
jar="$ROOT/functions/inference/target/mlops-function-inference-0.1.0-SNAPSHOT-lambda.jar"
serialization="$(tr ':' '\n' < "$ROOT/benchmarks/target/classpath.txt" | grep aws-lambda-java-serialization)"
# The driver as a jar: CDS archives classes from jars only, and refuses a class path with a non-empty directory.
driver="$ROOT/benchmarks/target/mlops-benchmarks-0.1.0-SNAPSHOT.jar"
cp="$jar:$serialization:$driver"
handler=dev.mlops.functions.inference.InferenceHandler
event="$ROOT/events/InferenceFunction/predict.json"
work="$(mktemp -d)"
archive="$work/inference.jsa"
lambda_defaults="-XX:+UseSerialGC -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto"
function_flags="$(java -Dmlops.root="$ROOT" -cp "$BENCH_CP" dev.mlops.bench.FunctionJvmFlags InferenceFunction)"

start_stack
trap 'stop_stack; rm -rf "$work"' EXIT
family="$("$ROOT/mlops" models --json --home "$MLOPS_HOME" lineage iris 1 2>/dev/null | /usr/bin/python3 -c '
import json, sys
def find(o):
    if isinstance(o, dict):
        if isinstance(o.get("algorithm"), str):
            return o["algorithm"]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            f = find(v)
            if f:
                return f
print(find(json.load(sys.stdin)) or "unknown")')"
/usr/bin/python3 "$ROOT/benchmarks/cold_start_sklearn.py" fit "$family" "$work/model.pkl"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)," \
     "$(/usr/bin/python3 -c 'import sklearn, sys; print("Python", sys.version.split()[0], "scikit-learn", sklearn.__version__)')"
echo "inference jar: $(stat -c %s "$jar") bytes; production model of iris: $family; JVM flags: $lambda_defaults $function_flags"

eval "$(java -Dmlops.root="$ROOT" -cp "$BENCH_CP" dev.mlops.bench.StackEnvironment InferenceFunction "$MLOPS_HOME")"

# One cold start: prints the milliseconds from the start of the process to its answer.
java_cold() {
  local start line
  start=$(date +%s%3N)
  # shellcheck disable=SC2086
  line="$(java $lambda_defaults $function_flags "$@" -cp "$cp" dev.mlops.bench.ColdStart "$handler" "$event" \
          2>/dev/null | grep answered_at_ms)"
  grep -q 'status=200' <<<"$line" || { echo "not answered: $line" >&2; exit 1; }
  echo $(( $(sed -E 's/.*answered_at_ms=([0-9]+).*/\1/' <<<"$line") - start ))
}
python_cold() {
  local start line
  start=$(date +%s%3N)
  line="$(/usr/bin/python3 "$ROOT/benchmarks/cold_start_sklearn.py" predict "$work/model.pkl")"
  echo $(( $(sed -E 's/.*answered_at_ms=([0-9]+).*/\1/' <<<"$line") - start ))
}

t0=$(date +%s%3N)
java_cold -XX:DumpLoadedClassList="$work/classes.txt" >/dev/null
java -Xshare:dump -XX:SharedClassListFile="$work/classes.txt" -XX:SharedArchiveFile="$archive" -cp "$cp" >/dev/null 2>&1
echo "archive: built in $(( $(date +%s%3N) - t0 )) ms (training run included), $(stat -c %s "$archive") bytes"

declare -a plain cds python
for i in $(seq 1 "$runs"); do
  plain+=("$(java_cold)")
  cds+=("$(java_cold -XX:SharedArchiveFile="$archive" -Xshare:on)")   # on: fail rather than run without it
  python+=("$(python_cold)")
  echo "  round $i: JVM ${plain[-1]} ms, JVM + CDS ${cds[-1]} ms, Python ${python[-1]} ms (load $(cut -d' ' -f1 /proc/loadavg))"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "median of $runs: JVM $(median "${plain[@]}") ms, JVM + CDS $(median "${cds[@]}") ms, Python $(median "${python[@]}") ms"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
