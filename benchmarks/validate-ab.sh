#!/usr/bin/env bash
# A/B of builds of functions/core on the validate path, alternated in the same minutes (BENCHMARKS.md, "The per-core
# pass and the JIT"): each round runs, for every core jar given, in turn,
#   1. the one-core pass: IngestThroughput scan FILE 4 pinned to CPU 0 (taskset -c 0); the figure is the smallest
#      CPU time of the scanning thread over passes 2-4 (pass 1 warms the JIT up);
#   2. `./mlops validate FILE` as the launcher runs it (C2, serial GC; no CDS archive, so every jar runs alike):
#      wall and user + sys CPU of the whole process.
# Medians per jar are printed at the end. The rest of the class path is this worktree's build
# (mvn -B -q -DskipTests package -pl benchmarks,infra/local -am); a jar of another commit is built from a checkout of it
# (git archive COMMIT | tar -x -C DIR; mvn -B -q -DskipTests -pl functions/core -am package in DIR).
#   benchmarks/validate-ab.sh ROUNDS FILE NAME=CORE_JAR NAME=CORE_JAR...
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
[[ $# -ge 4 ]] || { echo "usage: $0 ROUNDS FILE NAME=CORE_JAR NAME=CORE_JAR..." >&2; exit 2; }
rounds=$1
file=$2
shift 2
own='functions/core/target/mlops-core-[^/]*-SNAPSHOT.jar'
bench_cp=$(tr ':' '\n' <benchmarks/target/classpath.txt | grep -v "$own" | paste -sd:)
local_cp=$(tr ':' '\n' <infra/local/target/classpath.txt | grep -v "$own" | paste -sd:)
out=$(mktemp)
trap 'rm -f "$out" "$out.time"' EXIT
echo "# $(nproc) cores, $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for arg in "$@"; do
    name=${arg%%=*}
    jar=${arg#*=}
    load=$(cut -d' ' -f1 /proc/loadavg)
    pass=$(taskset -c 0 java -Xmx256m -cp "benchmarks/target/classes:$jar:$bench_cp" dev.mlops.bench.IngestThroughput \
      scan "$file" 4 | python3 -c 'import json, sys; print(min(json.loads(l)["cpu_s"] for l in list(sys.stdin)[1:]))')
    /usr/bin/time -f '%e %U %S' -o "$out.time" java -XX:+UseSerialGC -Dmlops.root="$repo" \
      -cp "infra/local/target/classes:$jar:$local_cp" dev.mlops.local.cli.Main validate "$file" >/dev/null 2>&1 || true
    read -r wall user sys <"$out.time"
    echo "$name $round $pass $wall $(awk "BEGIN { print $user + $sys }") $load" | tee -a "$out"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, _, one, wall, cpu, _ = line.split()
    runs[name].append((float(one), float(wall), float(cpu)))
for name, r in runs.items():
    med = [statistics.median(x[i] for x in r) for i in range(3)]
    print(f"# {name}: one-core pass {med[0]:.3f} s CPU; ./mlops validate {med[1]:.2f} s wall, {med[2]:.2f} s CPU"
          f" (medians of {len(r)})")
PY
