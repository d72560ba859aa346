/**
 * `estimate:` section of trailwatch.yaml: the activity volumes `trailwatch estimate` assumes for an
 * account when no sample archive is given (`--archive`). Every key is optional; the defaults are
 * in lib/estimate/volumes.ts (DEFAULT_VOLUMES) and documented in the README. Nothing here changes
 * what is deployed.
 */
import { z } from 'zod';
import { accountNames, type OrganizationConfig } from '../core/organization';
import type { ConfigProblem } from '../core/problems';

/** The volumes `trailwatch estimate` assumes when neither a sample nor this section says otherwise (README "Cost estimate"). */
export const ESTIMATE_DEFAULTS = {
  managementEventsPerDay: 10_000,
  writeShare: 0.2,
  s3DataEventsPerDay: 200_000,
  lambdaDataEventsPerDay: 50_000,
  dynamodbDataEventsPerDay: 20_000,
  eventBytes: 1500,
  detectionMatchesPerDay: 5,
  insightEventsPerMonth: 4,
  compressionRatio: 0.1,
} as const;
const D = ESTIMATE_DEFAULTS;

const count = (what: string) =>
  z
    .number({ error: (iss) => `expected a number of ${what}, got ${JSON.stringify(iss.input) ?? 'nothing'}` })
    .min(0, { error: `expected a number of ${what} (0 or more)` })
    .max(1e12, { error: `expected at most 1e12 ${what}` });

export const VolumeSchema = z
  .strictObject({
    managementEventsPerDay: count('events')
      .optional()
      .meta({ description: `Management events a day in each governed region of the account. @default ${D.managementEventsPerDay}` }),
    writeShare: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: `Share of management events that are writes (non-read-only); Insights analyse writes twice. @default ${D.writeShare}` }),
    s3DataEventsPerDay: count('events').optional().meta({ description: `S3 object-level events a day in the account when the trail logs every bucket (\`s3: all\`); a list of buckets is taken as a tenth of it per entry, at most all of it. @default ${D.s3DataEventsPerDay}` }),
    lambdaDataEventsPerDay: count('events').optional().meta({ description: `Lambda invocations a day in the account, when logged (\`lambda: all\`; a list: a tenth per entry). @default ${D.lambdaDataEventsPerDay}` }),
    dynamodbDataEventsPerDay: count('events').optional().meta({ description: `DynamoDB item-level events a day in the account, when logged (a tenth per listed table). @default ${D.dynamodbDataEventsPerDay}` }),
    eventBytes: count('bytes').optional().meta({ description: `Average size of one CloudTrail record as JSON (CloudWatch Logs bills uncompressed bytes). @default ${D.eventBytes}` }),
    detectionMatchesPerDay: count('events')
      .optional()
      .meta({ description: `Events a day that match a detection (each EventBridge match is forwarded to the central bus; each alarm period with a match notifies). @default ${D.detectionMatchesPerDay}` }),
    insightEventsPerMonth: count('events').optional().meta({ description: `CloudTrail Insights events a month for the account (each runs the responder once). @default ${D.insightEventsPerMonth}` }),
  })
  .meta({ description: 'Activity volumes of an account, for `trailwatch estimate`.' });

export const EstimateSchema = z
  .strictObject({
    defaults: VolumeSchema.optional().meta({ description: 'Volumes of every account without its own entry under accounts.' }),
    accounts: z
      .record(z.string(), VolumeSchema)
      .optional()
      .meta({ description: 'Volumes of one account, by account name; unset keys come from defaults.' }),
    compressionRatio: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .meta({ description: `Compressed size / JSON size of CloudTrail logs (gzip in S3, compressed storage in CloudWatch Logs). @default ${D.compressionRatio}` }),
    trailIsAdditionalCopy: z
      .boolean()
      .optional()
      .meta({ description: "true: the accounts already have a trail logging management events (an account trail of their own, say), so trailwatch's trail is an additional copy, billed per event; false: it is the free first copy. An organization trail that already exists (Control Tower's) is organization.existingOrganizationTrail, which implies this. @default organization.existingOrganizationTrail" }),
  })
  .meta({ description: 'Assumptions of `trailwatch estimate` (monthly cost); `--archive` measures them from a sample instead. Changes nothing that is deployed.' });

export type VolumeConfig = z.output<typeof VolumeSchema>;
export type EstimateConfig = z.output<typeof EstimateSchema>;

/** Every name under estimate.accounts must be an account of the config. */
export function estimateProblems(config: OrganizationConfig & { readonly estimate?: EstimateConfig }): ConfigProblem[] {
  const names = new Set(accountNames(config));
  const out: ConfigProblem[] = Object.keys(config.estimate?.accounts ?? {})
    .filter((n) => !names.has(n))
    .map((n) => ({ path: ['estimate', 'accounts', n], message: `"${n}" is not an account of this config; use one of ${[...names].join(', ')}` }));
  if (config.organization.existingOrganizationTrail === true && config.estimate?.trailIsAdditionalCopy === false) {
    out.push({
      path: ['estimate', 'trailIsAdditionalCopy'],
      message: 'false contradicts organization.existingOrganizationTrail: true (an existing organization trail already holds the free copy of management events); remove one of them',
    });
  }
  return out;
}
