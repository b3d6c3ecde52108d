"""boto3 against a running `./mlops local up` (real-clients.sh runs it): S3, DynamoDB, Step Functions, Lambda and
EventBridge through the one endpoint `local up --json` prints. Exits 1 on the first check that fails."""
import json
import sys
import time

import boto3

stack = json.load(open(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
session = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=stack["region"])


def client(name):
    return session.client(name, endpoint_url=stack["endpoint"])


passed = 0


def ok(what):
    global passed
    passed += 1
    print("ok: boto3 " + what)


s3, ddb, sfn, lam, events = (client(n) for n in ("s3", "dynamodb", "stepfunctions", "lambda", "events"))
bucket = stack["bucket"]

s3.put_object(Bucket=bucket, Key="notes/boto3.csv", Body=data)
assert s3.get_object(Bucket=bucket, Key="notes/boto3.csv")["Body"].read() == data
ok("s3 put_object, get_object")
s3.upload_file(sys.argv[2], bucket, "notes/boto3-transfer.csv")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="notes/")["Contents"]]
assert "notes/boto3.csv" in keys and "notes/boto3-transfer.csv" in keys, keys
ok("s3 upload_file, list_objects_v2")

items = []
for _ in range(240):
    items = ddb.query(TableName=stack["tables"]["UploadsTable"], KeyConditionExpression="#k = :k",
                      ExpressionAttributeNames={"#k": "key"},
                      ExpressionAttributeValues={":k": {"S": "incoming/clients-cli/iris.csv"}})["Items"]
    if items:
        break
    time.sleep(0.5)
assert items and items[0]["status"]["S"] == "VALID", items
ok("dynamodb query")

machine = stack["state_machines"]["TrainingPipeline"]
runs = [e for e in sfn.list_executions(stateMachineArn=machine)["executions"] if e["name"].startswith("clients-cli-")]
assert runs, "no execution of the CLI's upload"
execution = sfn.describe_execution(executionArn=runs[-1]["executionArn"])
history = sfn.get_execution_history(executionArn=execution["executionArn"], reverseOrder=True)["events"]
assert history and history[0]["type"].startswith("Execution"), history[:1]
ok("stepfunctions list_executions, describe_execution, get_execution_history (%d events)" % len(history))
started = sfn.start_execution(stateMachineArn=machine, name="clients-boto3-probe-%d" % int(time.time()), input="{}")
assert sfn.describe_execution(executionArn=started["executionArn"])["name"].startswith("clients-boto3-probe-")
ok("stepfunctions start_execution")

names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
registry = stack["functions"]["RegistryFunction"]["name"]
expected = sorted(f["name"] for f in stack["functions"].values())  # the template's functions, as local up names them
assert registry in names and sorted(names) == expected, (names, expected)
for name in (registry, "RegistryFunction", stack["functions"]["RegistryFunction"]["arn"]):
    answer = lam.invoke(FunctionName=name, Payload=json.dumps({"action": "list_models"}))
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer, answer
    assert "models" in json.loads(answer["Payload"].read())
ok("lambda list_functions, invoke by physical name, logical id and ARN")
answer = lam.invoke(FunctionName=registry, InvocationType="Event", Payload=json.dumps({"action": "list_models"}))
assert answer["StatusCode"] == 202 and answer["Payload"].read() == b"", answer
ok("lambda invoke InvocationType=Event: 202, empty")

put = events.put_events(Entries=[{"Source": "clients.boto3", "DetailType": "Probe", "Detail": "{}",
                                  "EventBusName": stack["event_buses"]["RegistryEventBus"]}])
assert put["FailedEntryCount"] == 0, put
ok("events put_events")

open(sys.argv[1] + ".boto3-passed", "w").write(str(passed))
