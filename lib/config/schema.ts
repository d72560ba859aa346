/**
 * The trailwatch.yaml schema: one zod definition gives the TypeScript types, the runtime
 * validation (with defaults applied) and the JSON Schema editors use (trailwatch.schema.json).
 *
 * Every object is strict, so a typo in a key is an error rather than a silently ignored setting.
 * Each section is owned by its concern (lib/<concern>/schema.ts, with its defaults); this file only
 * composes them into `ConfigSchema`.
 */
import { z } from 'zod';
import { AccessSchema, MemberAccountSchema, OrganizationSchema, TagsSchema } from '../core/organization';
import { BackendSchema } from '../backend/schema';
import { AlertingSchema } from '../alerting/schema';
import { MonitoringSchema } from '../monitoring/schema';
import { EstimateSchema } from '../estimate/schema';
import { EventBridgeSchema } from '../eventbridge/schema';
import { RolloutSchema } from '../rollout/schema';
import { TrailSchema } from '../trail/schema';
import { VerifySchema } from '../verify/schema';

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path of the JSON Schema, for editors.' }),
    organization: OrganizationSchema,
    accounts: z.array(MemberAccountSchema).default([]).meta({ description: 'Member accounts, one stack each.' }),
    access: AccessSchema.optional(),
    backend: BackendSchema.optional().meta({ description: 'State backend. @default { type: local }' }),
    tags: TagsSchema.optional(),
    trail: TrailSchema.optional(),
    monitoring: MonitoringSchema.optional(),
    alerting: AlertingSchema.optional(),
    eventbridge: EventBridgeSchema.optional(),
    rollout: RolloutSchema.optional(),
    estimate: EstimateSchema.optional(),
    verify: VerifySchema.optional(),
    acknowledge: z
      .array(z.string().min(1, { error: 'expected the path of a warning, got an empty string' }))
      .optional()
      .meta({
        description:
          'Warnings you have read and accept, each by the path it is printed with (e.g. `monitoring.custom[0]` or `trail.managementEvents.readWriteType`): they stop printing and `--strict` no longer fails on them. Errors cannot be acknowledged, except a pattern on a field CloudTrail never writes, accepted for one detection by its pattern path (e.g. `monitoring.custom[0].pattern`), and a `samples:` record with such a field, by its path. @default none',
      }),
  })
  .meta({ title: 'trailwatch configuration', description: 'trailwatch.yaml: CloudTrail security monitoring for an AWS organization.' });

/** The sections whose checks need no accounts: checked even when organization or accounts are invalid. */
export const SectionsSchema = ConfigSchema.pick({ monitoring: true, alerting: true });
export type ParsedSections = z.output<typeof SectionsSchema>;

/** The config as written (before defaults). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** The config after schema validation. */
export type ParsedConfig = z.output<typeof ConfigSchema>;
export type { MemberAccount, AccessConfig } from '../core/organization';
export type { BackendConfig } from '../backend/schema';
