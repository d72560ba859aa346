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

It also makes moto strict where AWS is strict (STRICT_RULES, `strict_*`): moto evaluates no IAM,
KMS, S3 or trust policy and accepts calls AWS refuses, so a deploy that fails on AWS would pass
against plain moto. Each rule names the behaviour and the AWS documentation it follows, answers
with the error code AWS uses (never HTTP 500: the provider retries those for minutes) and evaluates
policies with strict_policies.py. A refusal message ends with "(trailwatch emulator: <why>)".

Environment:
  TRAILWATCH_MOTO_ORGANIZATION_ID  o-... : the id CreateOrganization gives the next organization
                                   (AWS picks it; the stacks' bucket policies name the real one).
  TRAILWATCH_MOTO_TODAY            YYYY-MM-DD : the date the Lambda runtime rule compares with
                                   (default: today, UTC).
"""

import argparse
import datetime
import json
import os
import re
import signal
import sys
import threading

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strict_policies import Principal, Request, as_list, evaluate, evaluate_identity, parse_policy, statements  # noqa: E402


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


def _arn_with_account(arn, service, account):
    """An ARN of `service` that the provider built without the account id (emulator mode:
    skip_requesting_account_id), with `account` filled in; any other value as it is."""
    if not isinstance(arn, str):
        return arn
    return re.sub(rf"^(arn:aws[\w-]*:{service}:[\w-]+:):", lambda m: f"{m.group(1)}{account}:", arn)


def fix_athena_untagged_resource_tags():
    """moto 5.2.1: Athena ListTagsForResource answers "Athena Resource, <arn> Does Not Exist" (HTTP
    400) for an existing workgroup or data catalog without tags (AWS answers an empty tag list), and
    for an ARN without its account id, which is the ARN the provider builds with
    skip_requesting_account_id (emulator mode). The provider lists a workgroup's tags after creating
    it, so either fails the apply. The caller's account stands in for a missing one."""
    from moto.athena.responses import AthenaResponse

    original = AthenaResponse.list_tags_for_resource

    def list_tags_for_resource(self):
        arn = self._get_param("ResourceARN") or ""
        m = re.match(r"^(arn:aws[\w-]*:athena:[\w-]+:)(\d{12})?:(workgroup|datacatalog)/(.+)$", arn)
        backend = self.athena_backend
        if m:
            full = f"{m.group(1)}{m.group(2) or self.current_account}:{m.group(3)}/{m.group(4)}"
            tags = backend.list_tags_for_resource(full)
            if tags:
                return json.dumps(tags)
            known = backend.work_groups if m.group(3) == "workgroup" else backend.data_catalogs
            if m.group(4) in known:
                return json.dumps({"Tags": []})
        return original(self)

    AthenaResponse.list_tags_for_resource = list_tags_for_resource


def fix_athena_missing_and_deleted_resources():
    """moto 5.2.1: Athena has no DeleteNamedQuery (the provider deletes every saved query on
    destroy), GetNamedQuery of an unknown id fails with HTTP 500, and GetWorkGroup of an unknown
    workgroup answers {"WorkGroup": null}. AWS deletes the query (Athena API Reference,
    DeleteNamedQuery) and answers InvalidRequestException for an unknown id or workgroup, which is
    how the provider (and the e2e API checks) learn that one is gone."""
    from moto.athena.responses import AthenaResponse

    get_named_query = AthenaResponse.get_named_query
    get_work_group = AthenaResponse.get_work_group

    def delete_named_query(self):
        self.athena_backend.named_queries.pop(self._get_param("NamedQueryId"), None)
        return "{}"

    def named_query(self):
        query_id = self._get_param("NamedQueryId")
        if query_id not in self.athena_backend.named_queries:
            return self.error(f"NamedQuery {query_id} was not found", 400)
        return get_named_query(self)

    def work_group(self):
        name = self._get_param("WorkGroup")
        if name not in self.athena_backend.work_groups:
            return self.error(f"WorkGroup {name} is not found.", 400)
        return get_work_group(self)

    AthenaResponse.delete_named_query = delete_named_query
    AthenaResponse.get_named_query = named_query
    AthenaResponse.get_work_group = work_group


def fix_glue_tags_by_arn_without_account():
    """moto 5.2.1: Glue keeps a database's tags under its ARN with the account id; with
    skip_requesting_account_id (emulator mode) the provider asks GetTags / TagResource /
    UntagResource with an ARN without it and gets no tags, so every plan re-adds the default tags.
    The backend's account stands in for a missing one."""
    from moto.glue.models import GlueBackend

    def with_account(original):
        def method(self, resource_arn, *args, **kwargs):
            resource_arn = _arn_with_account(resource_arn, "glue", self.account_id)
            return original(self, resource_arn, *args, **kwargs)

        return method

    for name in ("get_tags", "tag_resource", "untag_resource"):
        setattr(GlueBackend, name, with_account(getattr(GlueBackend, name)))


def fix_cloudwatch_tags_by_arn_without_account():
    """moto 5.2.1: CloudWatch keeps a Contributor Insights rule's tags under its ARN with the
    account id; with skip_requesting_account_id (emulator mode) the provider builds the rule's ARN
    without it and lists / tags / untags by that ARN, gets no tags, and every plan re-adds the
    default tags. The caller's account stands in for a missing one, before any backend patch."""
    from moto.cloudwatch.responses import CloudWatchResponse

    def with_account(original):
        def method(self):
            get_param = self._get_param

            def param(name, *args, **kwargs):
                value = get_param(name, *args, **kwargs)
                if name == "ResourceARN":
                    value = _arn_with_account(value, "cloudwatch", self.current_account)
                return value

            self._get_param = param
            try:
                return original(self)
            finally:
                del self._get_param

        return method

    for name in ("list_tags_for_resource", "tag_resource", "untag_resource"):
        setattr(CloudWatchResponse, name, with_account(getattr(CloudWatchResponse, name)))


def fix_cloudwatch_alarm_actions():
    """moto 5.2.1: DisableAlarmActions / EnableAlarmActions raise NotImplementedError (HTTP 500).
    AWS sets ActionsEnabled on each named alarm (CloudWatch API Reference, DisableAlarmActions);
    names that are not alarms are ignored there too. verify's e2e disables an alarm's actions out of
    band and must see ActionsEnabled false in DescribeAlarms."""
    from moto.cloudwatch.responses import CloudWatchResponse, EmptyResult

    def setter(enabled):
        def method(self):
            for name in self._get_param("AlarmNames", []):
                alarm = self.cloudwatch_backend.alarms.get(name)
                if alarm is not None:
                    alarm.actions_enabled = enabled
            return EmptyResult()

        return method

    CloudWatchResponse.disable_alarm_actions = setter(False)
    CloudWatchResponse.enable_alarm_actions = setter(True)


def fix_logs_put_metric_filter_replaces():
    """moto 5.2.1: PutMetricFilter appends a second filter with the same name to the log group;
    AWS "creates or updates a metric filter" (CloudWatch Logs API Reference, PutMetricFilter): the
    same name in the same log group replaces it. With the append, a filter edited out of band (or
    by a Terraform update) leaves the old one behind, and DeleteMetricFilter removes only one."""
    from moto.logs.metric_filters import MetricFilters

    original = MetricFilters.add_filter

    def add_filter(self, filter_name, filter_pattern, log_group_name, metric_transformations):
        self.metric_filters = [f for f in self.metric_filters if not (f["filterName"] == filter_name and f["logGroupName"] == log_group_name)]
        return original(self, filter_name, filter_pattern, log_group_name, metric_transformations)

    MetricFilters.add_filter = add_filter


MOTO_FIXES = [
    fix_cloudtrail_lookup_by_arn,
    fix_cloudtrail_describe_trails_filter,
    fix_s3_logging_policy_check,
    fix_lambda_dead_letter_and_logging_config,
    fix_athena_untagged_resource_tags,
    fix_athena_missing_and_deleted_resources,
    fix_glue_tags_by_arn_without_account,
    fix_cloudwatch_alarm_actions,
    fix_cloudwatch_tags_by_arn_without_account,
    fix_logs_put_metric_filter_replaces,
]


# ------------------------------------------------------------------------------------------------
# Strict rules: where AWS refuses a call that moto accepts. The stacks must pass them to deploy on
# AWS, so the emulator refuses what AWS refuses. Each rule is one patch with the AWS document it
# follows; the helpers below find resources across moto's per-account backends.
# ------------------------------------------------------------------------------------------------

PARTITION = "aws"
CLOUDTRAIL = Principal.service_principal("cloudtrail.amazonaws.com")


def _error(code, message, reason=None):
    """The JSON error AWS answers (HTTP 400), with the emulator's reason appended."""
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(code, f"{message} (trailwatch emulator: {reason})" if reason else message)


def _today():
    override = os.environ.get("TRAILWATCH_MOTO_TODAY")
    if override:
        return datetime.date.fromisoformat(override)
    return datetime.datetime.now(datetime.timezone.utc).date()


def _caller(response):
    """The IAM principal that signed a request (an assumed role: its role ARN and session ARN)."""
    account = response.current_account
    arns = []
    try:
        from moto.sts.models import sts_backends

        _, arn, account = sts_backends[account][PARTITION].get_caller_identity(response.get_access_key(), response.region)
        arns.append(arn)
        assumed = re.match(r"^arn:aws:sts::(\d{12}):assumed-role/([^/]+)/", arn)
        if assumed:
            arns.insert(0, f"arn:aws:iam::{assumed.group(1)}:role/{assumed.group(2)}")
    except Exception:  # noqa: BLE001 - unknown credentials: the account alone
        pass
    return Principal.iam(account, *arns)


def _bucket(name):
    """The bucket of that (global) name, in whichever account owns it, or None."""
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(name) if isinstance(name, str) else None
    if not owner:
        return None
    partition, account = owner
    return s3_backends[account][partition].buckets.get(name)


def _kms_key(key_id, account, region):
    """
    The KMS key that key_id (key id, key ARN, alias name or alias ARN) names for a caller in
    account/region, looked up in the owning account's backend, or None. An ARN names its own
    account and region; a bare id or alias name the caller's.
    """
    from moto.kms.models import kms_backends

    if not isinstance(key_id, str) or not key_id:
        return None
    arn = re.match(r"^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)/(.+)$", key_id)
    if arn:
        region, account, kind, rest = arn.groups()
        name = rest if kind == "key" else f"alias/{rest}"
    elif key_id.startswith("arn:"):
        return None
    else:
        name = key_id
    try:
        backend = kms_backends[account][region]
    except KeyError:
        return None
    if name.startswith("alias/"):
        return next((k for k in backend.keys.values() if name in k.aliases), None)
    return backend.keys.get(name)


def _organization(account):
    """(organization, its management account's backend) for an account of an organization
    (management or member), or (None, None)."""
    from moto.organizations.models import organizations_backends

    own = organizations_backends[account][PARTITION]
    if own.org:
        return own.org, own
    master = organizations_backends.master_accounts.get(account)
    if master:
        backend = organizations_backends[master[0]][master[1]]
        return backend.org, backend
    return None, None


def _role(role_arn):
    """The moto IAM role of an ARN, or None."""
    from moto.iam.models import iam_backends

    m = re.match(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$", role_arn or "")
    if not m:
        return None
    try:
        return iam_backends[m.group(1)][PARTITION].get_role(m.group(2))
    except Exception:  # noqa: BLE001 - NoSuchEntity
        return None


def _role_policies(role):
    """A role's inline and attached managed policy documents."""
    docs = list(getattr(role, "policies", {}).values())
    for managed in getattr(role, "managed_policies", {}).values():
        version = next((v for v in getattr(managed, "versions", []) if v.version_id == managed.default_version_id), None)
        if version is not None:
            docs.append(version.document)
    return docs


def emulator_organization_id():
    """Not AWS behaviour but a fixture: CreateOrganization gives the id TRAILWATCH_MOTO_ORGANIZATION_ID
    names instead of a random one, so the organization in the emulator has the id the config (and
    the bucket policy paths `AWSLogs/<org-id>/*`) name, as the real organization would."""
    wanted = os.environ.get("TRAILWATCH_MOTO_ORGANIZATION_ID")
    if not wanted:
        return
    if not re.match(r"^o-[a-z0-9]{10,32}$", wanted):
        raise SystemExit(f"TRAILWATCH_MOTO_ORGANIZATION_ID={wanted!r}: expected o- and 10 to 32 lower-case letters or digits")
    from moto.organizations import utils

    utils.make_random_org_id = lambda: wanted


def strict_logs_metric_filter_needs_log_group():
    """CloudWatch Logs PutMetricFilter on a log group that does not exist answers
    ResourceNotFoundException "The specified log group does not exist." (moto creates the filter
    anyway). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
    (Errors: ResourceNotFoundException, "The specified resource does not exist")."""
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.models import LogsBackend

    original = LogsBackend.put_metric_filter

    def put_metric_filter(self, filter_name, filter_pattern, log_group_name, metric_transformations, *args, **kwargs):
        if log_group_name not in self.groups:
            raise ResourceNotFoundException("The specified log group does not exist.")
        return original(self, filter_name, filter_pattern, log_group_name, metric_transformations, *args, **kwargs)

    LogsBackend.put_metric_filter = put_metric_filter


def strict_logs_kms_key_policy():
    """CloudWatch Logs CreateLogGroup with a kmsKeyId checks that the key (same Region) lets the
    Regional service principal logs.<region>.amazonaws.com use it for this log group, with the
    encryption context kms:EncryptionContext:aws:logs:arn = the log group ARN; otherwise
    AccessDeniedException "The specified KMS key does not exist or is not allowed to be used with
    Arn '<log group ARN>'". Checked: kms:GenerateDataKey and kms:Decrypt, the calls CloudWatch Logs
    makes to write and read the data. Follows "Encrypt log data in CloudWatch Logs using AWS Key
    Management Service" (step 2, key policy):
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"""
    from moto.logs.models import LogsBackend

    original = LogsBackend.create_log_group

    def create_log_group(self, log_group_name, tags, **kwargs):
        key_id = kwargs.get("kmsKeyId")
        if key_id and log_group_name not in self.groups:
            group_arn = f"arn:aws:logs:{self.region_name}:{self.account_id}:log-group:{log_group_name}"
            message = f"The specified KMS key does not exist or is not allowed to be used with Arn '{group_arn}'"
            key = _kms_key(key_id, self.account_id, self.region_name)
            if key is None or key.region != self.region_name:
                raise _error("AccessDeniedException", message, f"no key {key_id} in {self.region_name}")
            service = Principal.service_principal(f"logs.{self.region_name}.amazonaws.com")
            context = {"kms:EncryptionContext:aws:logs:arn": group_arn, "aws:SourceAccount": self.account_id, "aws:SourceArn": group_arn}
            for action in ("kms:GenerateDataKey", "kms:Decrypt"):
                decision = evaluate(key.policy, Request(service, action, key.arn, context))
                if not decision.allowed:
                    raise _error("AccessDeniedException", message, f"key policy of {key.arn}: {decision.reason}")
        return original(self, log_group_name, tags, **kwargs)

    LogsBackend.create_log_group = create_log_group


def _check_organization_trail(account):
    """The organization id, once the caller may create an organization trail (see strict_cloudtrail_trail)."""
    org, backend = _organization(account)
    if org is None:
        raise _error("OrganizationsNotInUseException", "This account is not a member of an organization.")
    if org.master_account_id != account:
        raise _error(
            "NotOrganizationMasterAccountException",
            f"The request could not be processed because you are not signed in with the management account of the organization. You are signed in with the following AWS account ID: {account}",
        )
    if org.feature_set != "ALL":
        raise _error("OrganizationNotInAllFeaturesModeException", "This operation requires that all features are enabled in your organization.", f"organization {org.id} has FeatureSet {org.feature_set}")
    trusted = {s.get("ServicePrincipal") for s in backend.services}
    if "cloudtrail.amazonaws.com" not in trusted:
        raise _error(
            "CloudTrailAccessNotEnabledException",
            "The request could not be processed because your organization hasn’t enabled CloudTrail service access. "
            f"Enable service access for CloudTrail, and then try again. You are signed in with the following AWS account ID: {account}",
            f"trusted services of {org.id}: {sorted(p for p in trusted if p) or 'none'}; run `aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com` in the management account",
        )
    return org.id


def _check_trail_bucket(bucket, trail_arn, account, region, prefix, org_id):
    base = f"arn:aws:s3:::{bucket.name}"
    path = f"{prefix.strip('/')}/" if prefix else ""
    day = _today()
    sample = f"{day:%Y/%m/%d}/{account}_CloudTrail_{region}_{day:%Y%m%d}T0000Z_emulator.json.gz"
    objects = [f"{base}/{path}AWSLogs/{account}/CloudTrail/{region}/{sample}"]
    if org_id:
        objects.append(f"{base}/{path}AWSLogs/{org_id}/{account}/CloudTrail/{region}/{sample}")
    context = {"aws:SourceArn": trail_arn, "aws:SourceAccount": account, "aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true"}
    if org_id:
        context["aws:SourceOrgID"] = org_id
    checks = [("s3:GetBucketAcl", base, context)]
    checks += [("s3:PutObject", o, {**context, "s3:x-amz-acl": "bucket-owner-full-control"}) for o in objects]
    for action, resource, ctx in checks:
        decision = evaluate(bucket.policy, Request(CLOUDTRAIL, action, resource, ctx))
        if not decision.allowed:
            raise _error(
                "InsufficientS3BucketPolicyException",
                f"Incorrect S3 bucket policy is detected for bucket: {bucket.name}",
                f"bucket policy (account {bucket.account_id}) must let cloudtrail.amazonaws.com {action} {resource} for aws:SourceArn {trail_arn}: {decision.reason}",
            )


def _check_trail_key(key_id, trail_arn, account, region, bucket):
    """The key ARN, once the key exists beside the bucket and its policy lets CloudTrail use it."""
    key = _kms_key(key_id, account, region)
    if key is None:
        raise _error("KmsKeyNotFoundException", f"KMS key {key_id} does not exist.", f"looked in the account and Region the id names (default {account} {region})")
    if bucket is not None and key.region != bucket.region_name:
        raise _error("KmsKeyNotFoundException", f"KMS key {key_id} is not in the same Region as S3 bucket {bucket.name}.", f"key in {key.region}, bucket in {bucket.region_name}")
    if key.key_state != "Enabled":
        raise _error("KmsException", f"KMS key {key.arn} is {key.key_state}.")
    context = {
        "aws:SourceArn": trail_arn,
        "aws:SourceAccount": account,
        "kms:EncryptionContext:aws:cloudtrail:arn": trail_arn,
        "aws:SecureTransport": "true",
        "aws:PrincipalIsAWSService": "true",
    }
    describe_context = {k: v for k, v in context.items() if not k.startswith("kms:EncryptionContext")}
    for action, ctx in (("kms:GenerateDataKey", context), ("kms:DescribeKey", describe_context)):
        decision = evaluate(key.policy, Request(CLOUDTRAIL, action, key.arn, ctx))
        if not decision.allowed:
            raise _error(
                "InsufficientEncryptionPolicyException",
                f"Insufficient permissions to access S3 bucket {bucket.name if bucket else ''} or KMS key {key.arn}.",
                f"key policy (account {key.account_id}) must let cloudtrail.amazonaws.com {action} for aws:SourceArn {trail_arn}: {decision.reason}",
            )
    return key.arn


# CloudTrail assumes the CloudWatch Logs delivery role without aws:SourceArn / aws:SourceAccount:
# "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring.
# The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount."
# https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
CLOUDTRAIL_ASSUME_ROLE_CONTEXT = {"aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true"}


def _check_trail_cloudwatch_logs(account, region, group_arn, role_arn, org_id):
    from moto.logs.models import logs_backends

    group = re.match(r"^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+):\*$", group_arn or "")
    if not group:
        raise _error(
            "InvalidCloudWatchLogsLogGroupArnException",
            f"CloudWatch Logs log group ARN {group_arn} is not valid.",
            "expected arn:aws:logs:<region>:<account>:log-group:<name>:* (CloudTrail needs the :* log stream wildcard)",
        )
    g_region, g_account, g_name = group.groups()
    try:
        exists = g_name in logs_backends[g_account][g_region].groups
    except KeyError:  # not a Region moto knows
        exists = False
    if g_account != account or not exists:
        raise _error("InvalidCloudWatchLogsLogGroupArnException", f"CloudWatch Logs log group {group_arn} does not exist.", f"no log group {g_name} in account {g_account} {g_region}")
    role = _role(role_arn)
    if role is None:
        raise _error("InvalidCloudWatchLogsRoleArnException", f"CloudWatch Logs role ARN {role_arn} is not valid.", "no such role")
    denied = "Access denied. Verify in IAM that the role has adequate permissions."
    trust = evaluate(role.assume_role_policy_document, Request(CLOUDTRAIL, "sts:AssumeRole", role.arn, CLOUDTRAIL_ASSUME_ROLE_CONTEXT))
    if not trust.allowed:
        raise _error(
            "InvalidCloudWatchLogsLogGroupArnException",
            denied,
            f"trust policy of {role.arn} must let cloudtrail.amazonaws.com sts:AssumeRole, and CloudTrail sends no aws:SourceArn/aws:SourceAccount for this role: {trust.reason}",
        )
    stream_base = f"arn:aws:logs:{g_region}:{g_account}:log-group:{g_name}:log-stream:"
    streams = [f"{stream_base}{account}_CloudTrail_{region}"] + ([f"{stream_base}{org_id}_{account}_CloudTrail_{region}"] if org_id else [])
    role_principal = Principal.iam(role.account_id, role.arn)
    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
        for stream in streams:
            decision = evaluate_identity(_role_policies(role), Request(role_principal, action, stream, {}))
            if not decision.allowed:
                raise _error("InvalidCloudWatchLogsLogGroupArnException", denied, f"policies of {role.arn}: {decision.reason}")


def strict_cloudtrail_trail():
    """CloudTrail CreateTrail / UpdateTrail check what AWS checks before it accepts a trail (moto
    checks only that the bucket exists), and GetTrail / DescribeTrails return the key ARN:

    - an organization trail (IsOrganizationTrail) needs an organization (else
      OrganizationsNotInUseException), the caller to be its management account
      (NotOrganizationMasterAccountException), all features (OrganizationNotInAllFeaturesModeException)
      and cloudtrail.amazonaws.com among its trusted services (CloudTrailAccessNotEnabledException):
      https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html
      https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (Errors);
    - the bucket (in whichever account owns it) must have a policy letting cloudtrail.amazonaws.com
      s3:GetBucketAcl the bucket and s3:PutObject (x-amz-acl bucket-owner-full-control) under
      <bucket>/<prefix>/AWSLogs/<account>/ and, for an organization trail, also
      <bucket>/<prefix>/AWSLogs/<org-id>/, with aws:SourceArn = the trail ARN and aws:SourceAccount =
      its account; else InsufficientS3BucketPolicyException "Incorrect S3 bucket policy is detected
      for bucket: <bucket>":
      https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
      https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html;
    - a KmsKeyId (key id, key ARN, alias name or alias ARN, any account) must name an enabled key
      in the bucket's Region (KmsKeyNotFoundException) whose policy lets cloudtrail.amazonaws.com
      kms:GenerateDataKey* with aws:SourceArn and kms:EncryptionContext:aws:cloudtrail:arn = the
      trail ARN, and kms:DescribeKey (both "required" sections); else
      InsufficientEncryptionPolicyException "Insufficient permissions to access S3 bucket <b> or
      KMS key <arn>.":
      https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html;
      the trail then reports KmsKeyId as the key ARN, even when given an alias (so a stack that
      passes the alias ARN never converges): https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html
      ("KmsKeyId ... The value is a fully specified ARN to a KMS key");
    - CloudWatchLogsLogGroupArn must be arn:aws:logs:<region>:<account>:log-group:<name>:* of an
      existing group of the trail's account, the role must exist, trust cloudtrail.amazonaws.com
      (which sends no aws:SourceArn/aws:SourceAccount for it) and allow logs:CreateLogStream and
      logs:PutLogEvents on the trail's log streams (<account>_CloudTrail_<region>, and
      <org-id>_<account>_CloudTrail_<region> for an organization trail); else
      InvalidCloudWatchLogsLogGroupArnException "Access denied. Verify in IAM that the role has
      adequate permissions." (the provider retries that message for 2 minutes):
      https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
    - a second trail of the same name: TrailAlreadyExistsException (moto replaced the first).
    UpdateTrail checks what it changes (the provider sends only changed fields)."""
    from types import SimpleNamespace

    from moto.cloudtrail.exceptions import S3BucketDoesNotExistException
    from moto.cloudtrail.models import CloudTrailBackend, Trail

    original_create = CloudTrailBackend.create_trail
    original_update = CloudTrailBackend.update_trail

    def check(backend, trail_arn, bucket_name, prefix, org_trail, key_id, group_arn, role_arn, *, bucket_changed, org_changed, key_changed, logs_changed):
        account, region = backend.account_id, backend.region_name
        org_id = _check_organization_trail(account) if org_changed and org_trail else None
        if org_trail and org_id is None:
            org, _ = _organization(account)
            org_id = org.id if org else None
        bucket = _bucket(bucket_name)
        if bucket is None and (bucket_changed or org_changed or key_changed):
            raise S3BucketDoesNotExistException(f"S3 bucket {bucket_name} does not exist!")
        if bucket_changed or org_changed:
            _check_trail_bucket(bucket, trail_arn, account, region, prefix, org_id if org_trail else None)
        key_arn = _check_trail_key(key_id, trail_arn, account, region, bucket) if key_changed and key_id else None
        if logs_changed and (group_arn or role_arn):
            _check_trail_cloudwatch_logs(account, region, group_arn, role_arn, org_id if org_trail else None)
        return key_arn

    def create_trail(self, name, bucket_name, s3_key_prefix, sns_topic_name, is_global, is_multi_region, log_validation, is_org_trail, cw_log_group_arn, cw_role_arn, kms_key_id, tags_list):
        Trail.check_name(SimpleNamespace(trail_name=name))
        if name in self.trails:
            raise _error("TrailAlreadyExistsException", f"Trail {name} already exists for customer: {self.account_id}")
        trail_arn = f"arn:{PARTITION}:cloudtrail:{self.region_name}:{self.account_id}:trail/{name}"
        key_arn = check(
            self, trail_arn, bucket_name, s3_key_prefix, bool(is_org_trail), kms_key_id, cw_log_group_arn, cw_role_arn,
            bucket_changed=True, org_changed=bool(is_org_trail), key_changed=bool(kms_key_id), logs_changed=True,
        )
        trail = original_create(self, name, bucket_name, s3_key_prefix, sns_topic_name, is_global, is_multi_region, log_validation, is_org_trail, cw_log_group_arn, cw_role_arn, kms_key_id, tags_list)
        if key_arn:
            trail.kms_key_id = key_arn
        return trail

    def update_trail(self, name, s3_bucket_name=None, s3_key_prefix=None, sns_topic_name=None, include_global_service_events=None, is_multi_region_trail=None,
                     enable_log_file_validation=None, is_organization_trail=None, cw_log_group_arn=None, cw_role_arn=None, kms_key_id=None):
        trail = self.get_trail(name)

        def now(new, old):
            return old if new is None else new

        org_trail = bool(now(is_organization_trail, trail.is_org_trail))
        key_arn = check(
            self, trail.arn, now(s3_bucket_name, trail.bucket_name), now(s3_key_prefix, trail.s3_key_prefix), org_trail,
            now(kms_key_id, trail.kms_key_id), now(cw_log_group_arn, trail.cw_log_group_arn), now(cw_role_arn, trail.cw_role_arn),
            bucket_changed=s3_bucket_name is not None or s3_key_prefix is not None,
            org_changed=is_organization_trail is not None and org_trail and not trail.is_org_trail,
            key_changed=kms_key_id is not None or (s3_bucket_name is not None and bool(trail.kms_key_id)),
            logs_changed=cw_log_group_arn is not None or cw_role_arn is not None,
        )
        trail = original_update(
            self, name=name, s3_bucket_name=s3_bucket_name, s3_key_prefix=s3_key_prefix, sns_topic_name=sns_topic_name,
            include_global_service_events=include_global_service_events, is_multi_region_trail=is_multi_region_trail,
            enable_log_file_validation=enable_log_file_validation, is_organization_trail=is_organization_trail,
            cw_log_group_arn=cw_log_group_arn, cw_role_arn=cw_role_arn, kms_key_id=kms_key_id,
        )
        if key_arn:
            trail.kms_key_id = key_arn
        return trail

    CloudTrailBackend.create_trail = create_trail
    CloudTrailBackend.update_trail = update_trail


# Lambda runtimes and the dates AWS stops accepting them: lib/responder/lambda-runtimes.json, the
# table the responder's runtime choice is checked against too (lib/responder/runtimes.ts), from the
# Lambda developer guide's runtime tables (its "source" and "checked" say where and when). Runtimes
# not listed are accepted. Update that file when AWS publishes new dates.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "responder", "lambda-runtimes.json"), encoding="utf-8") as _f:
    LAMBDA_RUNTIME_BLOCK_DATES = {r["runtime"]: (r["blockCreate"], r["blockUpdate"]) for r in json.load(_f)["runtimes"]}


def _blocked_runtime(runtime, phase):
    """The InvalidParameterValueException for a runtime past its block date (phase 0: create, 1: update)."""
    dates = LAMBDA_RUNTIME_BLOCK_DATES.get(runtime or "")
    if not dates or _today() < datetime.date.fromisoformat(dates[phase]):
        return None
    from moto.awslambda.exceptions import InvalidParameterValueException

    family = re.sub(r"[\d.]+(\.x)?$", "", runtime)
    supported = sorted(
        (r for r, (create, _) in LAMBDA_RUNTIME_BLOCK_DATES.items() if r.startswith(family) and _today() < datetime.date.fromisoformat(create)),
        key=lambda r: LAMBDA_RUNTIME_BLOCK_DATES[r][0],
    )
    instead = supported[-1] if supported else "a supported runtime"
    return InvalidParameterValueException(
        f"The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda functions. "
        f"We recommend you use the new runtime ({instead}) while creating or updating functions."
    )


def strict_lambda_blocked_runtimes():
    """Lambda refuses CreateFunction with a runtime whose "Block function create" date has passed,
    and UpdateFunctionCode / UpdateFunctionConfiguration of a function (or to a runtime) whose
    "Block function update" date has passed: InvalidParameterValueException "The runtime parameter
    of <runtime> is no longer supported for creating or updating AWS Lambda functions..." (moto
    accepts any runtime). Dates: LAMBDA_RUNTIME_BLOCK_DATES, compared with today (UTC).
    https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy
    https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated"""
    from moto.awslambda.models import LambdaBackend

    try:
        _today()
    except ValueError:
        raise SystemExit(f"TRAILWATCH_MOTO_TODAY={os.environ.get('TRAILWATCH_MOTO_TODAY')!r}: expected YYYY-MM-DD")

    original_create = LambdaBackend.create_function
    original_code = LambdaBackend.update_function_code
    original_config = LambdaBackend.update_function_configuration

    def create_function(self, spec):
        if spec.get("PackageType") != "Image":
            refusal = _blocked_runtime(spec.get("Runtime"), 0)
            if refusal:
                raise refusal
        return original_create(self, spec)

    def check_update(self, function_name, qualifier, body):
        fn = self.get_function(function_name, qualifier)
        for runtime in (body.get("Runtime"), getattr(fn, "run_time", None)):
            refusal = _blocked_runtime(runtime, 1)
            if refusal:
                raise refusal

    def update_function_code(self, function_name, qualifier, body):
        check_update(self, function_name, qualifier, {})
        return original_code(self, function_name, qualifier, body)

    def update_function_configuration(self, function_name, qualifier, body):
        check_update(self, function_name, qualifier, body)
        return original_config(self, function_name, qualifier, body)

    LambdaBackend.create_function = create_function
    LambdaBackend.update_function_code = update_function_code
    LambdaBackend.update_function_configuration = update_function_configuration


def strict_lambda_execution_role_trust():
    """Lambda CreateFunction checks that it can assume the execution role: the role's trust policy
    must let lambda.amazonaws.com sts:AssumeRole (moto checks only that the role exists); else
    InvalidParameterValueException "The role defined for the function cannot be assumed by Lambda."
    Evaluated with aws:SourceAccount = the function's account and aws:SourceArn = its ARN.
    https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (Role)"""
    from moto.awslambda.exceptions import InvalidParameterValueException
    from moto.awslambda.models import LambdaBackend

    original = LambdaBackend.create_function

    def create_function(self, spec):
        role = _role(spec.get("Role"))
        if role is not None and spec.get("FunctionName"):
            fn_arn = f"arn:aws:lambda:{self.region_name}:{self.account_id}:function:{spec['FunctionName']}"
            context = {"aws:SourceAccount": self.account_id, "aws:SourceArn": fn_arn, "aws:PrincipalIsAWSService": "true", "aws:SecureTransport": "true"}
            trust = evaluate(role.assume_role_policy_document, Request(Principal.service_principal("lambda.amazonaws.com"), "sts:AssumeRole", role.arn, context))
            if not trust.allowed:
                raise InvalidParameterValueException(f"The role defined for the function cannot be assumed by Lambda. (trailwatch emulator: trust policy of {role.arn}: {trust.reason})")
        return original(self, spec)

    LambdaBackend.create_function = create_function


EVENTBRIDGE_RULE_STATES = ("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")


def strict_events_rule_state():
    """EventBridge PutRule accepts State ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
    (which also delivers read-only management events) and stores and returns it; any other value is
    a ValidationException (moto stores any string). ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is
    not valid on a partner event bus.
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (State)
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html#eb-service-event-cloudtrail-read-only"""
    from moto.events.exceptions import ValidationException
    from moto.events.models import EventsBackend

    original = EventsBackend.put_rule

    def put_rule(self, name, *args, **kwargs):
        state = kwargs.get("state")
        if state is not None and state not in EVENTBRIDGE_RULE_STATES:
            raise ValidationException(
                f"1 validation error detected: Value '{state}' at 'state' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(EVENTBRIDGE_RULE_STATES)}]"
            )
        bus = str(kwargs.get("event_bus_arn") or "default")
        if state == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" and (bus.startswith("aws.partner/") or ":event-bus/aws.partner/" in bus):
            raise ValidationException("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is not supported for rules on partner event buses.")
        return original(self, name, *args, **kwargs)

    EventsBackend.put_rule = put_rule


# Operators of EventBridge event patterns on event buses, as the EventBridge User Guide documents
# them ("Comparison operators for use in event patterns", eb-create-pattern-operators.html; the
# per-operator sections of "Content filtering in Amazon EventBridge event patterns").
_EB_STRING_OR_IGNORE_CASE = ("prefix", "suffix")


def _event_pattern_problem(pattern):
    """Why an event pattern is invalid as AWS documents patterns, or None."""
    try:
        doc = json.loads(pattern)
    except (TypeError, ValueError):
        return "Event pattern is not valid. Reason: not a JSON object"
    if not isinstance(doc, dict) or not doc:
        return "Event pattern is not valid. Reason: the pattern must be a non-empty JSON object"
    return _pattern_object_problem(doc, "")


def _pattern_object_problem(obj, path):
    for key, value in obj.items():
        where = f"{path}{key}"
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(x, dict) and x for x in value):
                return f"Event pattern is not valid. Reason: $or at {where} must be a list of at least two non-empty objects"
            for alt in value:
                problem = _pattern_object_problem(alt, path)
                if problem:
                    return problem
        elif isinstance(value, dict):
            if not value:
                return f"Event pattern is not valid. Reason: {where} is an empty object"
            problem = _pattern_object_problem(value, where + ".")
            if problem:
                return problem
        elif isinstance(value, list):
            if not value:
                return f"Event pattern is not valid. Reason: Empty arrays are not allowed ({where})"
            for matcher in value:
                problem = _matcher_problem(matcher, where)
                if problem:
                    return problem
        else:
            return f"Event pattern is not valid. Reason: Match value must be String, number, true, false, or null ({where} is not in an array)"
    return None


def _is_string_or_ignore_case(v):
    return isinstance(v, str) or (isinstance(v, dict) and list(v) == ["equals-ignore-case"] and isinstance(v["equals-ignore-case"], str))


def _matcher_problem(m, where):
    if m is None or isinstance(m, (str, bool, int, float)):
        return None
    bad = f"Event pattern is not valid. Reason: Unrecognized match type or malformed value at {where}: {json.dumps(m)}"
    if not isinstance(m, dict) or len(m) != 1:
        return bad
    (op, v), = m.items()
    if op in _EB_STRING_OR_IGNORE_CASE:
        return None if _is_string_or_ignore_case(v) else bad
    if op in ("equals-ignore-case", "wildcard", "cidr"):
        return None if isinstance(v, str) else bad
    if op == "exists":
        return None if isinstance(v, bool) else bad
    if op == "numeric":
        ok = isinstance(v, list) and len(v) in (2, 4) and all(isinstance(v[i], str) and v[i] in ("<", "<=", "=", ">", ">=") and isinstance(v[i + 1], (int, float)) and not isinstance(v[i + 1], bool) for i in range(0, len(v), 2))
        return None if ok else bad
    if op == "anything-but":
        # Documented: a string, a number, a list of strings or of numbers, or one of prefix, suffix,
        # equals-ignore-case, wildcard with a single string (equals-ignore-case also a list).
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            return None
        if isinstance(v, list):
            same_type = v and (all(isinstance(x, str) for x in v) or all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v))
            return None if same_type else bad
        if isinstance(v, dict) and len(v) == 1:
            (inner, iv), = v.items()
            if inner in ("prefix", "suffix", "wildcard") and isinstance(iv, str):
                return None
            if inner == "equals-ignore-case" and (isinstance(iv, str) or (isinstance(iv, list) and iv and all(isinstance(x, str) for x in iv))):
                return None
        return bad
    return bad


