/**
 * One TerraformStack per account: account fan-out lives in stacks, region fan-out in the stack's
 * providers. The stack wires the features explicitly, in this order (it is also the order of the
 * resources in the synthesized JSON): trail -> monitoring (watches the trail's log group) ->
 * EventBridge -> archive query. Each feature takes typed inputs from the Plan and returns what the
 * next one needs; the alert topic is one slot the first feature that needs it fills.
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AlertTopicSlot } from '../alerting/alert-topic';
import { addStateBackend } from '../backend/state-backend';
import type { AccountPlan } from '../core/organization';
import { eventbridgeFeature } from '../eventbridge/feature';
import { monitoringFeature } from '../monitoring/feature';
import type { Plan } from '../plan/plan';
import { RegionalProviders } from '../providers/regional-providers';
import { queryFeature } from '../query/feature';
import { trailFeature, type StackLogDelivery } from '../trail/feature';
import { escapeStackText } from './terraform-text';

export type { StackLogDelivery } from '../trail/feature';

export interface AccountStackProps {
  /** The account this stack deploys to. */
  readonly account: AccountPlan;
  /** The command's Plan. */
  readonly plan: Plan;
}

export class AccountStack extends TerraformStack {
  /** The account this stack deploys to. */
  readonly account: AccountPlan;
  readonly providers: RegionalProviders;
  /** The trail's CloudWatch Logs delivery when this stack owns (or attaches to) the log group; else undefined. */
  readonly logDelivery?: StackLogDelivery;

  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props.account.stackName);
    const { account, plan } = props;
    this.account = account;
    addStateBackend(this, account.stackName, plan.backend);
    this.providers = new RegionalProviders(this, 'providers', {
      accountId: account.accountId,
      regions: account.regions,
      primaryRegion: account.primaryRegion,
      access: account.access,
      tags: account.tags,
    });
    const providers = this.providers;
    const organization = plan.organization;

    const { logDelivery } = trailFeature(this, { account, organization, query: plan.query, providers });
    this.logDelivery = logDelivery;
    const topic = new AlertTopicSlot(this, { accountId: account.accountId, alerting: plan.config.alerting, providerFor: (region) => providers.forRegion(region) });
    monitoringFeature(this, { detections: plan.detections, alerting: plan.config.alerting, logDelivery, topic });
    eventbridgeFeature(this, { account, organization, plan: plan.eventbridge, providers, topic });
    queryFeature(this, { account, query: plan.query, detections: plan.detections, archiveAccountId: plan.config.organization.logArchiveAccount.id, providers });
  }

  /** Every string from text trailwatch did not write reaches Terraform escaped (terraform-text.ts). */
  override toTerraform(): any {
    escapeStackText(this);
    return super.toTerraform();
  }
}
