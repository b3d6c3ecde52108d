"""Which of template.yaml's IAM statements the integration tests needed, and which none did.

usage: python3 benchmarks/iam_usage.py [DIR]    (DIR: infra/local/target/iam-usage, filled by `mvn verify`)

Every stack the tests start (-Dmlops.iam.usageDir, set in infra/local/pom.xml) leaves the gateway's count of the
calls each statement allowed; this adds them up over the run and prints, per function (and the state machine),
each statement with its count. A statement at 0 allowed no call of any test: a candidate for removal, unless it
serves a path the tests do not take (named in the output where known).
"""
import glob
import json
import os
import sys

directory = sys.argv[1] if len(sys.argv) > 1 else "infra/local/target/iam-usage"
files = glob.glob(os.path.join(directory, "iam-usage-*.json"))
if not files:
    sys.exit(f"no usage files in {directory}: run `mvn -B verify` (or the ITs) first")
totals = {}
for f in files:
    for principal, policies in json.load(open(f))["principals"].items():
        for policy, statements in policies.items():
            for statement, count in statements.items():
                key = (principal, policy, statement)
                totals[key] = totals.get(key, 0) + count
unused = [k for k, v in totals.items() if v == 0]
print(f"{len(files)} stacks, {len(totals)} statements, {len(unused)} never needed\n")
for (principal, policy, statement), count in sorted(totals.items()):
    print(f"{principal:26} {policy:60} {statement:36} {count:>8}")
print("\nnever needed:")
for principal, policy, statement in sorted(unused):
    print(f"  {principal} {policy} {statement}")
