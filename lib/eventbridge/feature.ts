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
import type { AlertTopic, AlertTopicSlot } from '../alerting/alert-topic';
import type { AccountPlan, OrganizationPlan } from '../core/organization';
import type { RegionalProviders } from '../providers/regional-providers';
import { InsightsResponder } from '../responder/insights-responder';
import { DetectionRule, type DetectionTarget } from './detection-rule';
import { InsightsAlertRule, InsightsForwardRule } from './insights-alert-rule';
import { accountRules, centralBusArn, FORWARDER_ROLE_NAME, type AccountRules, type EventBridgePlan, type EventBridgeSections, type InsightsPlacement, type RegionalDetections } from './plan';
import { policyJson } from '../core/policy';

export interface EventBridgeFeatureProps {
  readonly account: AccountPlan;
  readonly organization: OrganizationPlan<EventBridgeSections>;
  /** The Plan's EventBridge plan. */
  readonly plan: EventBridgePlan;
  readonly providers: RegionalProviders;
  /** The stack's alert topic (monitoring's, or made here in the primary region). */
  readonly topic: AlertTopicSlot;
}

/** What the EventBridge resources of one stack are built in and from. */
interface Ctx {
  readonly scope: Construct;
  readonly account: AccountPlan;
  readonly organization: OrganizationPlan<EventBridgeSections>;
  readonly providers: RegionalProviders;
  readonly topic: AlertTopicSlot;
}

export function eventbridgeFeature(scope: Construct, props: EventBridgeFeatureProps): void {
  const { plan } = props;
  if (plan.problems.length > 0) throw new Error(`eventbridge plan has problems (the config loader should have refused it): ${plan.problems[0].message}`);
  if (!plan.enabled) return;
  const stack: Ctx = { scope, account: props.account, organization: props.organization, providers: props.providers, topic: props.topic };

  // The placement (accountRules in ./plan.ts) decides every rule; the quota check counts the same placement.
  const rules = accountRules(stack.organization, stack.account, plan);
  const local = rules.topicRegion !== undefined ? topicOf(stack) : undefined;
  if (local && local.region !== rules.topicRegion) throw new Error(`alert topic region ${local.region} differs from the planned ${rules.topicRegion}`);
  const forwarder = new Forwarder(stack, [rules.detectionsBusArn, ...(rules.insights ? [rules.insights.busArn] : [])]);

  if (rules.central) centralBus(stack, plan, rules.central);
  regionalDetections(stack, rules.regional, local, rules.detectionsBusArn, forwarder);
  if (rules.insights) insights(stack, plan, rules.insights, forwarder);
}

/** The stack's alert topic and its region: monitoring's if it made one, else a new one in the primary region. */
function topicOf(stack: Ctx): { topic: AlertTopic; region: string } {
  return stack.topic.existing ?? stack.topic.topicIn(stack.account.primaryRegion);
}

/** The role EventBridge assumes to put events on another bus (IAM is global: one per stack), made on first use. */
class Forwarder {
  private role?: IamRole;
  private readonly busArns: string[];

  constructor(
    private readonly stack: Ctx,
    busArns: readonly string[],
  ) {
    this.busArns = [...new Set(busArns)];
  }

  get arn(): string {
    this.role ??= forwarderRole(this.stack, this.busArns);
    return this.role.arn;
  }
}