def strict_events_event_pattern():
    """EventBridge PutRule refuses an event pattern AWS does not document (moto stores any string):
    a JSON object whose leaves are non-empty arrays of values or matchers; each matcher one of
    prefix / suffix (a string or {"equals-ignore-case": s}), equals-ignore-case, wildcard, cidr (a
    string), exists (a boolean), numeric (operator/number pairs), anything-but (a string, number,
    list of strings or numbers, or {"prefix"|"suffix"|"wildcard": one string} or
    {"equals-ignore-case": string or list}); `$or` a list of at least two objects. Anything else is
    an InvalidEventPatternException. The list form of anything-but wildcard is not documented and is
    refused here: trailwatch renders the documented single-pattern form.
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (InvalidEventPatternException)"""
    from moto.events.models import EventsBackend

    original = EventsBackend.put_rule

    def put_rule(self, name, *args, **kwargs):
        pattern = kwargs.get("event_pattern")
        if pattern:
            problem = _event_pattern_problem(pattern)
            if problem:
                raise _error("InvalidEventPatternException", problem)
        return original(self, name, *args, **kwargs)

    EventsBackend.put_rule = put_rule


def strict_events_target_role():
    """EventBridge PutTargets: a target that is an event bus in another account or Region needs a
    RoleArn (trailwatch's central bus admits the organization, and AWS requires a role when the
    receiving account granted access through an organization; cross-Region bus targets always take
    one), and a RoleArn must name a role of the rule's account whose trust policy lets
    events.amazonaws.com sts:AssumeRole (evaluated with aws:SourceAccount = the rule's account and
    aws:SourceArn = the rule's ARN); otherwise ValidationException (moto accepts anything).
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html (RoleArn)
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-bus-to-bus.html"""
    from moto.events.exceptions import ValidationException
    from moto.events.models import EventsBackend

    original = EventsBackend.put_targets

    def put_targets(self, name, event_bus_arn, targets):
        bus_name = self._normalize_event_bus_arn(event_bus_arn)
        rule_arn = f"arn:aws:events:{self.region_name}:{self.account_id}:rule/{name if bus_name == 'default' else bus_name + '/' + name}"
        for t in targets:
            arn = str(t.get("Arn") or "")
            role_arn = t.get("RoleArn")
            bus = re.match(r"^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus/.+$", arn)
            if bus and (bus.group(1) != self.region_name or bus.group(2) != self.account_id) and not role_arn:
                raise ValidationException(f"Target {t.get('Id')}: an event bus in another account or Region needs RoleArn (an execution role allowed events:PutEvents on {arn}).")
            if role_arn:
                m = re.match(r"^arn:aws[\w-]*:iam::(\d{12}):role/", role_arn)
                if not m or m.group(1) != self.account_id:
                    raise ValidationException(f"Target {t.get('Id')}: RoleArn {role_arn} must be a role of the rule's account {self.account_id}.")
                role = _role(role_arn)
                if role is None:
                    raise ValidationException(f"Target {t.get('Id')}: RoleArn {role_arn} does not exist.")
                context = {"aws:SourceAccount": self.account_id, "aws:SourceArn": rule_arn, "aws:PrincipalIsAWSService": "true", "aws:SecureTransport": "true"}
                trust = evaluate(role.assume_role_policy_document, Request(Principal.service_principal("events.amazonaws.com"), "sts:AssumeRole", role.arn, context))
                if not trust.allowed:
                    raise _error("ValidationException", f"Target {t.get('Id')}: EventBridge cannot assume {role_arn}: its trust policy does not let events.amazonaws.com sts:AssumeRole.", trust.reason)
        return original(self, name, event_bus_arn, targets)

    EventsBackend.put_targets = put_targets


