#!/usr/bin/env bash
# Writes `./mlops validate`'s AppCDS archive (the JDK's dynamic archive of the classes a run loads) from one run that
# takes the command's common paths: a config file read (Jackson's data binding), the JSON report, the HTML page,
# numeric and categorical columns, a label of five classes (data/diamonds.csv). An archive holds only the classes its
# run loaded: written from a user's own first run, a plain one left --json's and --config's classes (some 700, most
# of them Jackson's) to be read and verified from jars by every later run that used them (docs/validation.md).
#   infra/local/validate-archive.sh ARCHIVE CLASSPATH [JAVA_OPTION...]
# CLASSPATH must be the one the runs that map the archive use (jars only: archives hold no classes from folders).
set -euo pipefail
archive="$1"
classpath="$2"
shift 2
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf '{"validation": {"max_error_rows": 1000}}\n' >"$scratch/config.json"   # the default, written out
# Written under a name of its own, then moved into place: a run that starts meanwhile never maps half a file.
partial="$archive.$$"
java -XX:ArchiveClassesAtExit="$partial" -Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:class+path=off "$@" \
  -Dmlops.root="$root" -Dmlops.stderr.columns=0 -cp "$classpath" dev.mlops.local.cli.Main validate --json \
  --config "$scratch/config.json" --html "$scratch/report.html" --label cut "$root/data/diamonds.csv" \
  >/dev/null 2>&1 || true   # its verdict does not matter, only the classes it loaded
if [[ -s "$partial" ]]; then mv -f "$partial" "$archive"; else rm -f "$partial"; fi
