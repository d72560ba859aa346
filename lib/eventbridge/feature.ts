/**
 * Stack feature: EventBridge detections in every account and region where their events arise,
 * CloudTrail Insights alerts (and the optional responder) in every region the trail's Insights
 * cover, and (central routing) the security account's bus.
 *
 * Routing. A rule sees only its own account and region, and can target an SNS topic or Lambda
 * function of that same region only (an event bus may be in another region or account), so
 * events are gathered on one bus before they alert:
 * - central: every rule forwards to the bus `eventbridge.busName` in the security account's home
 *   region; on that bus one rule per control (and one for Insights) alerts the security account's topic.
 * - local: rules in the account's aggregation region (where its alert topic is) alert the topic
 *   directly; rules in other regions forward to that region's default bus, where the aggregation
 *   region's rules (one for every control placed anywhere in the stack) catch the forwarded events.
 * Insights of the trail's own account alert in the trail's region (where the responder runs):
 * the other regions forward to that region's default bus.
 *
 * Construct ids (public contract): `detections/<region>/<control id>`, `detections-forwarder`
 * (role), `central-bus` (bus, policy, `central-bus/<control id>`, `central-bus/insights`),
 * `insights`, `insights-forwarders/<region>`, `responder`, and `alerting` (the topic, shared with
 * monitoring).
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
import { trailLocationFor, trailLocations, trailMode } from '../trail/plan';
import { DetectionRule, type DetectionTarget } from './detection-rule';
import { InsightsAlertRule, InsightsForwardRule } from './insights-alert-rule';
import { detectionsByRegion, FORWARDER_ROLE_NAME, planEventBridge, type EventBridgeDetection, type EventBridgePlan } from './plan';

export function eventbridgeFeature(stack: AccountStack): void {
  const config = stack.organization.config;
  const plan = planEventBridge(config);
  if (plan.problems.length > 0) throw new Error(`eventbridge plan has problems (the config loader should have refused it): ${plan.problems[0].message}`);
  if (!plan.enabled) return;

  const byRegion = detectionsByRegion(plan, stack.plan.regions);
  const insightsAt = insightsPlacement(stack, plan, [...new Set([...stack.plan.regions, ...byRegion.keys()])]);
  const local = plan.target === 'local' ? topicOf(stack) : undefined;
  const detectionsBus = local ? defaultBusArn(local.region, stack.plan.accountId) : centralBusArn(stack, plan);
  const forwarder = new Forwarder(stack, [detectionsBus, ...(insightsAt ? [insightsAt.busArn] : [])]);

  if (plan.target === 'central' && stack.plan.role === 'security') centralBus(stack, plan);
  regionalDetections(stack, plan, byRegion, local, detectionsBus, forwarder);
  if (insightsAt) insights(stack, plan, insightsAt, forwarder);
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

function defaultBusArn(region: string, accountId: string): string {
  return `arn:aws:events:${region}:${accountId}:event-bus/default`;
}

/** The role EventBridge assumes to put events on another bus (IAM is global: one per stack), made on first use. */
class Forwarder {
  private role?: IamRole;
  private readonly busArns: string[];

  constructor(
    private readonly stack: AccountStack,
    busArns: readonly string[],
  ) {
    this.busArns = [...new Set(busArns)];
  }

  get arn(): string {
    this.role ??= forwarderRole(this.stack, this.busArns);
    return this.role.arn;
  }
}

function regionalDetections(
  stack: AccountStack,
  plan: EventBridgePlan,
  byRegion: ReadonlyMap<string, readonly EventBridgeDetection[]>,
  local: { topic: AlertTopic; region: string } | undefined,
  busArn: string,
  forwarder: Forwarder,
): void {
  const scope = new Construct(stack, 'detections');
  const regions = [...byRegion.keys()];
  if (local && !byRegion.has(local.region) && regions.length > 0) regions.push(local.region);
  for (const region of regions) {
    let detections = byRegion.get(region) ?? [];
    if (local && region === local.region) {
      // The aggregation region catches what every other region forwards: it needs every control placed anywhere.
      const anywhere = new Set([...byRegion.values()].flat().map((d) => d.control.id));
      detections = plan.detections.filter((d) => anywhere.has(d.control.id));
    }
    const regionScope = new Construct(scope, region);
    const provider = stack.providers.ensure(region);
    for (const d of detections) {
      const target: DetectionTarget = local && region === local.region ? { kind: 'topic', topicArn: local.topic.topicArn } : { kind: 'bus', busArn, roleArn: forwarder.arn };
      new DetectionRule(regionScope, d.control.id, {
        provider,
        ruleName: d.ruleName,
        description: d.control.kind === 'threat' ? `trailwatch: ${d.control.title} (ATT&CK ${(d.control.attack?.techniques ?? []).join(', ')})` : `trailwatch: ${d.control.title} (CIS ${Object.values(d.control.cis).pop() ?? '-'})`,
        pattern: d.pattern,
        state: d.state,
        target,
        title: d.control.title,
        controlId: d.control.id,
      });
    }
  }
}

