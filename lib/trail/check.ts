/**
 * Checks of the `trail:` section that need more than one value (selector limits and exclusivity,
 * lifecycle order, accounts named by name). The config loader reports them with line:column.
 */
import { configuredAccounts } from '../core/organization';
import type { ConfigProblem } from '../core/problems';
import { CLOUDTRAIL_PRINCIPAL } from '../core/policy';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';
import { ARCHIVE_EXCLUSION_NOTE, planSelectors, selectorStyle } from './selectors';
import { archiveBucketNames, trailMode } from './plan';
import type { MonitoringPlan } from '../monitoring/plan';
import { DEFAULT_INSIGHT_TYPES, FIELD_OPERATORS, MAX_ADVANCED_VALUES, MAX_BASIC_DATA_RESOURCES, MAX_BASIC_SELECTORS, MIN_RECOMMENDED_RETENTION_DAYS, TRANSITION_STORAGE_CLASSES, show, type ArchiveConfig, type TrailConfig, type TrailSections } from './schema';

const P = (...p: (string | number)[]) => ['trail', ...p];

export function trailProblems(config: TrailSections): ConfigProblem[] {
  const t = config.trail;
  if (!t) return [];
  const out: ConfigProblem[] = [];
  const mode = trailMode(config);
  const org = config.organization;
  const accountNames = new Map<string, { regions: readonly string[] }>();
  // Core accounts govern the organization's regions; a member may name its own.
  for (const a of configuredAccounts(config)) accountNames.set(a.name, { regions: a.regions ?? org.regions });
  const unknownAccount = (name: string) => `no account is named ${show(name)}; expected one of ${[...accountNames.keys()].join(', ')}`;

  if (mode === 'existing') {
    // Everything else configures a trail or an archive trailwatch does not create in this mode.
    for (const key of Object.keys(t) as (keyof TrailConfig)[]) {
      if (key !== 'mode' && key !== 'existing' && t[key] !== undefined) {
        out.push({ path: P(key), message: `has no effect with mode: existing (trailwatch creates no trail and no archive); remove it, or choose mode: organization or account` });
      }
    }
    const e = t.existing;
    if (!e) {
      out.push({ path: P('mode'), message: 'mode: existing needs trail.existing with logGroupName (or logGroupNamePrefix) of the log group your trail delivers to' });
    } else {
      if ((e.logGroupName === undefined) === (e.logGroupNamePrefix === undefined)) {
        out.push({ path: P('existing'), message: 'set exactly one of logGroupName (the exact name) or logGroupNamePrefix (a prefix matching exactly one group)' });
      }
      const accountName = e.account ?? org.managementAccount.name;
      const account = accountNames.get(accountName);
      if (!account) out.push({ path: P('existing', 'account'), message: unknownAccount(accountName) });
      const region = e.region ?? org.homeRegion;
      if (account && !account.regions.includes(region)) {
        out.push({
          path: P('existing', e.region !== undefined ? 'region' : 'account'),
          message: `region ${region} is not one of the regions of account ${accountName} (${account.regions.join(', ')}); set existing.region to one of them or add it to that account`,
        });
      }
    }
    return out;
  }

  if (t.existing) out.push({ path: P('existing'), message: `is only used with mode: existing (the mode is ${mode}); remove it` });
  out.push(...trustedAccessProblems(t, mode));

  const cw = t.cloudWatchLogs;
  if (cw?.retentionDays !== undefined && cw.retentionDays !== 0 && cw.retentionDays < MIN_RECOMMENDED_RETENTION_DAYS && cw.acknowledgeShortRetention !== true) {
    out.push({
      path: P('cloudWatchLogs', 'retentionDays'),
      message: `${cw.retentionDays} days is less than the ${MIN_RECOMMENDED_RETENTION_DAYS} days CIS and Security Hub expect; use ${MIN_RECOMMENDED_RETENTION_DAYS} or more, or set cloudWatchLogs.acknowledgeShortRetention: true to keep it`,
    });
  }
  if (t.snsTopicName !== undefined && t.snsNotification !== true) {
    out.push({ path: P('snsTopicName'), message: 'names a topic but snsNotification is not true; set snsNotification: true or remove snsTopicName' });
  }

  // Selectors: exclusivity first; limits are counted on what would be rendered.
  if (t.eventSelectors && t.advancedEventSelectors) {
    out.push({
      path: P('advancedEventSelectors'),
      message: 'basic eventSelectors and advancedEventSelectors are mutually exclusive on a trail (CloudTrail keeps only one kind); write the basic ones as advanced selectors, or drop one list',
    });
  } else if (t.selectorStyle === 'basic' && t.advancedEventSelectors) {
    out.push({
      path: P('advancedEventSelectors'),
      message: 'cannot be combined with selectorStyle: basic (a trail uses basic or advanced selectors, never both); set selectorStyle: advanced or write them as eventSelectors',
    });
  } else if (t.selectorStyle === 'advanced' && t.eventSelectors) {
    out.push({
      path: P('eventSelectors'),
      message: 'basic event selectors cannot be combined with selectorStyle: advanced (a trail uses basic or advanced selectors, never both); set selectorStyle: basic or write them as advancedEventSelectors',
    });
  } else {
    out.push(...selectorProblems(config));
  }

  const readWrite = t.managementEvents?.readWriteType ?? 'All';
  (t.insights ?? DEFAULT_INSIGHT_TYPES).forEach((insight, i) => {
    const at = t.insights ? P('insights', i) : P('managementEvents', 'readWriteType');
    const which = t.insights ? insight : `${insight} (on by default)`;
    const fix = t.insights ? `leave ${insight} out of insights` : `set insights to the types you want ([] for none)`;
    if (insight === 'ApiCallRateInsight' && (readWrite === 'ReadOnly' || readWrite === 'None')) {
      out.push({ path: at, message: `${which} analyses write management events, but managementEvents.readWriteType is ${readWrite}; use All or WriteOnly, or ${fix}` });
    }
    if (insight === 'ApiErrorRateInsight' && readWrite === 'None') {
      out.push({ path: at, message: `${which} analyses management events, but managementEvents.readWriteType is None; log management events, or ${fix}` });
    }
  });

  const a = t.archive;
  if (a) out.push(...archiveProblems(config, a, unknownAccount, accountNames));
  return out;
}

