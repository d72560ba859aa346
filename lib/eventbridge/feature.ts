/**
 * Stack feature: EventBridge detections in every account and governed region, CloudTrail Insights
 * alerts and the optional responder where the trail lives, and (central routing) the security
 * account's bus.
 *
 * Routing. A rule sees only its own account and region, and can target an SNS topic of that same
 * region only, so detections are gathered on one bus before they alert:
 * - central: every rule forwards to the bus `eventbridge.busName` in the security account's home
 *   region; on that bus one rule per control alerts the security account's topic.
 * - local: rules in the account's aggregation region (where its alert topic is) alert the topic
 *   directly; rules in other regions forward to that region's default bus, where the same rules
 *   catch the forwarded events.
 *
 * Construct ids (public contract): `detections/<region>/<control id>`, `detections-forwarder`
 * (role), `central-bus` (bus, policy, `central-bus/<control id>`), `insights`, `responder`, and
 * `alerting` (the topic, shared with monitoring).
 */
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { AlertTopic } from '../alerting/alert-topic';
import { alertTopicOf } from '../monitoring/feature';
import { InsightsResponder } from '../responder/insights-responder';
import type { AccountStack } from '../stacks/account-stack';
import { trailLocationFor } from '../trail/plan';
import { DetectionRule, type DetectionTarget } from './detection-rule';
import { InsightsAlertRule } from './insights-alert-rule';
import { detectionsInRegion, FORWARDER_ROLE_NAME, planEventBridge, type EventBridgePlan } from './plan';

export function eventbridgeFeature(stack: AccountStack): void {
  const config = stack.organization.config;
  const plan = planEventBridge(config);
  if (plan.problems.length > 0) throw new Error(`eventbridge plan has problems (the config loader should have refused it): ${plan.problems[0].message}`);
  if (!plan.enabled) return;

  if (plan.target === 'central' && stack.plan.role === 'security') centralBus(stack, plan);
  regionalDetections(stack, plan);
  insights(stack, plan);
}

/** The stack's alert topic and its region: monitoring's if it made one, else a new one in the primary region. */
function topicOf(stack: AccountStack): { topic: AlertTopic; region: string } {
  const existing = alertTopicOf(stack);
  if (existing) return { topic: existing, region: stack.logDelivery?.region ?? stack.plan.primaryRegion };
  const alerting = stack.organization.config.alerting ?? {};
  const region = stack.plan.primaryRegion;
  const topic = new AlertTopic(stack, 'alerting', {
    provider: stack.providers.forRegion(region),
    accountId: stack.plan.accountId,
    region,
    ...(alerting.topicName !== undefined ? { topicName: alerting.topicName } : {}),
    ...(alerting.displayName !== undefined ? { displayName: alerting.displayName } : {}),
    subscriptions: alerting.subscriptions ?? [],
  });
  return { topic, region };
}

function centralBusArn(stack: AccountStack, plan: EventBridgePlan): string {
  const security = stack.organization.config.organization.securityAccount!;
  return `arn:aws:events:${stack.organization.homeRegion}:${security.id}:event-bus/${plan.busName}`;
}

function regionalDetections(stack: AccountStack, plan: EventBridgePlan): void {
  const account = stack.plan;
  let localTopic: { topic: AlertTopic; region: string } | undefined;
  let busArn: string;
  if (plan.target === 'central') {
    busArn = centralBusArn(stack, plan);
  } else {
    localTopic = topicOf(stack);
    busArn = `arn:aws:events:${localTopic.region}:${account.accountId}:event-bus/default`;
  }

  let forwarder: IamRole | undefined;
  const forwarderArn = () => {
    forwarder ??= forwarderRole(stack, busArn);
    return forwarder.arn;
  };

  const scope = new Construct(stack, 'detections');
  for (const region of account.regions) {
    const detections = detectionsInRegion(plan, region);
    if (detections.length === 0) continue;
    const regionScope = new Construct(scope, region);
    const provider = stack.providers.forRegion(region);
    for (const d of detections) {
      const target: DetectionTarget =
        localTopic && region === localTopic.region ? { kind: 'topic', topicArn: localTopic.topic.topicArn } : { kind: 'bus', busArn, roleArn: forwarderArn() };
      new DetectionRule(regionScope, d.control.id, {
        provider,
        ruleName: d.ruleName,
        description: `trailwatch: ${d.control.title} (CIS ${Object.values(d.control.cis).pop() ?? '-'})`,
        pattern: d.pattern,
        target,
        title: d.control.title,
        controlId: d.control.id,
      });
    }
  }
}

