"""
Starts moto's server (the AWS emulator) on a free loopback port for trailwatch's end-to-end tests.

    python3 moto_launcher.py [--host 127.0.0.1] [--port 0]

Prints one line `{"port": N}` on stdout once the server accepts connections, then serves until
SIGTERM/SIGINT or until its stdin closes: the test harness holds stdin open, so the server also
stops when the harness dies without cleaning up (killed jest, crashed node).

It exists instead of plain `moto_server` to work around defects of moto 5.2.1 that make correct
Terraform fail against it. Each fix below is a small patch of moto, applied before the server
starts, named after the defect; none is worked around in trailwatch's generated code, which real
AWS accepts as it is. Remove a patch when the moto in use no longer has the defect.
"""

import argparse
import json
import os
import signal
import sys
import threading

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app


def fix_cloudtrail_lookup_by_arn():
    """moto 5.2.1: CloudTrail StartLogging and StopLogging look the trail up by name only
    (`self.trails[name]`), so the ARN the Terraform AWS provider passes raises a KeyError and moto
    answers HTTP 500, which the provider retries for minutes; DeleteTrail by ARN silently deletes
    nothing. Real CloudTrail accepts a name or an ARN: resolve both as moto's own get_trail does."""
    from moto.cloudtrail.models import CloudTrailBackend

    original_delete = CloudTrailBackend.delete_trail

    def start_logging(self, name):
        self.get_trail(name).start_logging()

    def stop_logging(self, name):
        self.get_trail(name).stop_logging()

    def delete_trail(self, name):
        trail = next((t for t in self.trails.values() if name in (t.trail_name, t.arn)), None)
        original_delete(self, trail.trail_name if trail else name)

    CloudTrailBackend.start_logging = start_logging
    CloudTrailBackend.stop_logging = stop_logging
    CloudTrailBackend.delete_trail = delete_trail


def fix_cloudtrail_describe_trails_filter():
    """moto 5.2.1: DescribeTrails ignores `trailNameList` and returns every trail of the account,
    so with two trails the provider's read fails ("too many results: wanted 1, got 2")."""
    from moto.cloudtrail.responses import CloudTrailResponse

    original = CloudTrailResponse.describe_trails

    def describe_trails(self):
        body = json.loads(original(self))
        wanted = self._get_param("trailNameList")
        if wanted:
            body["trailList"] = [t for t in body["trailList"] if t.get("Name") in wanted or t.get("TrailARN") in wanted]
        return json.dumps(body)

    CloudTrailResponse.describe_trails = describe_trails


def fix_s3_logging_policy_check():
    """moto 5.2.1: S3 PutBucketLogging checks the target bucket's policy for a grant to
    logging.s3.amazonaws.com and crashes (HTTP 500, AttributeError: 'str' object has no attribute
    'get') on any statement whose Principal is the string "*", such as the usual "deny insecure
    transport" statement; the provider then retries until it times out. Same check, every valid
    policy shape (string or list Action/Resource, string Principal)."""
    from moto.s3.models import FakeBucket

    def as_list(value):
        return [value] if isinstance(value, (str, dict)) else list(value or [])

    def log_delivery_allowed_by_policy(target_bucket, target_prefix):
        if not target_bucket.policy:
            return False
        arn = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}"
        accepted = {f"{arn}/{target_prefix or ''}*", f"{arn}/*", arn}
        for stmt in as_list(json.loads(target_bucket.policy.decode()).get("Statement")):
            principal = stmt.get("Principal")
            services = as_list(principal.get("Service")) if isinstance(principal, dict) else []
            if (
                stmt.get("Effect") == "Allow"
                and "logging.s3.amazonaws.com" in services
                and {"s3:PutObject", "s3:*"} & set(as_list(stmt.get("Action")))
                and accepted & set(as_list(stmt.get("Resource")))
            ):
                return True
        return False

    FakeBucket._log_permissions_enabled_policy = staticmethod(log_delivery_allowed_by_policy)


def fix_lambda_dead_letter_and_logging_config():
    """moto 5.2.1: Lambda drops DeadLetterConfig and LoggingConfig from CreateFunction and
    UpdateFunctionConfiguration and never returns them, so every plan after apply shows the
    function's dead_letter_config and logging_config blocks as changes. Keep and return them, with
    the defaults real Lambda reports (LogFormat Text, LogGroup /aws/lambda/<name>)."""
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__
    original_update = LambdaFunction.update_configuration
    original_get = LambdaFunction.get_configuration

    def __init__(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        self._tw_dead_letter_config = spec.get("DeadLetterConfig")
        self._tw_logging_config = spec.get("LoggingConfig")

    def update_configuration(self, config_updates):
        if "DeadLetterConfig" in config_updates:
            self._tw_dead_letter_config = config_updates["DeadLetterConfig"]
        if "LoggingConfig" in config_updates:
            self._tw_logging_config = config_updates["LoggingConfig"]
        return original_update(self, config_updates)

    def get_configuration(self, *args, **kwargs):
        config = original_get(self, *args, **kwargs)
        dead_letter = getattr(self, "_tw_dead_letter_config", None)
        if dead_letter and dead_letter.get("TargetArn"):
            config["DeadLetterConfig"] = dead_letter
        config["LoggingConfig"] = {
            "LogFormat": "Text",
            "LogGroup": f"/aws/lambda/{self.function_name}",
            **(getattr(self, "_tw_logging_config", None) or {}),
        }
        return config

    LambdaFunction.__init__ = __init__
    LambdaFunction.update_configuration = update_configuration
    LambdaFunction.get_configuration = get_configuration


MOTO_FIXES = [
    fix_cloudtrail_lookup_by_arn,
    fix_cloudtrail_describe_trails_filter,
    fix_s3_logging_policy_check,
    fix_lambda_dead_letter_and_logging_config,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    args = parser.parse_args()

    for fix in MOTO_FIXES:
        fix()

    server = make_server(args.host, args.port, DomainDispatcherApplication(create_backend_app), threaded=True)
    port = server.server_port
    # moto builds some URLs (SQS queue URLs, ...) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    stopping = threading.Event()

    def stop(*_):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_parent():
        # EOF on stdin: the process that started us is gone.
        while sys.stdin.buffer.read(4096):
            pass
        stop()

    threading.Thread(target=watch_parent, daemon=True).start()

    sys.stdout.write(json.dumps({"port": port}) + "\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