def strict_kms_cross_account_describe_key():
    """KMS DescribeKey for a key of another account, named by key ARN or alias ARN, is answered from
    the owning account (moto looks only in the caller's) and allowed only if that key's policy lets
    the caller (its account root, account id or its role) kms:DescribeKey; otherwise
    AccessDeniedException. An alias or key that does not exist there: NotFoundException. The data
    source aws_kms_key reads a log-archive key this way from the management account.
    https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
    https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html ("To specify a KMS key
    in a different AWS account, you must use the key ARN or alias ARN")"""
    from moto.kms.exceptions import NotFoundException
    from moto.kms.responses import KmsResponse

    original = KmsResponse.describe_key

    def describe_key(self):
        key_id = self._get_param("KeyId")
        arn = re.match(r"^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)/(.+)$", key_id or "")
        if not arn or arn.group(2) == self.current_account:
            return original(self)
        region, account, kind, _ = arn.groups()
        key = _kms_key(key_id, account, region) if region == self.region else None
        if key is None:
            raise NotFoundException(f"Alias {key_id} is not found." if kind == "alias" else f"Key '{key_id}' does not exist")
        caller = _caller(self)
        decision = evaluate(key.policy, Request(caller, "kms:DescribeKey", key.arn, {"kms:CallerAccount": caller.account}))
        if not decision.allowed:
            raise _error(
                "AccessDeniedException",
                f"User: {caller.arns[-1] if caller.arns else caller.account} is not authorized to perform: kms:DescribeKey on resource: {key.arn} because no resource-based policy allows the kms:DescribeKey action",
                decision.reason,
            )
        return json.dumps(key.to_dict())

    KmsResponse.describe_key = describe_key