function selectorProblems(config: TrailSections): ConfigProblem[] {
  const t = config.trail!;
  const out: ConfigProblem[] = [];
  const buckets = archiveBucketNames(config);
  const de = t.dataEvents;
  if (de?.s3 === 'all' && de.excludeArchiveBuckets !== false && selectorStyle(t) === 'basic') {
    out.push({
      path: P('dataEvents', 's3'),
      message: `basic event selectors cannot exclude the archive buckets: \`s3: all\` would log every log delivery, in a feedback loop (${ARCHIVE_EXCLUSION_NOTE}); use selectorStyle: advanced, list the buckets to log, or set dataEvents.excludeArchiveBuckets: false`,
    });
    return out;
  }
  if (Array.isArray(de?.s3)) {
    de.s3.forEach((target, i) => {
      const bucket = target.replace(/^arn:aws:s3:::/, '').split('/')[0];
      if (bucket === buckets.archive || bucket === buckets.accessLogs) {
        out.push({ path: P('dataEvents', 's3', i), message: `${bucket} is the trail's own ${bucket === buckets.archive ? 'archive' : 'access-log'} bucket: logging its object events logs every log delivery, in a feedback loop; remove it` });
      }
    });
  }
  const rendered = planSelectors(t, buckets);
  if (rendered.kind === 'basic') {
    if (rendered.eventSelectors.length > MAX_BASIC_SELECTORS) {
      out.push({
        path: P(t.eventSelectors ? 'eventSelectors' : 'dataEvents'),
        message: `the trail would have ${rendered.eventSelectors.length} basic event selectors (management and data events included); CloudTrail allows at most ${MAX_BASIC_SELECTORS}: merge selectors or use advanced selectors`,
      });
    }
    const resources = rendered.eventSelectors.reduce((n, s) => n + (s.dataResources ?? []).reduce((m, r) => m + r.values.length, 0), 0);
    if (resources > MAX_BASIC_DATA_RESOURCES) {
      out.push({
        path: P(t.eventSelectors ? 'eventSelectors' : 'dataEvents'),
        message: `the trail would have ${resources} data resources in its basic event selectors; CloudTrail allows at most ${MAX_BASIC_DATA_RESOURCES}: use ARN prefixes, \`all\`, or advanced selectors`,
      });
    }
    if (rendered.eventSelectors.length === 0) out.push(nothingLogged());
  } else {
    const values = rendered.advancedEventSelectors.reduce((n, s) => n + s.fieldSelectors.reduce((m, f) => m + FIELD_OPERATORS.reduce((k, op) => k + (f[op]?.length ?? 0), 0), 0), 0);
    if (values > MAX_ADVANCED_VALUES) {
      out.push({
        path: P(t.advancedEventSelectors ? 'advancedEventSelectors' : 'dataEvents'),
        message: `the trail's advanced event selectors would have ${values} values in all their conditions; CloudTrail allows at most ${MAX_ADVANCED_VALUES}: use prefixes (startsWith) or fewer resources`,
      });
    }
    if (rendered.advancedEventSelectors.length === 0) out.push(nothingLogged());
  }
  (t.advancedEventSelectors ?? []).forEach((s, i) => {
    const fields = s.fieldSelectors.map((f) => f.field);
    if (!fields.includes('eventCategory')) {
      out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors'), message: 'every advanced event selector needs an eventCategory field selector (e.g. { field: eventCategory, equals: [Data] })' });
    }
    s.fieldSelectors.forEach((f, j) => {
      if (fields.indexOf(f.field) !== j) out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors', j, 'field'), message: `${f.field} appears twice in this selector; put every operator for one field in one field selector` });
      if (!FIELD_OPERATORS.some((op) => f[op] !== undefined)) {
        out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors', j), message: `needs at least one operator: ${FIELD_OPERATORS.join(', ')}` });
      }
    });
    const category = s.fieldSelectors.find((f) => f.field === 'eventCategory');
    if (category?.equals?.includes('Data') && !s.fieldSelectors.some((f) => f.field === 'resources.type' && f.equals?.length === 1)) {
      out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors'), message: 'a data event selector of a trail needs exactly one resources.type (e.g. { field: resources.type, equals: [AWS::S3::Object] })' });
    }
  });
  return out;
}

