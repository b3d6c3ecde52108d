#!/usr/bin/env bash
# Writes `./mlops validate`'s AppCDS archive of the classes one JVM loads while it takes the command's common paths
# (ArchiveRun: command lines one after the other):
#   - a small file read in one pass, with a config file read (Jackson's data binding), the JSON report and the HTML
#     page, numeric and categorical columns and a label of five classes (data/diamonds.csv);
#   - a big file read in parts on every core (past ParallelScanner's 8 MB: the parts, their merge, the sketches'
#     priming) with the progress bar (shown for it by -Dmlops.progress.from.bytes=0): 42,000 generated rows of 24
#     numbers and a label (0.3 s to write);
#   - a small file with quoted cells (read by the full CSV parser, FastCSV), a missing value and a duplicate row.
# Every class a later run misses is looked for in the class path's jars in order (DataSketches' are among the last):
# an archive written from a user's own first run, a plain one, left --json's and --config's classes (some 700, most of
# them Jackson's) to every later run that used them, and one from a small file left a big file's (docs/validation.md).
# A static archive, in two steps: that run lists the classes it loads (-XX:DumpLoadedClassList), then a second JVM,
# which runs no compiler, archives them (-Xshare:dump). Not the JDK's dynamic archive of the run itself
# (-XX:ArchiveClassesAtExit): JDK 17 archives a method's "queued for compilation" flag with it (JDK-8306460, fixed in
# 21), so a method waiting in the JIT's queue when that run exited was never compiled in any run that mapped the
# archive: one archive in 16 left the row loop interpreted for good, and validating 1M rows took 17.5-23 s instead of
# about 1.5 s (docs/validation.md, "A static archive, not the JDK's dynamic one").
#   infra/local/validate-archive.sh ARCHIVE CLASSPATH [JAVA_OPTION...]
# CLASSPATH must be the one the runs that map the archive use (jars only: archives hold no classes from folders).
# The options are the runs' own (the JIT's, the collector's); the archiving JVM takes the default collector, the one
# that can archive the classes' heap objects too (the JDK's own archive is made so and mapped with any collector).
set -euo pipefail
archive="$1"
classpath="$2"
shift 2
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf '{"validation": {"max_error_rows": 1000}}\n' >"$scratch/config.json"   # the default, written out
awk 'BEGIN { srand(7); h = "x0"; for (c = 1; c < 24; c++) h = h ",x" c; print h ",label"
  for (r = 0; r < 42000; r++) {
    line = ""
    for (c = 0; c < 24; c++) line = line sprintf("%.4f,", (rand() - 0.5) * (c + 1) * (1 + r / 1000))
    print line substr("abc", r % 3 + 1, 1)
  } }' >"$scratch/big.csv"
printf '"x","y","label"\n1,2,"a"\n3,4,"b"\n1,2,"a"\n,5,"b"\n' >"$scratch/quoted.csv"
# Written under a name of its own, then moved into place: a run that starts meanwhile never maps half a file.
partial="$archive.$$"
java -XX:DumpLoadedClassList="$scratch/classes.txt" "$@" \
  -Dmlops.root="$root" -Dmlops.stderr.columns=0 -Dmlops.progress.from.bytes=0 -cp "$classpath" \
  dev.mlops.local.cli.ArchiveRun \
  validate --json --config "$scratch/config.json" --html "$scratch/small.html" --label cut "$root/data/diamonds.csv" \; \
  validate --json --config "$scratch/config.json" --html "$scratch/big.html" "$scratch/big.csv" \; \
  validate "$scratch/quoted.csv" \
  >/dev/null 2>&1 || true   # the verdicts do not matter, only the classes loaded
# (its warnings name the listed classes it cannot archive: the run's dynamic proxies, JFR's event classes)
if [[ -s "$scratch/classes.txt" ]] && java -Xshare:dump -XX:SharedClassListFile="$scratch/classes.txt" \
    -XX:SharedArchiveFile="$partial" -cp "$classpath" >/dev/null 2>&1; then
  mv -f "$partial" "$archive"
else
  rm -f "$partial"
fi