def strict_kms_key_policy_lockout():
    """KMS CreateKey / PutKeyPolicy with a policy that would not let the caller change it again
    (no statement allowing the caller's account root, account or role kms:PutKeyPolicy) fails with
    MalformedPolicyDocumentException "The new key policy will not allow you to update the key policy
    in the future." unless BypassPolicyLockoutSafetyCheck is true (moto accepts it).
    https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
    https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html (BypassPolicyLockoutSafetyCheck)"""
    from moto.kms.responses import KmsResponse

    def guarded(original):
        def handler(self):
            policy = self._get_param("Policy")
            if policy and not self._get_param("BypassPolicyLockoutSafetyCheck"):
                caller = _caller(self)
                if parse_policy(policy) is None:
                    raise _error("MalformedPolicyDocumentException", "The new key policy is not a valid JSON policy document.")
                resource = f"arn:aws:kms:{self.region}:{self.current_account}:key/*"
                decision = evaluate(policy, Request(caller, "kms:PutKeyPolicy", resource, {"kms:CallerAccount": caller.account}))
                if not decision.allowed:
                    raise _error("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.", decision.reason)
            return original(self)

        return handler

    KmsResponse.create_key = guarded(KmsResponse.create_key)
    KmsResponse.put_key_policy = guarded(KmsResponse.put_key_policy)


