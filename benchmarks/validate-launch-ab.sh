#!/usr/bin/env bash
# `./mlops validate FILE` as a user types it, from two or more checkouts of this repository, alternated in the same
# minutes (BENCHMARKS.md, "Validate: the sketches sampled, lines read in one loop, the sketches primed"): ROUNDS rounds,
# each running every checkout's launcher once; wall and user + sys CPU of each run, then the medians per checkout.
# Each checkout must be built and its validate CDS archive written first (run its ./mlops validate once on any file).
#   benchmarks/validate-launch-ab.sh ROUNDS FILE CHECKOUT CHECKOUT...
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: $0 ROUNDS FILE CHECKOUT CHECKOUT..." >&2; exit 2; }
rounds=$1
file=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out" "$out.time"' EXIT
echo "# $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for dir in "$@"; do
    /usr/bin/time -f '%e %U %S' -o "$out.time" "$dir/mlops" validate "$file" >/dev/null 2>&1 || true
    read -r wall user sys < <(tail -1 "$out.time")   # after "Command exited with non-zero status" when invalid
    echo "$dir $round $wall $(awk "BEGIN { print $user + $sys }") $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    checkout, _, wall, cpu, _ = line.split()
    runs.setdefault(checkout, []).append((float(wall), float(cpu)))
for checkout, r in runs.items():
    print(f"# {checkout}: ./mlops validate median {statistics.median(w for w, _ in r):.2f} s wall,"
          f" {statistics.median(c for _, c in r):.2f} s CPU over {len(r)} runs; walls {sorted(w for w, _ in r)}")
PY
