/**
 * Plan: what each account gets, decided once from the validated config. Stacks are built from
 * plans only, so "which account gets what" lives here and nowhere else.
 */
import type { AccessConfig, BackendConfig, ParsedConfig } from '../config/schema';

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

export interface OrganizationPlan {
  readonly organizationId: string;
  readonly homeRegion: string;
  readonly backend: BackendConfig;
  /** Management, log archive, security (if any), then members in config order. */
  readonly accounts: readonly AccountPlan[];
  readonly config: ParsedConfig;
}

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_SESSION_NAME = 'trailwatch';

export function planOrganization(config: ParsedConfig): OrganizationPlan {
  const org = config.organization;
  const core: { role: AccountRole; account: typeof org.managementAccount }[] = [
    { role: 'management', account: org.managementAccount },
    { role: 'log-archive', account: org.logArchiveAccount },
  ];
  if (org.securityAccount) core.push({ role: 'security', account: org.securityAccount });

  const plan = (role: AccountRole, a: { id: string; name: string; access?: AccessConfig; tags?: Record<string, string>; regions?: string[] }): AccountPlan => {
    const regions = a.regions ?? org.regions;
    return {
      stackName: a.name,
      accountId: a.id,
      role,
      regions,
      primaryRegion: regions.includes(org.homeRegion) ? org.homeRegion : regions[0],
      access: resolveAccess(a.id, { ...config.access, ...a.access }),
      tags: { ...config.tags, ...a.tags, ManagedBy: 'trailwatch', TrailwatchStack: a.name },
    };
  };

  return {
    organizationId: org.id,
    homeRegion: org.homeRegion,
    backend: config.backend ?? { type: 'local' },
    accounts: [...core.map((c) => plan(c.role, c.account)), ...config.accounts.map((a) => plan('member', a))],
    config,
  };
}

function resolveAccess(accountId: string, access: AccessConfig): ResolvedAccess {
  return {
    roleArn: access.assumeRole === false ? null : `arn:aws:iam::${accountId}:role/${access.roleName ?? DEFAULT_ROLE_NAME}`,
    sessionName: access.sessionName ?? DEFAULT_SESSION_NAME,
    ...(access.externalId !== undefined ? { externalId: access.externalId } : {}),
  };
}