def _missing_role_principals(policy):
    """Role ARNs named as AWS principals of a policy that name no existing role."""
    missing = []
    for stmt in statements(policy):
        principal = stmt.get("Principal")
        if not isinstance(principal, dict):
            continue
        for value in as_list(principal.get("AWS")):
            if isinstance(value, str) and re.match(r"^arn:aws[\w-]*:iam::\d{12}:role/", value) and _role(value) is None:
                missing.append(value)
    return missing


def strict_policy_principals_exist():
    """S3 PutBucketPolicy and KMS CreateKey / PutKeyPolicy refuse a policy naming, as a principal,
    an IAM role that does not exist: S3 with MalformedPolicy "Invalid principal in policy", KMS with
    MalformedPolicyDocumentException "Policy contains a statement with one or more invalid
    principals." (AWS resolves role ARNs to unique ids when the policy is stored; moto stores any
    text). A stack whose policy names another stack's role must be deployed after it.
    https://repost.aws/knowledge-center/s3-invalid-principal-in-policy-error
    https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html"""
    from moto.kms.responses import KmsResponse
    from moto.s3.exceptions import S3ClientError
    from moto.s3.models import S3Backend

    original_put = S3Backend.put_bucket_policy

    def put_bucket_policy(self, bucket_name, policy):
        text = policy.decode() if isinstance(policy, bytes) else policy
        missing = _missing_role_principals(text)
        if missing:
            raise S3ClientError("MalformedPolicy", f"Invalid principal in policy (trailwatch emulator: no role {missing[0]})")
        return original_put(self, bucket_name, policy)

    S3Backend.put_bucket_policy = put_bucket_policy

    def guarded(original):
        def handler(self):
            missing = _missing_role_principals(self._get_param("Policy"))
            if missing:
                raise _error("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.", f"no role {missing[0]}")
            return original(self)

        return handler

    KmsResponse.create_key = guarded(KmsResponse.create_key)
    KmsResponse.put_key_policy = guarded(KmsResponse.put_key_policy)


