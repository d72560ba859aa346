/**
 * Property: any `trail:` section is either refused with problems under `trail`, or synthesizes a
 * baseline that passes the posture check, except for the settings the user turned off explicitly;
 * rendered selectors stay within CloudTrail's limits and never log the archive itself.
 */
import { Testing } from 'cdktf';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { buildApp } from '../../lib/app/build-app';
import { ConfigError, parseConfigText } from '../../lib/config/load';
import { checkTrailPosture } from '../support/posture';
import { MINIMAL_YAML } from '../support/configs';
import { BUCKET } from './helpers';
import { planAll } from '../../lib/plan/plan';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const bool = fc.boolean();

const trailArb = fc.record(
  {
    mode: opt(fc.constantFrom('organization', 'account')),
    multiRegion: opt(bool),
    logFileValidation: opt(bool),
    includeGlobalServiceEvents: opt(bool),
    snsNotification: opt(bool),
    cloudWatchLogs: opt(fc.record({ retentionDays: opt(fc.constantFrom(0, 30, 365, 731)), acknowledgeShortRetention: opt(bool) }, { requiredKeys: [] })),
    managementEvents: opt(
      fc.record(
        { readWriteType: opt(fc.constantFrom('All', 'ReadOnly', 'WriteOnly', 'None')), excludeManagementEventSources: opt(fc.subarray(['kms.amazonaws.com', 'rdsdata.amazonaws.com'], { minLength: 1 })) },
        { requiredKeys: [] },
      ),
    ),
    dataEvents: opt(
      fc.record(
        {
          s3: opt(fc.oneof(fc.constant('all'), fc.uniqueArray(fc.constantFrom('payments', 'reports', `arn:aws:s3:::lake/raw/`, BUCKET), { minLength: 1 }))),
          lambda: opt(fc.constant('all')),
          dynamodb: opt(fc.constant('all')),
          readWriteType: opt(fc.constantFrom('All', 'ReadOnly', 'WriteOnly')),
          excludeArchiveBuckets: opt(bool),
        },
        { requiredKeys: [] },
      ),
    ),
    selectorStyle: opt(fc.constantFrom('basic', 'advanced')),
    insights: opt(fc.subarray(['ApiCallRateInsight', 'ApiErrorRateInsight'])),
    archive: opt(
      fc.record(
        {
          lifecycle: opt(
            fc.record(
              {
                expirationDays: opt(fc.oneof(fc.integer({ min: 1, max: 4000 }), fc.constant('never'))),
                transitions: opt(fc.constantFrom([{ days: 30, storageClass: 'STANDARD_IA' }], [{ days: 90, storageClass: 'GLACIER_IR' }, { days: 365, storageClass: 'DEEP_ARCHIVE' }])),
              },
              { requiredKeys: [] },
            ),
          ),
          objectLock: opt(fc.record({ mode: fc.constantFrom('GOVERNANCE', 'COMPLIANCE'), days: fc.integer({ min: 1, max: 3000 }) })),
          preventDestroy: opt(bool),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** Drops undefined values, so the YAML holds only the keys the arbitrary chose. */
const clean = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(clean) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, clean(x)])) : v;

let synthesized = 0;
let refused = 0;

test('any trail section: refused under trail, or a baseline that keeps every posture item not explicitly turned off', () => {
  fc.assert(
    fc.property(trailArb, (trail) => {
      let config;
      try {
        config = parseConfigText(MINIMAL_YAML + stringify({ trail: clean(trail) }), 'prop.yaml');
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        refused++;
        for (const p of e.problems) expect(p.path[0]).toBe('trail');
        return;
      }
      synthesized++;
      const { stacks } = buildApp(planAll(config), { outdir: Testing.app().outdir, selectStack: (p) => p.role !== 'member' });
      const out = Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));

      const t = config.trail!;
      const allowed = new Set<string>();
      if (t.multiRegion === false) allowed.add('multi-region');
      if (t.logFileValidation === false) allowed.add('log-file-validation');
      const days = t.cloudWatchLogs?.retentionDays;
      if (days !== undefined && days !== 0 && days < 365) allowed.add('log-group-retention');
      const failures = checkTrailPosture(out).filter((f) => !allowed.has(f.split(':')[0]));
      expect(failures).toEqual([]);

      const trailJson = Object.values(out.management.resource.aws_cloudtrail)[0] as any;
      if (trailJson.event_selector) {
        expect(trailJson.event_selector.length).toBeLessThanOrEqual(5);
        // Basic selectors never select every bucket unless the user turned the exclusion off.
        const all = trailJson.event_selector.some((s: any) => (s.data_resource ?? []).some((r: any) => r.values.includes('arn:aws:s3')));
        if (all) expect(t.dataEvents?.excludeArchiveBuckets).toBe(false);
      } else {
        const s3 = trailJson.advanced_event_selector.find((s: any) => s.name === 'S3 data events');
        const arn = s3?.field_selector.find((f: any) => f.field === 'resources.ARN');
        if (s3 && t.dataEvents?.excludeArchiveBuckets !== false) expect(arn?.not_starts_with ?? arn?.starts_with).toBeDefined();
        if (arn?.starts_with) expect(arn.starts_with).not.toContain(`arn:aws:s3:::${BUCKET}/`);
      }
    }),
    { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 3) },
  );
  process.stderr.write(`trail properties: ${synthesized} synthesized, ${refused} refused\n`);
  // Both sides are exercised: a generator that only produced refusals would prove little.
  expect(synthesized).toBeGreaterThan(30);
  expect(refused).toBeGreaterThan(10);
});