function trustedAccessProblems(t: TrailConfig, mode: string): ConfigProblem[] {
  const a = t.trustedAccess;
  if (!a) return [];
  if (mode !== 'organization') {
    return [{ path: P('trustedAccess'), message: `is only used with mode: organization (only an organization trail needs trusted access; the mode is ${mode}); remove it` }];
  }
  if (a.manage !== true) {
    return a.servicePrincipals !== undefined
      ? [{ path: P('trustedAccess', 'servicePrincipals'), message: 'is only used with manage: true (trailwatch then sets exactly this list); set manage: true or remove the list' }]
      : [];
  }
  if (a.servicePrincipals === undefined) {
    return [
      {
        path: P('trustedAccess', 'manage'),
        message:
          `needs trustedAccess.servicePrincipals: every service principal with trusted access in your organization today (aws organizations list-aws-service-access-for-organization) plus ${CLOUDTRAIL_PRINCIPAL}; ` +
          'the list replaces the organization\'s, so a principal left out would lose trusted access',
      },
    ];
  }
  return a.servicePrincipals.includes(CLOUDTRAIL_PRINCIPAL)
    ? []
    : [{ path: P('trustedAccess', 'servicePrincipals'), message: `must include ${CLOUDTRAIL_PRINCIPAL}: the organization trail needs its trusted access` }];
}

function nothingLogged(): ConfigProblem {
  return {
    path: P('managementEvents', 'readWriteType'),
    message: 'with management events None and no data events the trail would log nothing; log management events or add dataEvents / selectors',
  };
}