CI_OPERATORS = {"In": "strings", "NotIn": "strings", "StartsWith": "strings", "GreaterThan": "number", "LessThan": "number", "EqualTo": "number", "NotEqualTo": "number", "IsPresent": "boolean"}


def _insight_rule_problem(definition, log_groups):
    """What is wrong with a Contributor Insights rule body for CloudWatch Logs, or None.
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html"""
    if not isinstance(definition, str) or not 1 <= len(definition) <= 8192 or any(ord(c) > 0x7F for c in definition):
        return "RuleDefinition must be 1-8192 ASCII characters"
    try:
        body = json.loads(definition)
    except ValueError as e:
        return f"RuleDefinition is not valid JSON: {e}"
    if not isinstance(body, dict):
        return "RuleDefinition must be a JSON object"
    if body.get("Schema") != {"Name": "CloudWatchLogRule", "Version": 1}:
        return 'Schema must be {"Name": "CloudWatchLogRule", "Version": 1}'
    names, arns = body.get("LogGroupNames"), body.get("LogGroupARNs")
    if (names is None) == (arns is None):
        return "give LogGroupNames or LogGroupARNs (not both)"
    if names is not None:
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            return "LogGroupNames must be a non-empty array of log group names"
        for n in names:
            if not n.endswith("*") and n not in log_groups:
                return f"log group {n} does not exist"
    if body.get("LogFormat") not in ("JSON", "CLF"):
        return "LogFormat must be JSON or CLF"
    if body.get("AggregateOn") not in ("Count", "Sum"):
        return "AggregateOn must be Count or Sum"
    c = body.get("Contribution")
    if not isinstance(c, dict):
        return "Contribution is required"
    keys = c.get("Keys")
    if not isinstance(keys, list) or not 1 <= len(keys) <= 4 or not all(isinstance(k, str) and k for k in keys):
        return "Contribution.Keys must be an array of 1 to 4 log fields"
    if body.get("AggregateOn") == "Sum" and not isinstance(c.get("ValueOf"), str):
        return "AggregateOn Sum needs Contribution.ValueOf"
    filters = c.get("Filters", [])
    if not isinstance(filters, list) or len(filters) > 4:
        return "Contribution.Filters must be an array of at most 4 filters"
    for i, f in enumerate(filters):
        if not isinstance(f, dict) or not isinstance(f.get("Match"), str) or not f.get("Match"):
            return f"Filters[{i}] needs Match (a log field)"
        ops = [k for k in f if k != "Match"]
        if len(ops) != 1 or ops[0] not in CI_OPERATORS:
            return f"Filters[{i}] needs exactly one of {', '.join(CI_OPERATORS)}, got {ops}"
        kind, v = CI_OPERATORS[ops[0]], f[ops[0]]
        ok = (kind == "strings" and isinstance(v, list) and v and all(isinstance(x, str) for x in v)) or (kind == "number" and isinstance(v, (int, float)) and not isinstance(v, bool)) or (kind == "boolean" and isinstance(v, bool))
        if not ok:
            return f"Filters[{i}].{ops[0]} must be {'an array of strings' if kind == 'strings' else 'a number' if kind == 'number' else 'true or false'}"
    return None


