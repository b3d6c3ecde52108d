#!/usr/bin/env bash
# Real AWS clients against a running `./mlops local up`: the AWS CLI v2 (Debian's awscli) and boto3 (python3), as a
# new user would use them, with nothing but what `local up --json` prints (the endpoint, region, bucket, names).
#
#   real-clients.sh STACK_JSON DATA_CSV     (run by RealClientsIT in `mvn verify`; AWS_CLI and PYTHON override)
#
# Checks, each failing the script with what it saw: upload, list and read S3 (an `aws s3 cp` upload runs the
# pipeline), query DynamoDB, list, describe and start executions and read their history, list functions and invoke
# them by logical and physical name (an asynchronous invocation answers 202 with an empty body), put events.
set -euo pipefail

STACK_JSON=$1
DATA=$2
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
PYTHON=${PYTHON:-python3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

field() { "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[k]
print(d)' "$STACK_JSON" "$1"; }
ENDPOINT=$(field endpoint)
REGION=$(field region)
BUCKET=$(field bucket)
UPLOADS=$(field tables.UploadsTable)
MACHINE=$(field state_machines.TrainingPipeline)
REGISTRY=$(field functions.RegistryFunction.name)
BUS=$(field event_buses.RegistryEventBus)

"$AWS_CLI" --version 2>&1 | grep -q '^aws-cli/2\.' || { echo "not the AWS CLI v2: $("$AWS_CLI" --version 2>&1)" >&2; exit 1; }
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=$REGION AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
aws() { "$AWS_CLI" --endpoint-url "$ENDPOINT" --output json "$@"; }

passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
json() { "$PYTHON" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# ---------------------------------------------------------------- AWS CLI v2
KEY=incoming/clients-cli/iris.csv
aws s3 cp "$DATA" "s3://$BUCKET/$KEY" >/dev/null && ok "aws s3 cp uploads (Expect: 100-continue answered)"
aws s3 ls "s3://$BUCKET/incoming/clients-cli/" | grep -q ' iris.csv$' && ok "aws s3 ls lists it" || fail "s3 ls"
aws s3 cp "s3://$BUCKET/$KEY" "$WORK/back.csv" >/dev/null && cmp -s "$DATA" "$WORK/back.csv" && ok "aws s3 cp reads it back" \
  || fail "s3 read back"
aws s3api put-object --bucket "$BUCKET" --key notes/cli.txt --body "$DATA" >/dev/null && ok "aws s3api put-object"

# The upload runs the pipeline: its outcome appears in DynamoDB, its execution in Step Functions.
status=""
for _ in $(seq 1 240); do
  status=$(aws dynamodb query --table-name "$UPLOADS" --key-condition-expression '#k = :k' \
    --expression-attribute-names '{"#k": "key"}' --expression-attribute-values "{\":k\": {\"S\": \"$KEY\"}}" \
    | json 'd["Items"][0]["status"]["S"] if d["Items"] else ""')
  [[ -n "$status" ]] && break
  sleep 0.5
done
[[ "$status" == "VALID" ]] && ok "aws dynamodb query: the upload is VALID" || fail "upload outcome '$status'"
execution=""
for _ in $(seq 1 240); do
  execution=$(aws stepfunctions list-executions --state-machine-arn "$MACHINE" \
    | json '[e["executionArn"] for e in d["executions"] if e["name"].startswith("clients-cli-")][0] if any(e["name"].startswith("clients-cli-") for e in d["executions"]) else ""')
  [[ -n "$execution" ]] && [[ $(aws stepfunctions describe-execution --execution-arn "$execution" | json 'd["status"]') != RUNNING ]] && break
  sleep 0.5
done
[[ -n "$execution" ]] && ok "aws stepfunctions list-executions: the upload's run" || fail "no execution"
[[ $(aws stepfunctions describe-execution --execution-arn "$execution" | json 'd["status"]') == SUCCEEDED ]] \
  && ok "aws stepfunctions describe-execution: SUCCEEDED" || fail "execution did not succeed"
aws stepfunctions get-execution-history --execution-arn "$execution" > "$WORK/history.json"
json '" ".join(e["type"] for e in d["events"])' < "$WORK/history.json" > "$WORK/types.txt"
for t in ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionSucceeded MapIterationStarted ExecutionSucceeded; do
  grep -qw "$t" "$WORK/types.txt" || fail "history lacks $t: $(cat "$WORK/types.txt")"
done
ok "aws stepfunctions get-execution-history: $(wc -w < "$WORK/types.txt") events"
probe=$(aws stepfunctions start-execution --state-machine-arn "$MACHINE" --name "clients-cli-probe-$RANDOM" --input '{}' \
  | json 'd["executionArn"]')
aws stepfunctions describe-execution --execution-arn "$probe" >/dev/null && ok "aws stepfunctions start-execution"

aws lambda list-functions | json '"\n".join(f["FunctionName"] for f in d["Functions"])' > "$WORK/functions.txt"
# The names local up --json gives for the template's functions, no more and no fewer.
"$PYTHON" -c 'import json,sys; print("\n".join(sorted(f["name"] for f in json.load(open(sys.argv[1]))["functions"].values())))' \
  "$STACK_JSON" > "$WORK/expected-functions.txt"
sort "$WORK/functions.txt" | cmp -s - "$WORK/expected-functions.txt" && grep -qx "$REGISTRY" "$WORK/functions.txt" \
  && ok "aws lambda list-functions: the $(wc -l < "$WORK/expected-functions.txt") functions of the template" \
  || fail "list-functions: $(cat "$WORK/functions.txt"), expected: $(cat "$WORK/expected-functions.txt")"
for name in "$REGISTRY" RegistryFunction; do
  aws lambda invoke --function-name "$name" --cli-binary-format raw-in-base64-out \
    --payload '{"action": "list_models"}' "$WORK/models.json" > "$WORK/invoke.json"
  [[ $(json 'd["StatusCode"]' < "$WORK/invoke.json") == 200 ]] && json 'len(d["models"])' \
    < "$WORK/models.json" >/dev/null && ok "aws lambda invoke --function-name $name" || fail "invoke $name"
done
aws lambda invoke --function-name "$REGISTRY" --invocation-type Event --cli-binary-format raw-in-base64-out \
  --payload '{"action": "list_models"}' "$WORK/async.out" > "$WORK/async.json"
[[ $(json 'd["StatusCode"]' < "$WORK/async.json") == 202 && ! -s "$WORK/async.out" ]] \
  && ok "aws lambda invoke --invocation-type Event: 202, empty" || fail "async invoke: $(cat "$WORK/async.json")"
aws events put-events --entries "[{\"Source\": \"clients.cli\", \"DetailType\": \"Probe\", \"Detail\": \"{}\", \"EventBusName\": \"$BUS\"}]" \
  | json 'd["FailedEntryCount"]' | grep -qx 0 && ok "aws events put-events"

# ---------------------------------------------------------------- boto3
"$PYTHON" "$HERE/real_clients_boto3.py" "$STACK_JSON" "$DATA" || fail "boto3"
passed=$((passed + $(cat "${STACK_JSON}.boto3-passed")))
echo "real clients: $passed checks passed (AWS CLI $("$AWS_CLI" --version 2>&1 | cut -d' ' -f1), boto3)"
