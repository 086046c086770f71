"""Translates template.yaml offline (no AWS calls) into plain CloudFormation, as `sam package` +
the SAM transform would, so cfn-lint can check what SAM generates (IAM action names included).

    .venv/bin/python scripts/translate_template.py template.yaml > translated.json
"""
import json
import sys

import boto3

from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "AWSLambdaRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
}


def main(path: str) -> None:
    with open(path) as f:
        template = yaml_parse(f.read())
    for name, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            # What `sam package` does: the local zip becomes an S3 object.
            props["CodeUri"] = f"s3://gas-artifacts/{props['CodeUri'].rsplit('/', 1)[-1]}"
        if resource["Type"] == "AWS::Serverless::StateMachine" and "DefinitionUri" in props:
            with open(props.pop("DefinitionUri")) as definition:
                props["Definition"] = json.load(definition)
    # Only for the pseudo parameters (region, partition): no call leaves this machine.
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="offline", aws_secret_access_key="offline")
    translated = Translator(MANAGED_POLICIES, Parser(), boto_session=session).translate(
        template, parameter_values={}, get_managed_policy_map=lambda: MANAGED_POLICIES)
    json.dump(translated, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "template.yaml")
