/**
 * Event selectors: turns `trail.managementEvents`, `trail.dataEvents` and the raw selector lists
 * into the selectors a trail gets. Pure (no cdktf): the config checks count limits on exactly what
 * will be rendered, and the Trail construct renders it.
 *
 * Style: basic `event_selector`s when only management events (and raw basic selectors) are
 * configured, which is what CIS audit procedures read; advanced selectors as soon as data events or
 * advanced selectors are configured (only they can leave the archive bucket out), or when
 * `selectorStyle` says so.
 */
import type { AdvancedSelectorConfig, BasicSelectorConfig, DataEventsConfig, TrailConfig } from './schema';
import { DEFAULT_READ_WRITE_TYPE } from './schema';

export type ReadWriteType = 'All' | 'ReadOnly' | 'WriteOnly';

/** One condition of an advanced event selector. */
export interface FieldSelector {
  readonly field: string;
  readonly equals?: readonly string[];
  readonly notEquals?: readonly string[];
  readonly startsWith?: readonly string[];
  readonly notStartsWith?: readonly string[];
  readonly endsWith?: readonly string[];
  readonly notEndsWith?: readonly string[];
}

export interface AdvancedEventSelector {
  /** Shown in the console. @default none */
  readonly name?: string;
  /** Conditions, all of which an event must match. */
  readonly fieldSelectors: readonly FieldSelector[];
}

export interface DataResource {
  /** AWS::S3::Object, AWS::Lambda::Function or AWS::DynamoDB::Table. */
  readonly type: string;
  /** ARNs or ARN prefixes (`arn:aws:s3` = every bucket). */
  readonly values: readonly string[];
}

export interface EventSelector {
  readonly readWriteType: ReadWriteType;
  readonly includeManagementEvents: boolean;
  /** @default none */
  readonly excludeManagementEventSources?: readonly string[];
  /** @default none */
  readonly dataResources?: readonly DataResource[];
}

export type PlannedSelectors =
  | { readonly kind: 'basic'; readonly eventSelectors: readonly EventSelector[] }
  | { readonly kind: 'advanced'; readonly advancedEventSelectors: readonly AdvancedEventSelector[] };

export const ARCHIVE_EXCLUSION_NOTE = 'each delivered log file is an S3 PutObject data event in the archive bucket';

/** Selector names trailwatch generates (advanced style). */
export const SELECTOR_NAMES = {
  management: 'Management events',
  s3: 'S3 data events',
  lambda: 'Lambda data events',
  dynamodb: 'DynamoDB data events',
} as const;

export function selectorStyle(trail: TrailConfig | undefined): 'basic' | 'advanced' {
  if (trail?.selectorStyle) return trail.selectorStyle;
  if (trail?.eventSelectors) return 'basic';
  return trail?.advancedEventSelectors || trail?.dataEvents ? 'advanced' : 'basic';
}

/** The selectors of the trail. `archive` names the buckets that `s3: all` leaves out. */
export function planSelectors(trail: TrailConfig | undefined, archive: { readonly archive: string; readonly accessLogs: string }): PlannedSelectors {
  const readWrite = trail?.managementEvents?.readWriteType ?? DEFAULT_READ_WRITE_TYPE;
  const excluded = trail?.managementEvents?.excludeManagementEventSources;
  const data = trail?.dataEvents;
  if (selectorStyle(trail) === 'basic') {
    const out: EventSelector[] = [];
    if (readWrite !== 'None') {
      out.push({ readWriteType: readWrite, includeManagementEvents: true, ...(excluded?.length ? { excludeManagementEventSources: excluded } : {}) });
    }
    const resources = data ? basicDataResources(data) : [];
    if (resources.length > 0) out.push({ readWriteType: data?.readWriteType ?? 'All', includeManagementEvents: false, dataResources: resources });
    out.push(...(trail?.eventSelectors ?? []).map(rawBasic));
    return { kind: 'basic', eventSelectors: out };
  }
  const out: AdvancedEventSelector[] = [];
  if (readWrite !== 'None') {
    out.push({
      name: SELECTOR_NAMES.management,
      fieldSelectors: [
        { field: 'eventCategory', equals: ['Management'] },
        ...readOnlyField(readWrite),
        ...(excluded?.length ? [{ field: 'eventSource', notEquals: excluded }] : []),
      ],
    });
  }
  if (data) out.push(...advancedDataSelectors(data, archive));
  out.push(...(trail?.advancedEventSelectors ?? []).map(rawAdvanced));
  return { kind: 'advanced', advancedEventSelectors: out };
}

