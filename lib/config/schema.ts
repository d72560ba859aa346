/**
 * The trailwatch.yaml schema: one zod definition gives the TypeScript types, the runtime
 * validation (with defaults applied) and the JSON Schema editors use (trailwatch.schema.json).
 *
 * Every object is strict, so a typo in a key is an error rather than a silently ignored setting.
 * Later sections (trail, monitoring, alerting, ...) live in their own files under ./sections and
 * are added to `ConfigSchema` below.
 */
import { z } from 'zod';
import { noRepeatedRegion, REGION_NAMES } from './regions';
import { AlertingSchema, MonitoringSchema } from './sections/monitoring';
import { EstimateSchema } from './sections/estimate';
import { EventBridgeSchema } from './sections/eventbridge';
import { RolloutSchema } from './sections/rollout';
import { TrailSchema } from './sections/trail';
import { VerifySchema } from './sections/verify';

const describeValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : String(v));

export const AccountIdSchema = z
  .string({
    error: (iss) =>
      iss.input === undefined
        ? 'required: a 12-digit account id'
        : `expected a 12-digit account id as a quoted string (ids may start with 0), got ${describeValue(iss.input)}`,
  })
  .regex(/^\d{12}$/, { error: (iss) => `expected 12 digits, got ${describeValue(iss.input)}` })
  .meta({ description: '12-digit AWS account id, quoted ("012345678901").' });

export const AccountNameSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'required: an account name' : `expected a name, got ${describeValue(iss.input)}`) })
  .regex(/^[a-z][a-z0-9-]{0,49}$/, {
    error: (iss) =>
      `expected lower-case letters, digits and hyphens starting with a letter (at most 50), got ${describeValue(iss.input)}; the name becomes the stack name`,
  })
  .meta({ description: 'Account name; it names the account stack (so `cdktf deploy \'prod-*\'` globs work).' });

export const RegionSchema = z
  .enum(REGION_NAMES, {
    error: (iss) => `unknown region ${describeValue(iss.input)}; expected one of ${REGION_NAMES.join(', ')}`,
  })
  .meta({ description: 'AWS region name' });

const RegionListSchema = z.array(RegionSchema).min(1, { error: 'expected at least one region' }).superRefine(noRepeatedRegion);

/**
 * AWS tag rules (Tagging AWS resources): keys 1-128 and values 0-256 characters of letters,
 * digits, spaces and _ . : / = + - @; keys starting with aws: are reserved for AWS.
 */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TagsSchema = z
  .record(
    z
      .string()
      .min(1, { error: 'expected a tag key, got an empty string' })
      .max(128, { error: (iss) => `expected a tag key of at most 128 characters, got ${String((iss.input as string).length)}` })
      .regex(TAG_CHARACTERS, { error: (iss) => `expected a tag key of letters, digits, spaces and _ . : / = + - @ (what AWS accepts), got ${describeValue(iss.input)}` })
      .refine((k) => !k.toLowerCase().startsWith('aws:'), { error: (iss) => `tag keys starting with aws: are reserved for AWS, got ${describeValue(iss.input)}` }),
    z
      .string({ error: (iss) => `expected a tag value as a string, got ${describeValue(iss.input)}` })
      .max(256, { error: (iss) => `expected a tag value of at most 256 characters, got ${String((iss.input as string).length)}` })
      .regex(TAG_CHARACTERS, { error: (iss) => `expected a tag value of letters, digits, spaces and _ . : / = + - @ (what AWS accepts), got ${describeValue(iss.input)}` }),
  )
  .meta({ description: 'Tags added to every resource (provider default_tags). Keys 1-128 and values up to 256 characters of letters, digits, spaces and `_ . : / = + - @`; keys may not start with `aws:`.' });

export const AccessSchema = z
  .strictObject({
    roleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, { error: 'expected an IAM role name (1-64 of letters, digits and +=,.@_-)' })
      .optional()
      .meta({ description: 'Role assumed in the account. @default OrganizationAccountAccessRole' }),
    externalId: z.string().min(2).max(1224).optional().meta({ description: 'External id passed when assuming the role.' }),
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/)
      .optional()
      .meta({ description: 'Session name of the assumed role. @default trailwatch' }),
    assumeRole: z
      .boolean()
      .optional()
      .meta({ description: 'false: use the pipeline\'s own credentials for this account (no assume_role). @default true' }),
  })
  .meta({ description: 'How trailwatch reaches an account: the role its providers assume.' });

