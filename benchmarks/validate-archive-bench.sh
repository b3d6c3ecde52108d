#!/usr/bin/env bash
# `./mlops validate` on a small file (data/iris.csv) with each of its output and config options, from two AppCDS
# archives, in one run: the dynamic archive written at the exit of a plain first run (how the launcher wrote it
# first), and the one infra/local/validate-archive.sh writes (a static archive of the classes its command lines load:
# --json, --config and --html on a small file, a big one in parts, a quoted one); and the first run after a build
# each way (the plain run writing its archive at exit; the script, then the run). The JVM flags are the launcher's
# for validate.
#   1. ROUNDS rounds, each: for each archive, each of: no option, --json, --config, --json --config; wall seconds;
#   2. ROUNDS rounds of the first run: each way from no archive.
#   benchmarks/validate-archive-bench.sh [ROUNDS]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
rounds="${1:-7}"
mvn -q -B -DskipTests package -pl infra/local -am >&2
jar="$(ls infra/local/target/mlops-local-*.jar | grep -v -- '-tests.jar$' | head -1)"
cp="$jar:$(cat infra/local/target/classpath.txt)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '{"validation": {"max_error_rows": 100}}\n' >"$work/config.json"
file="$repo/data/iris.csv"
quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:class+path=off)
flags=(-XX:+UseSerialGC -Dmlops.root="$repo" -Dmlops.stderr.columns=0 -cp "$cp" dev.mlops.local.cli.Main validate)
now() { date +%s.%N; }
timed() {  # WHAT COMMAND...: one JSON line
  local what="$1" t0; shift
  t0="$(now)"; "$@" >/dev/null 2>&1 || true
  awk -v w="$what" -v t0="$t0" -v t1="$(now)" 'BEGIN { printf "{\"what\": \"%s\", \"wall_s\": %.3f}\n", w, t1 - t0 }'
}
first_plain() { java -XX:ArchiveClassesAtExit="$work/plain.jsa" "${quiet[@]}" "${flags[@]}" "$file"; }
first_script() { infra/local/validate-archive.sh "$work/script.jsa" "$cp" -XX:+UseSerialGC \
  && java -XX:SharedArchiveFile="$work/script.jsa" "${quiet[@]}" "${flags[@]}" "$file"; }
first_plain >/dev/null 2>&1 || true
first_script >/dev/null 2>&1 || true

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## 1. validate $file with each option set, from each archive, $rounds rounds"
out="$work/runs.jsonl"
for i in $(seq 1 "$rounds"); do
  for archive in plain script; do
    for options in "" "--json" "--config" "--json --config"; do
      args=()
      [[ "$options" == *--json* ]] && args+=(--json)
      [[ "$options" == *--config* ]] && args+=(--config "$work/config.json")
      timed "$archive archive, options [${options}]" java -XX:SharedArchiveFile="$work/$archive.jsa" "${quiet[@]}" \
        "${flags[@]}" "${args[@]}" "$file" | tee -a "$out"
    done
  done
done
echo "## 2. the first run after a build, $rounds rounds"
for i in $(seq 1 "$rounds"); do
  rm -f "$work/plain.jsa" "$work/script.jsa"
  timed "first run: the run writes the archive at exit" first_plain | tee -a "$out"
  timed "first run: the script writes the archive, then the run" first_script | tee -a "$out"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(r["what"], []).append(r["wall_s"])
for what, walls in runs.items():
    print(f"# {what}: median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})")
PY
