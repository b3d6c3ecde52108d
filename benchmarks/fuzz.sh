#!/usr/bin/env bash
# Fuzzes the inference request path with Jazzer (coverage-guided, libFuzzer inside): path, query,
# base64 flag and body of the HTTP API event, starting from the committed inputs, for the number of
# executions InferenceHandlerFuzzTest sets (1,000,000). Any 5xx, answer without request_id or stack
# trace fails the run and leaves the input next to the committed ones. Prints libFuzzer's progress
# lines; the last one ("DONE") has the count.
#   benchmarks/fuzz.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log="$(mktemp)"
start=$(date +%s)
JAZZER_FUZZ=1 mvn -B -pl functions/inference -am test -Dtest=InferenceHandlerFuzzTest \
  -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 && status=0 || status=$?
grep -E '^#[0-9]+' "$log" | grep -E 'pulse|DONE|NEW' | tail -5
grep -E 'Tests run:|BUILD|FAILURE|crash|Finding' "$log" | tail -5
echo "wall time: $(( $(date +%s) - start )) s, log: $log"
exit "$status"