function archiveProblems(
  config: TrailSections,
  a: ArchiveConfig,
  unknownAccount: (n: string) => string,
  accountNames: ReadonlyMap<string, unknown>,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const names = archiveBucketNames(config);
  if (names.archive === names.accessLogs) {
    out.push({ path: P('archive', 'accessLogs', 'bucketName'), message: `the access-log bucket must differ from the archive bucket (${names.archive}): a bucket cannot log its own access` });
  }
  if (a.query?.account === 'security' && !config.organization.securityAccount) {
    out.push({ path: P('archive', 'query', 'account'), message: 'the organization has no securityAccount; set query.account: log-archive or add organization.securityAccount' });
  }
  (a.readerAccounts ?? []).forEach((n, i) => {
    if (!accountNames.has(n)) out.push({ path: P('archive', 'readerAccounts', i), message: unknownAccount(n) });
  });
  const lc = a.lifecycle;
  const transitions = lc?.transitions ?? [];
  const expiration = lc?.expirationDays ?? DEFAULT_RETENTION_DAYS;
  transitions.forEach((tr, i) => {
    const at = P('archive', 'lifecycle', 'transitions', i);
    if ((tr.storageClass === 'STANDARD_IA' || tr.storageClass === 'ONEZONE_IA') && tr.days < 30) {
      out.push({ path: [...at, 'days'], message: `S3 moves objects to ${tr.storageClass} after 30 days at the earliest, got ${tr.days}` });
    }
    if (i > 0) {
      const prev = transitions[i - 1];
      const order = TRANSITION_STORAGE_CLASSES;
      if (order.indexOf(tr.storageClass) <= order.indexOf(prev.storageClass)) {
        out.push({ path: [...at, 'storageClass'], message: `S3 only moves objects down the storage classes (${order.join(' > ')}); ${tr.storageClass} cannot follow ${prev.storageClass}` });
      }
      const gap = prev.storageClass === 'STANDARD_IA' || prev.storageClass === 'ONEZONE_IA' ? 30 : 1;
      if (tr.days < prev.days + gap) {
        out.push({ path: [...at, 'days'], message: `expected at least ${prev.days + gap} days (transitions in increasing days${gap === 30 ? `; objects stay in ${prev.storageClass} 30 days` : ''}), got ${tr.days}` });
      }
    }
    if (expiration !== 'never' && tr.days >= expiration) {
      out.push({ path: [...at, 'days'], message: `the transition after ${tr.days} days comes after the expiration after ${expiration} days; raise archive.lifecycle.expirationDays or remove the transition` });
    }
  });
  if (a.objectLock && expiration !== 'never' && expiration < a.objectLock.days) {
    out.push({
      path: P('archive', 'lifecycle', 'expirationDays'),
      message: `${expiration} days is shorter than the object lock of ${a.objectLock.days} days: locked versions cannot be deleted before their retention ends; raise expirationDays to at least ${a.objectLock.days} or shorten the lock`,
    });
  }
  return out;
}

// ---- Warnings (allowed, printed) ----------------------------------------------------------

/**
 * A trail that logs no write management events leaves the CIS alarms blind: every catalog control
 * looks for write calls (CreateX, DeleteX, ConsoleLogin) or failed calls of any kind.
 */
export function blindDetections(c: TrailSections & { readonly monitoring?: { readonly enabled?: boolean } }, detections: MonitoringPlan): ConfigProblem[] {
  const readWrite = c.trail?.managementEvents?.readWriteType;
  if ((readWrite !== 'None' && readWrite !== 'ReadOnly') || c.trail?.mode === 'existing' || c.monitoring?.enabled === false) return [];
  const controls = detections.detections.filter((d) => d.control);
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
}

/**
 * S3 requires Content-MD5 or an x-amz-checksum-* header on PutObject to a bucket with Object Lock
 * default retention; no CloudTrail page says its log delivery sends one (README, "What AWS
 * requires, and our sources"), so enabling it is allowed with a warning to check delivery.
 */
export const objectLockDelivery = (c: TrailSections): ConfigProblem[] =>
  c.trail?.archive?.objectLock
    ? [
        {
          path: ['trail', 'archive', 'objectLock'],
          message:
            'S3 requires Content-MD5 or a checksum header on every PutObject to a bucket with Object Lock default retention, and AWS does not document that CloudTrail log delivery sends one: after deploying, check that log files arrive (aws cloudtrail get-trail-status: LatestDeliveryError empty)',
        },
      ]
    : [];