function regionalDetections(stack: Ctx, placed: readonly RegionalDetections[], local: { topic: AlertTopic } | undefined, busArn: string, forwarder: Forwarder): void {
  const scope = new Construct(stack.scope, 'detections');
  for (const { region, detections, alertsTopic } of placed) {
    const regionScope = new Construct(scope, region);
    const provider = stack.providers.ensure(region);
    for (const d of detections) {
      const target: DetectionTarget = local && alertsTopic ? { kind: 'topic', topicArn: local.topic.topicArn } : { kind: 'bus', busArn, roleArn: forwarder.arn };
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
function forwarderRole(stack: Ctx, busArns: readonly string[]): IamRole {
  const provider = stack.providers.primary;
  const role = new IamRole(stack.scope, 'detections-forwarder', {
    provider,
    name: FORWARDER_ROLE_NAME,
    description: 'trailwatch: lets EventBridge rules forward detections to the aggregation bus',
    assumeRolePolicy: policyJson([
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': stack.account.accountId } },
        },
      ]),
  });
  new IamRolePolicy(stack.scope, 'detections-forwarder-policy', {
    provider,
    role: role.id,
    name: 'put-events-on-aggregation-bus',
    policy: policyJson([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArns.length === 1 ? busArns[0] : [...busArns] }]),
  });
  return role;
}

/** Security account: the central bus, open to the organization's accounts only, and its alerting rules. */
function centralBus(stack: Ctx, plan: EventBridgePlan, central: NonNullable<AccountRules['central']>): void {
  const region = central.region;
  const provider: AwsProvider = stack.providers.forRegion(region);
  const { topic } = topicOf(stack);
  const scope = new Construct(stack.scope, 'central-bus');
  const bus = new CloudwatchEventBus(scope, 'bus', { provider, name: plan.busName });
  new CloudwatchEventBusPolicy(scope, 'policy', {
    provider,
    eventBusName: bus.name,
    policy: policyJson([
        {
          Sid: 'OrganizationAccountsPutEvents',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: centralBusArn(stack.organization, plan),
          Condition: { StringEquals: { 'aws:PrincipalOrgID': stack.organization.organizationId } },
        },
      ]),
  });
  for (const d of central.detections) {
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
  if (central.insights) {
    new InsightsAlertRule(scope, 'insights', { provider, topicArn: topic.topicArn, onlyStart: plan.insights.onlyStart, eventBusName: bus.name });
  }
}

/** The Insights rules: the alerting one (and the responder) in `alertRegion`, forwarders elsewhere. */
function insights(stack: Ctx, plan: EventBridgePlan, at: InsightsPlacement, forwarder: Forwarder): void {
  if (at.alertRegion !== undefined) {
    const provider = stack.providers.forRegion(at.alertRegion);
    const { topic, region } = topicOf(stack);
    // A rule can only publish to a topic of its own region; the topic follows the trail's log group,
    // which trailwatch puts in the trail's home region, so this holds for every trail it creates.
    if (region !== at.alertRegion) throw new Error(`alert topic region ${region} differs from the Insights alert region ${at.alertRegion}`);

    const responder =
      at.owner && plan.responder
        ? new InsightsResponder(stack.scope, 'responder', {
            provider,
            accountId: stack.account.accountId,
            topicArn: topic.topicArn,
            topicKeyArn: topic.keyArn,
            destructiveMultiplier: plan.responder.destructiveMultiplier,
            ...(plan.responder.minimumMultiplier !== undefined ? { minimumMultiplier: plan.responder.minimumMultiplier } : {}),
            ...(plan.responder.reservedConcurrency !== undefined ? { reservedConcurrency: plan.responder.reservedConcurrency } : {}),
            logRetentionDays: plan.responder.logRetentionDays,
          })
        : undefined;

    new InsightsAlertRule(stack.scope, 'insights', {
      provider,
      topicArn: topic.topicArn,
      onlyStart: plan.insights.onlyStart,
      // With a minimum multiplier only the responder can decide what is worth a message.
      directAlert: !responder || plan.responder?.minimumMultiplier === undefined,
      ...(responder ? { responder: { functionArn: responder.functionArn, functionName: responder.functionName } } : {}),
    });
  }

  const scope = new Construct(stack.scope, 'insights-forwarders');
  for (const region of at.regions) {
    if (region === at.alertRegion) continue;
    new InsightsForwardRule(scope, region, { provider: stack.providers.ensure(region), busArn: at.busArn, roleArn: forwarder.arn, onlyStart: plan.insights.onlyStart });
  }
}
