/**
 * The organization: its accounts as trailwatch.yaml names them (the schemas every other section
 * builds on) and, planned once from them, which stacks exist, their roles, regions, access and tags.
 * Every concern reads accounts from here: the account list is built in one place
 * ({@link configuredAccounts}).
 */
import { z } from 'zod';
import { formatPath } from '../text/config-path';
import type { ConfigProblem } from './problems';
import { RegionListSchema, RegionSchema } from './regions';

export { RegionSchema } from './regions';

export const describeValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : String(v));

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

/**
 * AWS tag rules (Tagging AWS resources): keys 1-128 and values 0-256 characters of letters,
 * digits, spaces and _ . : / = + - @; keys starting with aws: are reserved for AWS.
 */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TagsSchema = z
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


/** The sections of trailwatch.yaml that describe the organization itself. */
export interface OrganizationConfig {
  readonly organization: Organization;
  readonly accounts: readonly MemberAccount[];
  readonly access?: AccessConfig;
  readonly tags?: Record<string, string>;
}

export type Organization = z.output<typeof OrganizationSchema>;
export type MemberAccount = z.output<typeof MemberAccountSchema>;
export type AccessConfig = z.output<typeof AccessSchema>;

/** An account as the config lists it, with the path it is written at (for problems). */
export interface ConfiguredAccount {
  readonly path: (string | number)[];
  readonly role: AccountRole;
  readonly id: string;
  readonly name: string;
  readonly regions?: readonly string[];
  readonly access?: AccessConfig;
  readonly tags?: Record<string, string>;
}

/** Every account of the config: management, log archive, security (if any), then members in config order. */
export function configuredAccounts(c: OrganizationConfig): ConfiguredAccount[] {
  const org = c.organization;
  const core: ConfiguredAccount[] = [
    { path: ['organization', 'managementAccount'], role: 'management', ...org.managementAccount },
    { path: ['organization', 'logArchiveAccount'], role: 'log-archive', ...org.logArchiveAccount },
  ];
  if (org.securityAccount) core.push({ path: ['organization', 'securityAccount'], role: 'security', ...org.securityAccount });
  return [...core, ...c.accounts.map((a, i): ConfiguredAccount => ({ path: ['accounts', i], role: 'member', ...a }))];
}

/** The account names (stack names), deduplicated, in config order. */
export function accountNames(c: OrganizationConfig): string[] {
  return [...new Set(configuredAccounts(c).map((a) => a.name))];
}

export type AccountRole = 'management' | 'log-archive' | 'security' | 'member';

export interface ResolvedAccess {
  /** null: use the pipeline's own credentials (no assume_role). */
  readonly roleArn: string | null;
  readonly sessionName: string;
  readonly externalId?: string;
}

export interface AccountPlan {
  /** Stack name (the account name): `cdktf deploy 'prod-*'` globs match it. */
  readonly stackName: string;
  readonly accountId: string;
  readonly role: AccountRole;
  /** Regions this account's stack has providers for, in config order. */
  readonly regions: readonly string[];
  /** Region of the stack's default (unaliased) provider. */
  readonly primaryRegion: string;
  readonly access: ResolvedAccess;
  /** Provider default_tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface OrganizationPlan<C extends OrganizationConfig = OrganizationConfig> {
  readonly organizationId: string;
  readonly homeRegion: string;
  /** Management, log archive, security (if any), then members in config order. */
  readonly accounts: readonly AccountPlan[];
  /** The config it was planned from (each concern reads its own section through its own input type). */
  readonly config: C;
}

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_SESSION_NAME = 'trailwatch';

export function planOrganization<C extends OrganizationConfig>(config: C): OrganizationPlan<C> {
  const org = config.organization;
  const plan = (a: ConfiguredAccount): AccountPlan => {
    const regions = a.regions ?? org.regions;
    return {
      stackName: a.name,
      accountId: a.id,
      role: a.role,
      regions,
      primaryRegion: regions.includes(org.homeRegion) ? org.homeRegion : regions[0],
      access: resolveAccess(a.id, { ...config.access, ...a.access }),
      tags: { ...config.tags, ...a.tags, ManagedBy: 'trailwatch', TrailwatchStack: a.name },
    };
  };
  return { organizationId: org.id, homeRegion: org.homeRegion, accounts: configuredAccounts(config).map(plan), config };
}

function resolveAccess(accountId: string, access: AccessConfig): ResolvedAccess {
  return {
    roleArn: access.assumeRole === false ? null : `arn:aws:iam::${accountId}:role/${access.roleName ?? DEFAULT_ROLE_NAME}`,
    sessionName: access.sessionName ?? DEFAULT_SESSION_NAME,
    ...(access.externalId !== undefined ? { externalId: access.externalId } : {}),
  };
}

// ---- Checks ----------------------------------------------------------------------------------
type OrganizationCheck = (c: OrganizationConfig) => ConfigProblem[];

const memberIsManagement: OrganizationCheck = (c) =>
  c.accounts.flatMap((a, i) =>
    a.id === c.organization.managementAccount.id
      ? [{ path: ['accounts', i, 'id'], message: `${a.id} is the management account; remove it from accounts (organization.managementAccount already gets its stack)` }]
      : [],
  );

const duplicateIds: OrganizationCheck = (c) => duplicates(configuredAccounts(c), 'id', (first) => `account id ${first.id} is already used by ${describe(first)}; each account appears once`, (a) => !(a.path[0] === 'accounts' && a.id === c.organization.managementAccount.id));

const duplicateNames: OrganizationCheck = (c) => duplicates(configuredAccounts(c), 'name', (first) => `account name "${first.name}" is already used by ${describe(first)}; names must be unique because they name the stacks`);

const homeRegionGoverned: OrganizationCheck = (c) =>
  c.organization.regions.includes(c.organization.homeRegion)
    ? []
    : [{ path: ['organization', 'homeRegion'], message: `home region ${c.organization.homeRegion} is not in organization.regions; add it there` }];

/** Accounts listed twice, the management account as a member, a home region that is not governed. */
export function organizationProblems(c: OrganizationConfig): ConfigProblem[] {
  return [memberIsManagement, duplicateIds, duplicateNames, homeRegionGoverned].flatMap((check) => check(c));
}

function describe(a: ConfiguredAccount): string {
  return `${formatPath(a.path)} (${a.name})`;
}

function duplicates(
  accounts: ConfiguredAccount[],
  key: 'id' | 'name',
  message: (first: ConfiguredAccount) => string,
  include: (a: ConfiguredAccount) => boolean = () => true,
): ConfigProblem[] {
  const seen = new Map<string, ConfiguredAccount>();
  const out: ConfigProblem[] = [];
  for (const a of accounts) {
    const first = seen.get(a[key]);
    if (first && include(a)) out.push({ path: [...a.path, key], message: message(first) });
    else if (!first) seen.set(a[key], a);
  }
  return out;
}
