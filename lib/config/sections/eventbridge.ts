/**
 * `eventbridge:` section of trailwatch.yaml: per-account, per-region detections on EventBridge
 * (the same catalog controls as the metric filters), where they are routed, CloudTrail Insights
 * alerts and the optional responder. Planning is in lib/eventbridge/plan.ts.
 */
import { z } from 'zod';
import { planEventBridge } from '../../eventbridge/plan';
import type { ConfigProblem } from '../load';
import type { ParsedConfig } from '../schema';

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
    insights: z
      .strictObject({
        enabled: z.boolean().optional().meta({ description: '@default true' }),
        onlyStart: z.boolean().optional().meta({ description: 'Alert only when an Insight starts, not when it ends. @default false' }),
      })
      .optional()
      .meta({ description: 'CloudTrail Insights events -> readable alerts on the topic of the account that owns the trail.' }),
    responder: z
      .strictObject({
        enabled: z.boolean().optional().meta({ description: '@default false' }),
        destructiveMultiplier: z.number().positive().optional().meta({ description: 'Flag a Delete* API at or above this many times its baseline. @default 50' }),
        minimumMultiplier: z
          .number()
          .positive()
          .optional()
          .meta({ description: 'Insights below this many times their baseline publish nothing (the responder then replaces the direct alert). @default none' }),
        reservedConcurrency: z.number().int().min(1).max(100).optional().meta({ description: '@default 2' }),
        logRetentionDays: z.number().int().positive().optional().meta({ description: '@default 365' }),
      })
      .optional()
      .meta({ description: 'Lambda that analyses each Insight (multiplier, top identity) and flags destructive APIs.' }),
  })
  .meta({ description: 'EventBridge: per-account, per-region detections, Insights alerts, responder.' });

export type EventBridgeConfig = z.output<typeof EventBridgeSchema>;

export function eventbridgeProblems(config: ParsedConfig): ConfigProblem[] {
  return [...planEventBridge(config).problems];
}

export function eventbridgeWarnings(config: ParsedConfig): ConfigProblem[] {
  return [...planEventBridge(config).warnings];
}