def strict_cloudwatch_insight_rules():
    """Contributor Insights rules (moto stores any definition, and tags only alarms):
    PutInsightRule refuses a RuleDefinition that is not the documented rule syntax (valid JSON,
    Schema CloudWatchLogRule version 1, LogGroupNames or LogGroupARNs, LogFormat JSON/CLF, 1-4
    Contribution.Keys, at most 4 Filters each with Match and one documented operator, AggregateOn
    Count/Sum), a RuleName outside 1-128 printable ASCII characters or a RuleState other than
    ENABLED/DISABLED, with InvalidParameterValue; and a rule on a log group that does not exist
    (a name without the trailing * wildcard), which the emulator also refuses so that a rule created
    before its log group fails here as a metric filter does. TagResource / UntagResource accept
    the rule's ARN (arn:aws:cloudwatch:<region>:<account>:insight-rule/<name>), as AWS documents
    ("alarms and Contributor Insights rules" can be tagged).
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutInsightRule.html
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_TagResource.html"""
    from moto.cloudwatch.exceptions import InvalidParameterValue
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.logs.models import logs_backends

    original_put = CloudWatchBackend.put_insight_rule

    def put_insight_rule(self, name, state, definition, tags=None):
        if not isinstance(name, str) or not 1 <= len(name) <= 128 or not re.match(r"^[\x20-\x7E]+$", name):
            raise InvalidParameterValue("RuleName must be 1-128 printable ASCII characters")
        if state not in (None, "ENABLED", "DISABLED"):
            raise InvalidParameterValue(f"RuleState must be ENABLED or DISABLED, got {state}")
        problem = _insight_rule_problem(definition, logs_backends[self.account_id][self.region_name].groups)
        if problem:
            raise InvalidParameterValue(f"The rule definition is not valid: {problem}")
        return original_put(self, name, state or "ENABLED", definition, tags)

    original_tag = CloudWatchBackend.tag_resource
    original_untag = CloudWatchBackend.untag_resource

    def rule_arn(self, arn):
        return any(r.rule_arn == arn for r in self.insight_rules.values())

    def tag_resource(self, arn, tags):
        if rule_arn(self, arn):
            return self.tagger.tag_resource(arn, tags)
        return original_tag(self, arn, tags)

    def untag_resource(self, arn, tag_keys):
        if rule_arn(self, arn):
            return self.tagger.untag_resource_using_names(arn, tag_keys)
        return original_untag(self, arn, tag_keys)

    CloudWatchBackend.put_insight_rule = put_insight_rule
    CloudWatchBackend.tag_resource = tag_resource
    CloudWatchBackend.untag_resource = untag_resource