/** The role EventBridge assumes to put events on the aggregation bus (IAM is global: one per stack). */
function forwarderRole(stack: AccountStack, busArn: string): IamRole {
  const provider = stack.providers.primary;
  const role = new IamRole(stack, 'detections-forwarder', {
    provider,
    name: FORWARDER_ROLE_NAME,
    description: 'trailwatch: lets EventBridge rules forward detections to the aggregation bus',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': stack.plan.accountId } },
        },
      ],
    }),
  });
  new IamRolePolicy(stack, 'detections-forwarder-policy', {
    provider,
    role: role.id,
    name: 'put-events-on-aggregation-bus',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }] }),
  });
  return role;
}

/** Security account: the central bus, open to the organization's accounts only, and its alerting rules. */
function centralBus(stack: AccountStack, plan: EventBridgePlan): void {
  const region = stack.organization.homeRegion;
  const provider: AwsProvider = stack.providers.forRegion(region);
  const { topic } = topicOf(stack);
  const scope = new Construct(stack, 'central-bus');
  const bus = new CloudwatchEventBus(scope, 'bus', { provider, name: plan.busName });
  new CloudwatchEventBusPolicy(scope, 'policy', {
    provider,
    eventBusName: bus.name,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OrganizationAccountsPutEvents',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: centralBusArn(stack, plan),
          Condition: { StringEquals: { 'aws:PrincipalOrgID': stack.organization.organizationId } },
        },
      ],
    }),
  });
  for (const d of plan.detections) {
    new DetectionRule(scope, d.control.id, {
      provider,
      ruleName: d.ruleName,
      description: `trailwatch (organization): ${d.control.title}`,
      pattern: d.pattern,
      eventBusName: bus.name,
      target: { kind: 'topic', topicArn: topic.topicArn },
      title: d.control.title,
      controlId: d.control.id,
    });
  }
}

/** Insights alerts (and the responder) in the account and home region of a trail trailwatch creates. */
function insights(stack: AccountStack, plan: EventBridgePlan): void {
  const trail = trailLocationFor(stack.organization, stack.plan);
  const trailConfig = stack.organization.config.trail;
  if (!trail || !plan.insights.enabled || (trailConfig?.insights !== undefined && trailConfig.insights.length === 0)) return;
  const provider = stack.providers.forRegion(trail.region);
  const { topic, region } = topicOf(stack);
  // A rule can only publish to a topic of its own region; the topic follows the trail's log group,
  // which trailwatch puts in the trail's home region, so this holds for every trail it creates.
  if (region !== trail.region) throw new Error(`alert topic region ${region} differs from the trail region ${trail.region}`);

  const responder = plan.responder
    ? new InsightsResponder(stack, 'responder', {
        provider,
        accountId: stack.plan.accountId,
        topicArn: topic.topicArn,
        topicKeyArn: topic.keyArn,
        destructiveMultiplier: plan.responder.destructiveMultiplier,
        ...(plan.responder.minimumMultiplier !== undefined ? { minimumMultiplier: plan.responder.minimumMultiplier } : {}),
        reservedConcurrency: plan.responder.reservedConcurrency,
        logRetentionDays: plan.responder.logRetentionDays,
      })
    : undefined;

  new InsightsAlertRule(stack, 'insights', {
    provider,
    topicArn: topic.topicArn,
    onlyStart: plan.insights.onlyStart,
    // With a minimum multiplier only the responder can decide what is worth a message.
    directAlert: plan.responder?.minimumMultiplier === undefined,
    ...(responder ? { responder: { functionArn: responder.functionArn, functionName: responder.functionName } } : {}),
  });
}