/** S3 object ARN prefix of a bucket name, `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/prefix`. */
export function s3ObjectPrefix(target: string): string {
  const arn = target.startsWith('arn:aws:s3:::') ? target : `arn:aws:s3:::${target}`;
  return arn.includes('/') ? arn : `${arn}/`;
}

function readOnlyField(rw: ReadWriteType): FieldSelector[] {
  if (rw === 'ReadOnly') return [{ field: 'readOnly', equals: ['true'] }];
  if (rw === 'WriteOnly') return [{ field: 'readOnly', equals: ['false'] }];
  return [];
}

function basicDataResources(d: DataEventsConfig): DataResource[] {
  const out: DataResource[] = [];
  if (d.s3) out.push({ type: 'AWS::S3::Object', values: d.s3 === 'all' ? ['arn:aws:s3'] : d.s3.map(s3ObjectPrefix) });
  if (d.lambda) out.push({ type: 'AWS::Lambda::Function', values: d.lambda === 'all' ? ['arn:aws:lambda'] : d.lambda });
  if (d.dynamodb) out.push({ type: 'AWS::DynamoDB::Table', values: d.dynamodb === 'all' ? ['arn:aws:dynamodb'] : d.dynamodb });
  return out;
}

function advancedDataSelectors(d: DataEventsConfig, archive: { readonly archive: string; readonly accessLogs: string }): AdvancedEventSelector[] {
  const rw = readOnlyField(d.readWriteType ?? 'All');
  const head = (type: string): FieldSelector[] => [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: [type] }, ...rw];
  const out: AdvancedEventSelector[] = [];
  if (d.s3) {
    const arn: FieldSelector[] =
      d.s3 === 'all'
        ? d.excludeArchiveBuckets === false
          ? []
          : [{ field: 'resources.ARN', notStartsWith: [s3ObjectPrefix(archive.archive), s3ObjectPrefix(archive.accessLogs)] }]
        : [{ field: 'resources.ARN', startsWith: d.s3.map(s3ObjectPrefix) }];
    out.push({ name: SELECTOR_NAMES.s3, fieldSelectors: [...head('AWS::S3::Object'), ...arn] });
  }
  if (d.lambda) {
    out.push({ name: SELECTOR_NAMES.lambda, fieldSelectors: [...head('AWS::Lambda::Function'), ...(d.lambda === 'all' ? [] : [{ field: 'resources.ARN', equals: d.lambda }])] });
  }
  if (d.dynamodb) {
    out.push({ name: SELECTOR_NAMES.dynamodb, fieldSelectors: [...head('AWS::DynamoDB::Table'), ...(d.dynamodb === 'all' ? [] : [{ field: 'resources.ARN', equals: d.dynamodb }])] });
  }
  return out;
}

function rawBasic(s: BasicSelectorConfig): EventSelector {
  return {
    readWriteType: s.readWriteType ?? 'All',
    includeManagementEvents: s.includeManagementEvents ?? false,
    ...(s.excludeManagementEventSources?.length ? { excludeManagementEventSources: s.excludeManagementEventSources } : {}),
    ...(s.dataResources?.length ? { dataResources: s.dataResources } : {}),
  };
}

function rawAdvanced(s: AdvancedSelectorConfig): AdvancedEventSelector {
  return { ...(s.name !== undefined ? { name: s.name } : {}), fieldSelectors: s.fieldSelectors };
}