STRICT_RULES = [
    emulator_organization_id,
    strict_logs_metric_filter_needs_log_group,
    strict_logs_kms_key_policy,
    strict_cloudtrail_trail,
    strict_lambda_blocked_runtimes,
    strict_lambda_execution_role_trust,
    strict_events_rule_state,
    strict_events_event_pattern,
    strict_events_target_role,
    strict_kms_cross_account_describe_key,
    strict_kms_key_policy_lockout,
    strict_policy_principals_exist,
    strict_cloudwatch_insight_rules,
]


# ------------------------------------------------------------------------------------------------
# Emulated faults: states AWS reports that moto never reaches (it delivers nothing), set by a test
# through an ordinary API call so `trailwatch verify` can be shown to name them.
# ------------------------------------------------------------------------------------------------

TRAIL_DELIVERY_ERRORS = ("LatestDeliveryError", "LatestCloudWatchLogsDeliveryError", "LatestDigestDeliveryError")


def fault_cloudtrail_delivery_errors():
    """AWS reports a failed delivery in GetTrailStatus (LatestDeliveryError for S3,
    LatestCloudWatchLogsDeliveryError, LatestDigestDeliveryError) when a bucket, key or log group
    policy stops CloudTrail from delivering
    (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html); moto
    delivers nothing and never reports one. A test makes the emulator report one by tagging the
    trail `trailwatch-emulator:<field>` with the error text (e.g. AccessDenied)."""
    from moto.cloudtrail.models import cloudtrail_backends
    from moto.cloudtrail.responses import CloudTrailResponse

    def get_trail_status(self):
        name = self._get_param("Name")
        backend = self.cloudtrail_backend
        description = backend.get_trail_status(name).description()
        trail = next((t for t in backend.describe_trails(include_shadow_trails=True) if name in (t.trail_name, t.arn)), None)
        if trail is not None:
            owner = cloudtrail_backends[trail.account_id][trail.region_name]
            tags = {t["Key"]: t["Value"] for t in owner.tagging_service.list_tags_for_resource(trail.arn).get("TagsList", [])}
            for field in TRAIL_DELIVERY_ERRORS:
                if f"trailwatch-emulator:{field}" in tags:
                    description[field] = tags[f"trailwatch-emulator:{field}"]
        return json.dumps(description)

    CloudTrailResponse.get_trail_status = get_trail_status


def fault_sns_pending_confirmation():
    """AWS lists an email (or http/https) subscription nobody confirmed with SubscriptionArn
    "PendingConfirmation", and delivers nothing to it
    (https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html); moto confirms
    every subscription at once. A test makes the emulator list one as unconfirmed by tagging the
    topic `trailwatch-emulator:PendingConfirmation` with the subscription's endpoint."""
    import copy

    from moto.sns.models import SNSBackend

    original = SNSBackend.list_subscriptions_by_topic

    def list_subscriptions_by_topic(self, topic_arn, next_token=None):
        subscriptions, token = original(self, topic_arn, next_token=next_token)
        pending = (getattr(self.get_topic(topic_arn), "_tags", None) or {}).get("trailwatch-emulator:PendingConfirmation")
        out = []
        for sub in subscriptions:
            if pending is not None and sub.endpoint == pending:
                sub = copy.copy(sub)
                sub.arn = "PendingConfirmation"
            out.append(sub)
        return out, token

    SNSBackend.list_subscriptions_by_topic = list_subscriptions_by_topic


DENIED_SESSION = "trailwatch-e2e-denied"


def fault_sts_access_denied():
    """AWS refuses AssumeRole with AccessDenied when the caller may not assume the role (its trust
    policy, or the caller's own policy); moto lets anyone assume any role. A test makes the
    emulator refuse one by asking with the session name "trailwatch-e2e-denied"."""
    from moto.sts.exceptions import STSClientError
    from moto.sts.responses import TokenResponse

    original = TokenResponse.assume_role

    def assume_role(self):
        if self._get_param("RoleSessionName") == DENIED_SESSION:
            role = self._get_param("RoleArn")
            raise STSClientError("AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {role} (trailwatch emulator: session {DENIED_SESSION})")
        return original(self)

    TokenResponse.assume_role = assume_role


EMULATED_FAULTS = [fault_cloudtrail_delivery_errors, fault_sns_pending_confirmation, fault_sts_access_denied]


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    args = parser.parse_args()

    for patch in MOTO_FIXES + STRICT_RULES + EMULATED_FAULTS:
        patch()

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
