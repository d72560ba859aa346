/**
 * `eventbridge:` section of trailwatch.yaml: per-account, per-region detections on EventBridge
 * (the same catalog controls as the metric filters), where they are routed, CloudTrail Insights
 * alerts and the optional responder. Planning (and the checks that need the whole config) is in ./plan.ts.
 */
import { z } from 'zod';
import { noRepeatedRegion, RegionSchema } from '../core/regions';
import { DEFAULT_RETENTION_DAYS, LOG_RETENTION_DAYS } from '../core/retention';

/**
 * Where AWS records console sign-ins made through the global endpoint (CloudTrail User Guide, "AWS
 * Management Console sign-in events"): us-east-1 for the root user and for IAM users without an
 * account-alias cookie; us-east-2, eu-north-1 or ap-southeast-2 (by latency) for IAM users with one.
 * Sign-ins through a Regional endpoint are recorded in that region (a governed region).
 */
export const DEFAULT_SIGN_IN_REGIONS: readonly string[] = ['us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2'];

export const EventBridgeSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({ description: 'Regional detections in every account stack. @default true' }),
    target: z
      .enum(['central', 'local'], { error: (iss) => `expected central or local, got ${JSON.stringify(iss.input)}` })
      .optional()
      .meta({
        description:
          'central: every rule forwards to an event bus in the security account, whose rules alert its topic; local: each account alerts its own topic in its primary region. @default central when organization.securityAccount is set, else local',
      }),
    busName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,256}$/, { error: 'expected an event bus name (letters, digits, . _ -)' })
      .optional()
      .meta({ description: 'Name of the central event bus. @default trailwatch-detections' }),
    signInRegions: z
      .array(RegionSchema)
      .superRefine(noRepeatedRegion)
      .optional()
      .meta({
        description: `Regions, beyond each account's governed ones, that get the console sign-in rules: where AWS records sign-ins through the global endpoint (us-east-1 for root and for IAM users without an account-alias cookie; us-east-2, eu-north-1 or ap-southeast-2 with one). IAM and Organizations rules also go to us-east-1 when it is listed. Every account stack gets a provider in each. [] keeps every stack inside its governed regions (e.g. under a region-deny SCP), and sign-ins recorded elsewhere are then missed. @default [${DEFAULT_SIGN_IN_REGIONS.join(', ')}]`,
      }),
    insights: z
      .strictObject({
        enabled: z.boolean().optional().meta({ description: '@default true' }),
        onlyStart: z.boolean().optional().meta({ description: 'Alert only when an Insight starts, not when it ends. @default false' }),
      })
      .optional()
      .meta({
        description:
          "CloudTrail Insights events -> readable alerts, in every region the trail's Insights cover: the trail's account alerts its topic (and responder) in the trail's region; members of an organization trail alert through the central bus (or their own topic with target: local).",
      }),
    responder: z
      .strictObject({
        enabled: z.boolean().optional().meta({ description: '@default false' }),
        destructiveMultiplier: z.number().positive().optional().meta({ description: 'Flag a Delete* API at or above this many times its baseline. @default 50' }),
        minimumMultiplier: z
          .number()
          .positive()
          .optional()
          .meta({ description: 'Insights below this many times their baseline publish nothing (the responder then replaces the direct alert). @default none' }),
        reservedConcurrency: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .meta({
            description:
              'Reserved concurrent executions (caps what an Insights storm costs). Lambda refuses a reservation that leaves the account fewer than 100 unreserved executions, so accounts with a low concurrency quota cannot reserve any. @default none (no reservation)',
          }),
        logRetentionDays: z
          .literal([...LOG_RETENTION_DAYS], {
            error: (iss) => `expected one of the retention periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')}; 0 = never expire), got ${JSON.stringify(iss.input) ?? 'nothing'}`,
          })
          .optional()
          .meta({ description: `Days the responder's log group keeps its logs: one of ${LOG_RETENTION_DAYS.join(', ')} (0 = never expire). @default ${DEFAULT_RETENTION_DAYS}` }),
      })
      .optional()
      .meta({ description: 'Lambda that analyses each Insight (multiplier, top identity) and flags destructive APIs.' }),
  })
  .meta({ description: 'EventBridge: per-account, per-region detections, Insights alerts, responder.' });

export type EventBridgeConfig = z.output<typeof EventBridgeSchema>;
