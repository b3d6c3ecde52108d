# Sourced by the benchmark scripts: starts `./mlops local up` on a fresh state folder, trains iris
# through the real pipeline, and stops the stack when the script exits.
#   source benchmarks/stack.sh; start_stack [FOLDER]   → $API (the HTTP API), $MLOPS_HOME, $ROOT, $BENCH_CP
#   SKIP_IRIS=1: iris is not uploaded.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# (empty until the benchmarks module is built: scripts that use it build it first)
BENCH_CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt" 2>/dev/null || true)"

start_stack() {
  MLOPS_HOME="$(mktemp -d)"
  export MLOPS_HOME
  # start_stack FOLDER: on a copy of a stopped stack's state folder (what it trained is kept; iris not uploaded)
  if [[ -n "${1:-}" ]]; then
    cp -a "$1/." "$MLOPS_HOME/"
    rm -f "$MLOPS_HOME/runtime.json" "$MLOPS_HOME/lock" "$MLOPS_HOME"/*.lock
  fi
  "$ROOT/mlops" local up --home "$MLOPS_HOME" > "$MLOPS_HOME/up.log" 2>&1 &
  STACK_PID=$!
  trap stop_stack EXIT
  # Up to 10 minutes: ./mlops local up builds first what is stale, and the machine may be shared.
  for _ in $(seq 1 1200); do
    [[ -f "$MLOPS_HOME/runtime.json" ]] && break
    sleep 0.5
  done
  [[ -f "$MLOPS_HOME/runtime.json" ]] || { cat "$MLOPS_HOME/up.log" >&2; echo "stack did not start" >&2; exit 1; }
  API="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api_url"])' "$MLOPS_HOME/runtime.json")"
  export API
  [[ -n "${1:-}" || -n "${SKIP_IRIS:-}" ]] || "$ROOT/mlops" upload "$ROOT/data/iris.csv" --dataset iris --wait --home "$MLOPS_HOME" >&2
}

stop_stack() {
  "$ROOT/mlops" local down --home "$MLOPS_HOME" >/dev/null 2>&1 || kill "$STACK_PID" 2>/dev/null || true
  wait "$STACK_PID" 2>/dev/null || true
  rm -rf "$MLOPS_HOME"
}
