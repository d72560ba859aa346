/**
 * Checks that need the whole config (the schema sees one value at a time). Each check returns
 * problems with the path of the offending value; load.ts adds line:column and throws once.
 */
import type { ConfigProblem } from './load';
import type { ParsedConfig, ParsedSections } from './schema';
import { estimateProblems } from './sections/estimate';
import { eventbridgeProblems, eventbridgeWarnings } from './sections/eventbridge';
import { monitoringProblems, monitoringWarnings } from './sections/monitoring';
import { rolloutProblems, rolloutWarnings } from './sections/rollout';
import { trailProblems } from './sections/trail';
import { planDetections } from '../monitoring/plan';
import { checkQuotas } from '../quotas/check';

type Check = (c: ParsedConfig) => ConfigProblem[];

interface NamedAccount {
  readonly path: (string | number)[];
  readonly id: string;
  readonly name: string;
}

export function allAccounts(c: ParsedConfig): NamedAccount[] {
  const core: NamedAccount[] = [
    { path: ['organization', 'managementAccount'], ...c.organization.managementAccount },
    { path: ['organization', 'logArchiveAccount'], ...c.organization.logArchiveAccount },
  ];
  if (c.organization.securityAccount) core.push({ path: ['organization', 'securityAccount'], ...c.organization.securityAccount });
  return [...core, ...c.accounts.map((a, i) => ({ path: ['accounts', i], id: a.id, name: a.name }))];
}

const memberIsManagement: Check = (c) =>
  c.accounts.flatMap((a, i) =>
    a.id === c.organization.managementAccount.id
      ? [{ path: ['accounts', i, 'id'], message: `${a.id} is the management account; remove it from accounts (organization.managementAccount already gets its stack)` }]
      : [],
  );

const duplicateIds: Check = (c) => duplicates(allAccounts(c), 'id', (first) => `account id ${first.id} is already used by ${describe(first)}; each account appears once`, (a) => !(a.path[0] === 'accounts' && a.id === c.organization.managementAccount.id));

const duplicateNames: Check = (c) => duplicates(allAccounts(c), 'name', (first) => `account name "${first.name}" is already used by ${describe(first)}; names must be unique because they name the stacks`);

const homeRegionGoverned: Check = (c) =>
  c.organization.regions.includes(c.organization.homeRegion)
    ? []
    : [{ path: ['organization', 'homeRegion'], message: `home region ${c.organization.homeRegion} is not in organization.regions; add it there` }];

/** AWS limits the planned deployment would pass (lib/quotas): hard limits are errors, default quotas warnings. */
const quotaProblems: Check = (c) => [...checkQuotas(c).problems];
const quotaWarnings: Check = (c) => [...checkQuotas(c).warnings];

const CHECKS: readonly Check[] = [memberIsManagement, duplicateIds, duplicateNames, homeRegionGoverned, trailProblems, monitoringProblems, eventbridgeProblems, rolloutProblems, estimateProblems, quotaProblems];

export function semanticProblems(c: ParsedConfig): ConfigProblem[] {
  return CHECKS.flatMap((check) => check(c));
}

/** The checks that need only monitoring and alerting: run when organization or accounts are invalid. */
export function sectionProblems(s: ParsedSections): ConfigProblem[] {
  return monitoringProblems(s);
}

/**
 * A trail that logs no write management events leaves the CIS alarms blind: every catalog control
 * looks for write calls (CreateX, DeleteX, ConsoleLogin) or failed calls of any kind.
 */
const blindDetections: Check = (c) => {
  const readWrite = c.trail?.managementEvents?.readWriteType;
  if ((readWrite !== 'None' && readWrite !== 'ReadOnly') || c.trail?.mode === 'existing' || c.monitoring?.enabled === false) return [];
  const controls = planDetections(c.monitoring).detections.filter((d) => d.control);
  if (controls.length === 0) return [];
  const what = readWrite === 'None' ? 'no management events' : 'only read-only management events';
  return [
    {
      path: ['trail', 'managementEvents', 'readWriteType'],
      message:
        `the trail logs ${what}, but ${controls.length} CIS alarm${controls.length === 1 ? '' : 's'} (${controls.map((d) => d.id).join(', ')}) look for write calls and failed calls: ` +
        'they would never fire; use All (or WriteOnly), or disable the controls under monitoring.controls',
    },
  ];
};

/** Settings that a switch elsewhere turns off: accepted, but they do nothing. */
const ignoredSettings: Check = (c) => {
  const out: ConfigProblem[] = [];
  if (c.eventbridge?.enabled === false && c.eventbridge.responder?.enabled === true) {
    out.push({
      path: ['eventbridge', 'responder', 'enabled'],
      message: 'the responder is not deployed because eventbridge.enabled is false (it runs on the Insights rules of EventBridge); set eventbridge.enabled: true, or remove the responder',
    });
  }
  if (c.monitoring?.enabled === false) {
    for (const key of ['controls', 'custom', 'alarmDefaults'] as const) {
      if (c.monitoring[key] !== undefined) {
        out.push({ path: ['monitoring', key], message: `has no effect with monitoring.enabled: false (no metric filters or alarms are deployed); set monitoring.enabled: true, or remove monitoring.${key}` });
      }
    }
  }
  return out;
};

/**
 * S3 requires Content-MD5 or an x-amz-checksum-* header on PutObject to a bucket with Object Lock
 * default retention; no CloudTrail page says its log delivery sends one (README, "What AWS
 * requires, and our sources"), so enabling it is allowed with a warning to check delivery.
 */
const objectLockDelivery: Check = (c) =>
  c.trail?.archive?.objectLock
    ? [
        {
          path: ['trail', 'archive', 'objectLock'],
          message:
            'S3 requires Content-MD5 or a checksum header on every PutObject to a bucket with Object Lock default retention, and AWS does not document that CloudTrail log delivery sends one: after deploying, check that log files arrive (aws cloudtrail get-trail-status: LatestDeliveryError empty)',
        },
      ]
    : [];

/** Settings that are allowed but probably unintended: printed by the CLI, never fatal. */
const WARNINGS: readonly Check[] = [monitoringWarnings, eventbridgeWarnings, rolloutWarnings, blindDetections, ignoredSettings, quotaWarnings, objectLockDelivery];

export function semanticWarnings(c: ParsedConfig): ConfigProblem[] {
  return WARNINGS.flatMap((check) => check(c));
}

function describe(a: NamedAccount): string {
  return a.path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[') + ` (${a.name})`;
}

function duplicates(
  accounts: NamedAccount[],
  key: 'id' | 'name',
  message: (first: NamedAccount) => string,
  include: (a: NamedAccount) => boolean = () => true,
): ConfigProblem[] {
  const seen = new Map<string, NamedAccount>();
  const out: ConfigProblem[] = [];
  for (const a of accounts) {
    const first = seen.get(a[key]);
    if (first && include(a)) out.push({ path: [...a.path, key], message: message(first) });
    else if (!first) seen.set(a[key], a);
  }
  return out;
}