const CoreAccountSchema = z.strictObject({
  id: AccountIdSchema,
  name: AccountNameSchema,
  access: AccessSchema.optional().meta({ description: 'Overrides the top-level access for this account.' }),
  tags: TagsSchema.optional(),
});

export const MemberAccountSchema = z
  .strictObject({
    id: AccountIdSchema,
    name: AccountNameSchema,
    regions: RegionListSchema.optional().meta({
      description: "Regions of this account: replaces the organization's governed regions (narrow or widen; opt-in regions only when listed).",
    }),
    access: AccessSchema.optional().meta({ description: 'Overrides the top-level access for this account.' }),
    tags: TagsSchema.optional(),
  })
  .meta({ description: 'A member account: one stack named after it.' });

export const OrganizationSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, { error: (iss) => `expected an organization id like o-a1b2c3d4e5, got ${describeValue(iss.input)}` })
      .meta({ description: 'AWS Organizations id (o-...). Used in organization trail paths and policy conditions.' }),
    homeRegion: RegionSchema.meta({ description: 'Region of the trail, the log archive and the monitoring.' }),
    regions: RegionListSchema.meta({ description: 'Governed regions: every account gets providers (and later detections) in each.' }),
    managementAccount: CoreAccountSchema.meta({ description: 'The organization management account (owns an organization trail).' }),
    logArchiveAccount: CoreAccountSchema.meta({ description: 'The account holding the CloudTrail log archive bucket.' }),
    securityAccount: CoreAccountSchema.optional().meta({ description: 'Optional security / audit account (central alerting).' }),
    existingOrganizationTrail: z
      .boolean()
      .optional()
      .meta({
        description:
          "true: the organization already has an organization trail logging management events (AWS Control Tower's landing zone creates one). trailwatch's own trail is then a second copy of every account's management events, which CloudTrail bills per event; `trailwatch estimate` prices it, and `trail.mode: existing` reads that trail's log group instead of paying for a copy. Changes nothing that is deployed. @default false",
      }),
  })
  .meta({ description: 'The AWS organization: its core accounts and governed regions.' });

const LocalBackendSchema = z.strictObject({
  type: z.literal('local'),
  directory: z
    .string()
    .optional()
    .meta({
      description:
        'Folder for the state files (<stack>.tfstate): relative to the project root (the folder trailwatch and cdktf run in), or absolute. It does not move with --out. @default terraform-state',
    }),
});

const CloudBackendSchema = z.strictObject({
  type: z.literal('cloud'),
  organization: z.string().min(1).meta({ description: 'Terraform Cloud / Enterprise organization.' }),
  hostname: z
    .string()
    .regex(/^(?=.{1,253}(?::\d{1,5})?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/, {
      error: (iss) =>
        `expected a host name such as tfe.example.com (no https://, no path), got ${describeValue(iss.input)}${
          typeof iss.input === 'string' && /^[a-z]+:\/\/([^/]+)/i.test(iss.input) ? `; write ${/^[a-z]+:\/\/([^/]+)/i.exec(iss.input)![1]}` : ''
        }`,
    })
    .optional()
    .meta({ description: 'Host name of Terraform Enterprise (no scheme, no path). @default app.terraform.io' }),
  project: z.string().optional().meta({ description: 'Terraform Cloud project of the workspaces.' }),
  workspacePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'expected letters, digits, - and _ (workspace names allow nothing else)' })
    .optional()
    .meta({ description: 'Workspace name = prefix + stack name. @default trailwatch-' }),
});

const S3BackendSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name' }),
  region: RegionSchema,
  keyPrefix: z.string().optional().meta({ description: 'State key = <keyPrefix>/<stack>.tfstate. @default trailwatch' }),
  dynamodbTable: z.string().optional().meta({ description: 'Legacy DynamoDB lock table (prefer useLockfile).' }),
  useLockfile: z.boolean().optional().meta({ description: 'S3-native state locking. @default true' }),
  roleArn: z.string().optional().meta({ description: 'Role assumed to reach the state bucket.' }),
});

export const BackendSchema = z
  .discriminatedUnion('type', [LocalBackendSchema, CloudBackendSchema, S3BackendSchema], {
    error: (iss) => `expected backend type local, cloud or s3, got ${describeValue((iss.input as { type?: unknown } | undefined)?.type)}`,
  })
  .meta({ description: 'Where Terraform keeps state: one state (or workspace) per account stack.' });

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
export type MemberAccount = z.output<typeof MemberAccountSchema>;
export type AccessConfig = z.output<typeof AccessSchema>;
export type BackendConfig = z.output<typeof BackendSchema>;
