"""
Evaluates AWS resource-based and identity policies (bucket, key, topic, trust and role policies) for
the strict checks of moto_launcher.py: moto stores policies but evaluates none of them.

    decision = evaluate(policy, Request(principal=Principal.service("cloudtrail.amazonaws.com"),
                                        action="s3:PutObject", resource="arn:aws:s3:::b/AWSLogs/1/x",
                                        context={"aws:SourceArn": "arn:aws:cloudtrail:..."}))
    decision.allowed, decision.reason

Follows the IAM policy evaluation logic for a single policy
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
an explicit Deny wins, otherwise some Allow statement must match; a statement matches when its
Principal/NotPrincipal, Action/NotAction, Resource/NotResource and every Condition match.

Modelled, because the stacks use them: Principal "*", {"AWS": ...} (account id, account root ARN,
role or user ARN, assumed-role session), {"Service": ...}; action wildcards (`s3:*`,
`kms:GenerateDataKey*`, case-insensitive); resource wildcards (`*`, `?`); condition operators
String(Not)Equals(IgnoreCase), String(Not)Like, Arn(Not)Equals, Arn(Not)Like, Bool, Null,
Numeric*, the `...IfExists` suffix and the `ForAnyValue:`/`ForAllValues:` prefixes, with string or
list values (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
An operator this module does not know never matches, so an Allow that depends on it does not count
and a Deny that depends on it does not apply; the reason says so.

Never raises on a malformed policy (moto must answer 4xx, never 500): a policy that is not JSON or
has no statements allows nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class Principal:
    """Who makes the request: an AWS service, or an IAM identity of an account."""

    service: str | None = None
    account: str | None = None
    # ARNs that name this identity: the role ARN and the assumed-role session ARN, a user ARN...
    arns: tuple[str, ...] = ()

    @staticmethod
    def service_principal(name: str) -> "Principal":
        return Principal(service=name)

    @staticmethod
    def iam(account: str, *arns: str) -> "Principal":
        return Principal(account=account, arns=tuple(a for a in arns if a))

    def describe(self) -> str:
        if self.service:
            return f"service {self.service}"
        return self.arns[0] if self.arns else f"account {self.account}"


@dataclass(frozen=True)
class Request:
    principal: Principal
    action: str
    resource: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    # An explicit Deny (as opposed to no Allow): it also overrides Allows of other policies.
    denied: bool = False


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def parse_policy(policy: Any) -> dict[str, Any] | None:
    """A policy document from a str / bytes / dict; None when it is not a JSON object."""
    if isinstance(policy, dict):
        return policy
    if isinstance(policy, bytes):
        policy = policy.decode("utf-8", "replace")
    if not isinstance(policy, str) or not policy.strip():
        return None
    try:
        doc = json.loads(policy)
    except ValueError:
        # IAM documents may arrive URL-encoded.
        from urllib.parse import unquote

        try:
            doc = json.loads(unquote(policy))
        except ValueError:
            return None
    return doc if isinstance(doc, dict) else None


def statements(policy: Any) -> list[dict[str, Any]]:
    doc = parse_policy(policy)
    if doc is None:
        return []
    return [s for s in as_list(doc.get("Statement")) if isinstance(s, dict)]


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: Any, value: str, ignore_case: bool = False) -> bool:
    return isinstance(pattern, str) and isinstance(value, str) and bool(_glob(pattern, ignore_case).match(value))


def arn_like(pattern: Any, value: Any) -> bool:
    """ArnLike/ArnEquals: each of the six colon-separated parts matched on its own, with wildcards."""
    if not isinstance(pattern, str) or not isinstance(value, str):
        return False
    p, v = pattern.split(":", 5), value.split(":", 5)
    if len(p) != 6 or len(v) != 6:
        return glob_match(pattern, value)
    return all(glob_match(a, b) for a, b in zip(p, v))


def action_matches(patterns: Iterable[Any], action: str) -> bool:
    return any(p == "*" or glob_match(p, action, ignore_case=True) for p in patterns)


def resource_matches(patterns: Iterable[Any], resource: str) -> bool:
    return any(p == "*" or glob_match(p, resource) for p in patterns)


def principal_matches(spec: Any, principal: Principal) -> bool:
    if spec == "*":
        return True
    if not isinstance(spec, dict):
        return False
    for kind, values in spec.items():
        values = as_list(values)
        if kind == "AWS":
            if "*" in values:
                return True
            if principal.account:
                own = {principal.account, f"arn:aws:iam::{principal.account}:root", *principal.arns}
                if own & {v for v in values if isinstance(v, str)}:
                    return True
        elif kind == "Service":
            if principal.service and principal.service in values:
                return True
    return False


# --- conditions --------------------------------------------------------------------------------


def _string_equals(policy_value: Any, value: Any) -> bool:
    return isinstance(value, str) and str(policy_value) == value


def _string_equals_ic(policy_value: Any, value: Any) -> bool:
    return isinstance(value, str) and str(policy_value).lower() == value.lower()


def _string_like(policy_value: Any, value: Any) -> bool:
    return glob_match(str(policy_value), value) if isinstance(value, str) else False


def _bool(policy_value: Any, value: Any) -> bool:
    return str(policy_value).lower() == str(value).lower()


def _numeric(op: str):
    def compare(policy_value: Any, value: Any) -> bool:
        try:
            a, b = float(value), float(policy_value)
        except (TypeError, ValueError):
            return False
        return {"Equals": a == b, "LessThan": a < b, "LessThanEquals": a <= b, "GreaterThan": a > b, "GreaterThanEquals": a >= b}[op]

    return compare


# operator -> (value test, negated)
_OPERATORS = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringEqualsIgnoreCase": (_string_equals_ic, False),
    "StringNotEqualsIgnoreCase": (_string_equals_ic, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    "ArnEquals": (arn_like, False),
    "ArnLike": (arn_like, False),
    "ArnNotEquals": (arn_like, True),
    "ArnNotLike": (arn_like, True),
    "Bool": (_bool, False),
    "NumericEquals": (_numeric("Equals"), False),
    "NumericNotEquals": (_numeric("Equals"), True),
    "NumericLessThan": (_numeric("LessThan"), False),
    "NumericLessThanEquals": (_numeric("LessThanEquals"), False),
    "NumericGreaterThan": (_numeric("GreaterThan"), False),
    "NumericGreaterThanEquals": (_numeric("GreaterThanEquals"), False),
}


class UnknownOperator(Exception):
    pass


def _condition_key_matches(operator: str, key: str, policy_values: list[Any], context: Mapping[str, Any]) -> bool:
    qualifier = None
    if ":" in operator and operator.split(":", 1)[0] in ("ForAnyValue", "ForAllValues"):
        qualifier, operator = operator.split(":", 1)
    if_exists = operator.endswith("IfExists")
    if if_exists:
        operator = operator[: -len("IfExists")]
    lowered = {k.lower(): v for k, v in context.items()}
    present = key.lower() in lowered and lowered[key.lower()] is not None
    if operator == "Null":
        # "true": the key must be absent; "false": it must be present.
        return any(_bool(v, "false" if present else "true") for v in policy_values)
    if operator not in _OPERATORS:
        raise UnknownOperator(operator)
    test, negated = _OPERATORS[operator]
    if not present:
        # A missing key matches only ...IfExists, negated operators and ForAllValues.
        return if_exists or negated or qualifier == "ForAllValues"
    values = as_list(lowered[key.lower()])
    if qualifier == "ForAllValues":
        hit = all(any(test(p, v) for p in policy_values) for v in values)
    else:
        hit = any(test(p, v) for v in values for p in policy_values)
    return not hit if negated else hit


def conditions_match(condition: Any, context: Mapping[str, Any]) -> bool:
    """Every operator block and every key in it must match (values of one key: any of them)."""
    if condition is None:
        return True
    if not isinstance(condition, dict):
        return False
    for operator, keys in condition.items():
        if not isinstance(keys, dict):
            return False
        for key, values in keys.items():
            if not _condition_key_matches(operator, key, as_list(values), context):
                return False
    return True


# --- evaluation --------------------------------------------------------------------------------


def statement_matches(stmt: dict[str, Any], request: Request) -> bool:
    """Whether a statement applies to the request. Raises UnknownOperator for an unknown operator."""
    if "Principal" in stmt and not principal_matches(stmt["Principal"], request.principal):
        return False
    if "NotPrincipal" in stmt and principal_matches(stmt["NotPrincipal"], request.principal):
        return False
    if "Action" in stmt and not action_matches(as_list(stmt["Action"]), request.action):
        return False
    if "NotAction" in stmt and action_matches(as_list(stmt["NotAction"]), request.action):
        return False
    if "Action" not in stmt and "NotAction" not in stmt:
        return False
    if "Resource" in stmt and not resource_matches(as_list(stmt["Resource"]), request.resource):
        return False
    if "NotResource" in stmt and resource_matches(as_list(stmt["NotResource"]), request.resource):
        return False
    return conditions_match(stmt.get("Condition"), request.context)


def evaluate(policy: Any, request: Request, *, identity_policy: bool = False) -> Decision:
    """
    The decision of one policy for one request. With identity_policy, statements carry no Principal
    (an IAM role's own policy); otherwise a statement without Principal/NotPrincipal never applies,
    as in a resource-based policy.
    """
    stmts = statements(policy)
    if not stmts:
        return Decision(False, "the policy is missing or has no statements")
    allowed_by = None
    unknown: list[str] = []
    for i, stmt in enumerate(stmts):
        if not identity_policy and "Principal" not in stmt and "NotPrincipal" not in stmt:
            continue
        name = stmt.get("Sid") or f"statement {i + 1}"
        try:
            applies = statement_matches(stmt, request)
        except UnknownOperator as e:
            unknown.append(f"{name} uses condition operator {e.args[0]}, which the emulator does not evaluate")
            applies = False
        if not applies:
            continue
        effect = str(stmt.get("Effect", "")).lower()
        if effect == "deny":
            return Decision(False, f"explicitly denied by {name}", denied=True)
        if effect == "allow" and allowed_by is None:
            allowed_by = name
    if allowed_by is not None:
        return Decision(True, f"allowed by {allowed_by}")
    what = f"{request.principal.describe()} {request.action} on {request.resource}"
    return Decision(False, f"no statement allows {what}" + (f" ({'; '.join(unknown)})" if unknown else ""))


def allows(policy: Any, request: Request, **kwargs: Any) -> bool:
    return evaluate(policy, request, **kwargs).allowed


def evaluate_identity(policies: Iterable[Any], request: Request) -> Decision:
    """The identity policies of one principal together (a role's inline and attached policies)."""
    decisions = [evaluate(p, request, identity_policy=True) for p in policies]
    denied = next((d for d in decisions if d.denied), None)
    if denied:
        return denied
    allowed = next((d for d in decisions if d.allowed), None)
    if allowed:
        return allowed
    return Decision(False, f"no policy of the role allows {request.action} on {request.resource}")
