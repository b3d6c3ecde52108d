"""Prints the IAM roles that the SAM translator makes of a template, as JSON on stdout.

usage: python3 sam_roles.py TEMPLATE

The same transform `sam deploy` has CloudFormation run (AWS::Serverless-2016-10-31): SAM policy templates
expanded, inline statements kept, the roles of functions and state machines with their managed policy ARNs.
Intrinsics are left as they are (the local runtime resolves them with its own names). As `sam package` does,
local CodeUri and DefinitionUri are replaced by S3 locations first (the transform accepts nothing else).
Output: {"roles": {RoleLogicalId: Properties}, "owners": {FunctionOrStateMachineLogicalId: RoleLogicalId}}.
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # only shapes pseudo-parameter defaults

from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402


class NoManagedPolicies:
    """Managed policies are named by ARN in the template: nothing to look up in an account."""

    def load(self):
        return {}


def main(path):
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = "s3://local/code.zip"
        if resource.get("Type") == "AWS::Serverless::StateMachine" and isinstance(props.get("DefinitionUri"), str):
            props["DefinitionUri"] = "s3://local/definition.json"
    resources = transform(template, {}, NoManagedPolicies())["Resources"]
    roles = {k: v.get("Properties", {}) for k, v in resources.items() if v["Type"] == "AWS::IAM::Role"}
    owners = {}
    for logical_id, resource in resources.items():
        props = resource.get("Properties", {})
        role = props.get("Role") if resource["Type"] == "AWS::Lambda::Function" else (
            props.get("RoleArn") if resource["Type"] == "AWS::StepFunctions::StateMachine" else None)
        if isinstance(role, dict) and "Fn::GetAtt" in role:
            owners[logical_id] = role["Fn::GetAtt"][0]
    json.dump({"roles": roles, "owners": owners}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
