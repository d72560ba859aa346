"""
Runs a batch of AWS API calls with boto3 against an endpoint (the emulator) and prints the results,
so the end-to-end tests can compare what exists through the AWS API with what the stacks declare.

stdin:  {"endpoint": URL, "roles": {account: roleArn}, "calls": [{"account", "region", "service",
         "operation" (boto3 method name, e.g. "get_trail"), "params": {...}}]}
stdout: [{"result": {...}} | {"error": {"code", "message"}}], one per call, in order.

A call in an account listed in `roles` runs with credentials of that role (sts:AssumeRole, as the
stacks' providers do: moto keeps one set of resources per account and files them under the
assumed role's account); any other account uses the base credentials (moto's default account).

With --serve it answers many requests, one JSON request per stdin line and one JSON answer per
stdout line, so a test making many small batches pays for Python and boto3 once. Credentials are
assumed afresh for every request (an emulator reset forgets them).
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

BASE_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def run(request):
    endpoint = request["endpoint"]
    roles = request.get("roles", {})
    config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}, connect_timeout=5, read_timeout=30)
    credentials = {}
    clients = {}

    def credentials_for(account):
        if account not in roles:
            return BASE_CREDENTIALS
        if account not in credentials:
            sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint, config=config, **BASE_CREDENTIALS)
            c = sts.assume_role(RoleArn=roles[account], RoleSessionName="trailwatch-e2e")["Credentials"]
            credentials[account] = {
                "aws_access_key_id": c["AccessKeyId"],
                "aws_secret_access_key": c["SecretAccessKey"],
                "aws_session_token": c["SessionToken"],
            }
        return credentials[account]

    def client(account, region, service):
        key = (account, region, service)
        if key not in clients:
            clients[key] = boto3.client(service, region_name=region, endpoint_url=endpoint, config=config, **credentials_for(account))
        return clients[key]

    out = []
    for call in request["calls"]:
        try:
            method = getattr(client(call["account"], call["region"], call["service"]), call["operation"])
            result = method(**call.get("params", {}))
            result.pop("ResponseMetadata", None)
            out.append({"result": result})
        except ClientError as e:
            err = e.response.get("Error", {})
            out.append({"error": {"code": err.get("Code", "Unknown"), "message": err.get("Message", str(e))}})
        except Exception as e:  # noqa: BLE001 - reported to the test, which names the call
            out.append({"error": {"code": type(e).__name__, "message": str(e)}})
    return out


def main():
    if "--serve" in sys.argv[1:]:
        for line in sys.stdin:
            if line.strip():
                sys.stdout.write(json.dumps(run(json.loads(line)), default=str) + "\n")
                sys.stdout.flush()
        return
    json.dump(run(json.load(sys.stdin)), sys.stdout, default=str)


if __name__ == "__main__":
    main()