/** IAM role (global) with events:PutEvents on exactly the buses this stack forwards to. */
function forwarderRole(stack: AccountStack, busArns: readonly string[]): IamRole {
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
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArns.length === 1 ? busArns[0] : [...busArns] }] }),
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
      // Forwarded events are still CloudTrail management events: the state the source rule needs applies here too.
      state: d.state,
      eventBusName: bus.name,
      target: { kind: 'topic', topicArn: topic.topicArn },
      title: d.control.title,
      controlId: d.control.id,
    });
  }
  if (membersForwardInsights(stack, plan)) {
    new InsightsAlertRule(scope, 'insights', { provider, topicArn: topic.topicArn, onlyStart: plan.insights.onlyStart, eventBusName: bus.name });
  }
}

/** Where this stack's Insights rules go and where they alert. */
interface InsightsPlacement {
  /** Regions with an Insights rule. */
  readonly regions: readonly string[];
  /** Region of the alerting rule (`insights`); undefined: every region forwards (central routing of a member). */
  readonly alertRegion?: string;
  /** Bus the other regions forward to. */
  readonly busArn: string;
  /** This stack owns the trail: the responder runs next to the alerting rule. */
  readonly owner: boolean;
}

/** The trail whose Insights cover this account, or undefined (no trail of ours, or Insights off). */
function coveringTrail(stack: AccountStack, plan: EventBridgePlan) {
  const config = stack.organization.config;
  const t = config.trail;
  if (!plan.insights.enabled || (t?.insights !== undefined && t.insights.length === 0)) return undefined;
  const own = trailLocationFor(stack.organization, stack.plan);
  if (own) return { trail: own, owner: true };
  // An organization trail logs (and analyzes) every member account too.
  if (trailMode(config) === 'organization') {
    const org = trailLocations(stack.organization)[0];
    if (org) return { trail: org, owner: false };
  }
  return undefined;
}

function membersForwardInsights(stack: AccountStack, plan: EventBridgePlan): boolean {
  return plan.target === 'central' && trailMode(stack.organization.config) === 'organization' && coveringTrail(stack, plan) !== undefined;
}

/**
 * Insights events arise in the region of the management events they analyze (CloudTrail User
 * Guide, "Working with CloudTrail Insights"): a multi-region trail's Insights cover every region
 * the stack watches, a single-region trail's only its own region.
 */
function insightsPlacement(stack: AccountStack, plan: EventBridgePlan, watched: readonly string[]): InsightsPlacement | undefined {
  const covering = coveringTrail(stack, plan);
  if (!covering) return undefined;
  const { trail, owner } = covering;
  const regions = stack.organization.config.trail?.multiRegion === false ? watched.filter((r) => r === trail.region) : [...watched];
  if (regions.length === 0) return undefined;
  const account = stack.plan.accountId;
  if (owner) return { regions, alertRegion: trail.region, busArn: defaultBusArn(trail.region, account), owner };
  if (plan.target === 'central') return { regions, busArn: centralBusArn(stack, plan), owner };
  const local = topicOf(stack).region;
  return { regions, alertRegion: local, busArn: defaultBusArn(local, account), owner };
}

/** The Insights rules: the alerting one (and the responder) in `alertRegion`, forwarders elsewhere. */
function insights(stack: AccountStack, plan: EventBridgePlan, at: InsightsPlacement, forwarder: Forwarder): void {
  if (at.alertRegion !== undefined) {
    const provider = stack.providers.forRegion(at.alertRegion);
    const { topic, region } = topicOf(stack);
    // A rule can only publish to a topic of its own region; the topic follows the trail's log group,
    // which trailwatch puts in the trail's home region, so this holds for every trail it creates.
    if (region !== at.alertRegion) throw new Error(`alert topic region ${region} differs from the Insights alert region ${at.alertRegion}`);

    const responder =
      at.owner && plan.responder
        ? new InsightsResponder(stack, 'responder', {
            provider,
            accountId: stack.plan.accountId,
            topicArn: topic.topicArn,
            topicKeyArn: topic.keyArn,
            destructiveMultiplier: plan.responder.destructiveMultiplier,
            ...(plan.responder.minimumMultiplier !== undefined ? { minimumMultiplier: plan.responder.minimumMultiplier } : {}),
            ...(plan.responder.reservedConcurrency !== undefined ? { reservedConcurrency: plan.responder.reservedConcurrency } : {}),
            logRetentionDays: plan.responder.logRetentionDays,
          })
        : undefined;

    new InsightsAlertRule(stack, 'insights', {
      provider,
      topicArn: topic.topicArn,
      onlyStart: plan.insights.onlyStart,
      // With a minimum multiplier only the responder can decide what is worth a message.
      directAlert: !responder || plan.responder?.minimumMultiplier === undefined,
      ...(responder ? { responder: { functionArn: responder.functionArn, functionName: responder.functionName } } : {}),
    });
  }

  const scope = new Construct(stack, 'insights-forwarders');
  for (const region of at.regions) {
    if (region === at.alertRegion) continue;
    new InsightsForwardRule(scope, region, { provider: stack.providers.ensure(region), busArn: at.busArn, roleArn: forwarder.arn, onlyStart: plan.insights.onlyStart });
  }
}
