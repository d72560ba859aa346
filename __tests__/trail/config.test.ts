/** The `trail:` section of trailwatch.yaml: paired good/bad configs, clear errors, nothing written. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../main';
import { MINIMAL_YAML } from '../support/configs';
import { parseConfigWithWarnings } from '../../lib/config/load';
import { BUCKET, config, problems } from './helpers';

const accepts = (extra: string) => expect(() => config(extra)).not.toThrow();

describe('defaults', () => {
  test('no trail section, or an empty one, is valid (organization mode, every default)', () => {
    accepts('');
    accepts('trail: {}\n');
    expect(config('').trail).toBeUndefined();
  });

  test('an unknown key is a typo with a suggestion', () => {
    expect(problems('trail: { dataEvent: { s3: all } }\n')).toEqual(['trail.dataEvent: unknown key "dataEvent": did you mean "dataEvents"?']);
  });

  test('names, modes and values are checked with the expected form in the message', () => {
    expect(problems('trail: { mode: orgnization, name: my.trail, insights: [ApiCallRate] }\n')).toEqual([
      'trail.mode: expected one of organization, account, existing, got "orgnization"',
      'trail.name: expected a trail name of 3-48 letters, digits, underscores and hyphens (no two in a row), starting and ending with a letter or digit, got "my.trail"',
      'trail.insights.0: expected ApiCallRateInsight or ApiErrorRateInsight, got "ApiCallRate"',
    ]);
    expect(problems('trail:\n  archive: { bucketName: My_Bucket }\n')[0]).toMatch(/^trail\.archive\.bucketName: expected an S3 bucket name .*got "My_Bucket"$/);
  });
});

describe('selectors: basic and advanced are mutually exclusive', () => {
  const basic = '    - { dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::a/"] }] }\n';
  const advanced = '    - { fieldSelectors: [{ field: eventCategory, equals: [Data] }, { field: resources.type, equals: ["AWS::S3::Object"] }] }\n';

  test('either list alone is fine', () => {
    accepts(`trail:\n  eventSelectors:\n${basic}`);
    accepts(`trail:\n  advancedEventSelectors:\n${advanced}`);
  });

  test('both lists: refused, naming the fix', () => {
    expect(problems(`trail:\n  eventSelectors:\n${basic}  advancedEventSelectors:\n${advanced}`)).toEqual([
      'trail.advancedEventSelectors: basic eventSelectors and advancedEventSelectors are mutually exclusive on a trail (CloudTrail keeps only one kind); write the basic ones as advanced selectors, or drop one list',
    ]);
  });

  test('a list that contradicts selectorStyle: refused', () => {
    expect(problems(`trail:\n  selectorStyle: basic\n  advancedEventSelectors:\n${advanced}`)[0]).toMatch(/^trail\.advancedEventSelectors: cannot be combined with selectorStyle: basic/);
    expect(problems(`trail:\n  selectorStyle: advanced\n  eventSelectors:\n${basic}`)[0]).toMatch(/^trail\.eventSelectors: basic event selectors cannot be combined with selectorStyle: advanced/);
  });
});

describe('selector limits', () => {
  const emptyBasic = (n: number) => `trail:\n  eventSelectors:\n${'    - { readWriteType: ReadOnly }\n'.repeat(n)}`;

  test('at most 5 basic selectors, the management selector included', () => {
    accepts(emptyBasic(4));
    expect(problems(emptyBasic(5))).toEqual([
      'trail.eventSelectors: the trail would have 6 basic event selectors (management and data events included); CloudTrail allows at most 5: merge selectors or use advanced selectors',
    ]);
  });

  test('at most 250 data resources in basic selectors', () => {
    const arns = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/`));
    accepts(`trail:\n  eventSelectors:\n    - { dataResources: [{ type: "AWS::S3::Object", values: ${arns(250)} }] }\n`);
    expect(problems(`trail:\n  eventSelectors:\n    - { dataResources: [{ type: "AWS::S3::Object", values: ${arns(251)} }] }\n`)).toEqual([
      'trail.eventSelectors: the trail would have 251 data resources in its basic event selectors; CloudTrail allows at most 250: use ARN prefixes, `all`, or advanced selectors',
    ]);
  });

  test('at most 500 values in all advanced selectors, generated ones included', () => {
    // The generated management selector has 1 value; eventCategory and resources.type 1 each.
    const selector = (n: number) =>
      `trail:\n  advancedEventSelectors:\n    - fieldSelectors:\n        - { field: eventCategory, equals: [Data] }\n        - { field: resources.type, equals: ["AWS::S3::Object"] }\n        - { field: resources.ARN, startsWith: ${JSON.stringify(Array.from({ length: n }, (_, i) => `arn:aws:s3:::b-${i}/`))} }\n`;
    accepts(selector(497));
    expect(problems(selector(498))).toEqual([
      "trail.advancedEventSelectors: the trail's advanced event selectors would have 501 values in all their conditions; CloudTrail allows at most 500: use prefixes (startsWith) or fewer resources",
    ]);
  });
});

describe('the archive feedback loop', () => {
  test('s3: all in basic form cannot exclude the archive: refused unless the exclusion is turned off', () => {
    expect(problems('trail:\n  selectorStyle: basic\n  dataEvents: { s3: all }\n')[0]).toMatch(
      /^trail\.dataEvents\.s3: basic event selectors cannot exclude the archive buckets: `s3: all` would log every log delivery, in a feedback loop .*use selectorStyle: advanced/,
    );
    accepts('trail:\n  selectorStyle: basic\n  dataEvents: { s3: all, excludeArchiveBuckets: false }\n');
    accepts('trail:\n  dataEvents: { s3: all }\n');
  });

  test('listing the archive bucket itself is refused', () => {
    expect(problems(`trail:\n  dataEvents: { s3: [other-bucket, "arn:aws:s3:::${BUCKET}/AWSLogs/"] }\n`)).toEqual([
      `trail.dataEvents.s3.1: ${BUCKET} is the trail's own archive bucket: logging its object events logs every log delivery, in a feedback loop; remove it`,
    ]);
    accepts('trail:\n  dataEvents: { s3: [other-bucket] }\n');
  });
});

describe('advanced selector shape', () => {
  // Problems are listed in file order (line, then column).
  test('needs eventCategory, one field selector per field, an operator, and one resources.type for data events', () => {
    expect(
      problems(`trail:
  advancedEventSelectors:
    - fieldSelectors:
        - { field: readOnly, equals: ["true"] }
        - { field: readOnly, equals: ["false"] }
    - fieldSelectors:
        - { field: eventCategory, equals: [Data] }
        - { field: eventName }
`),
    ).toEqual([
      'trail.advancedEventSelectors.0.fieldSelectors: every advanced event selector needs an eventCategory field selector (e.g. { field: eventCategory, equals: [Data] })',
      'trail.advancedEventSelectors.0.fieldSelectors.1.field: readOnly appears twice in this selector; put every operator for one field in one field selector',
      'trail.advancedEventSelectors.1.fieldSelectors: a data event selector of a trail needs exactly one resources.type (e.g. { field: resources.type, equals: [AWS::S3::Object] })',
      'trail.advancedEventSelectors.1.fieldSelectors.1: needs at least one operator: equals, notEquals, startsWith, notStartsWith, endsWith, notEndsWith',
    ]);
  });

  test('unknown fields are refused with the list of fields', () => {
    expect(problems('trail:\n  advancedEventSelectors: [{ fieldSelectors: [{ field: eventCatgory, equals: [Data] }] }]\n')[0]).toMatch(
      /^trail\.advancedEventSelectors\.0\.fieldSelectors\.0\.field: unknown field "eventCatgory"; expected one of eventCategory, /,
    );
  });
});

describe('management events and Insights', () => {
  test('ApiCallRateInsight needs write management events', () => {
    expect(problems('trail:\n  managementEvents: { readWriteType: ReadOnly }\n  insights: [ApiCallRateInsight]\n')).toEqual([
      'trail.insights.0: ApiCallRateInsight analyses write management events, but managementEvents.readWriteType is ReadOnly; use All or WriteOnly, or leave ApiCallRateInsight out of insights',
    ]);
    accepts('trail:\n  managementEvents: { readWriteType: ReadOnly }\n  insights: [ApiErrorRateInsight]\n');
  });

  test('the default insights are named as defaults', () => {
    expect(problems('trail:\n  managementEvents: { readWriteType: ReadOnly }\n')).toEqual([
      'trail.managementEvents.readWriteType: ApiCallRateInsight (on by default) analyses write management events, but managementEvents.readWriteType is ReadOnly; use All or WriteOnly, or set insights to the types you want ([] for none)',
    ]);
  });

  test('a trail that would log nothing is refused', () => {
    expect(problems('trail:\n  managementEvents: { readWriteType: None }\n  insights: []\n')).toEqual([
      'trail.managementEvents.readWriteType: with management events None and no data events the trail would log nothing; log management events or add dataEvents / selectors',
    ]);
    accepts('trail:\n  managementEvents: { readWriteType: None }\n  insights: []\n  dataEvents: { s3: all }\n');
  });
});

describe('CloudWatch Logs retention', () => {
  test('only values CloudWatch Logs accepts', () => {
    expect(problems('trail:\n  cloudWatchLogs: { retentionDays: 366 }\n')[0]).toMatch(/^trail\.cloudWatchLogs\.retentionDays: expected one of the retention periods CloudWatch Logs accepts \(0, 1, 3, .*got 366$/);
  });

  test('below 365 days needs an explicit acknowledgement', () => {
    expect(problems('trail:\n  cloudWatchLogs: { retentionDays: 90 }\n')).toEqual([
      'trail.cloudWatchLogs.retentionDays: 90 days is less than the 365 days CIS and Security Hub expect; use 365 or more, or set cloudWatchLogs.acknowledgeShortRetention: true to keep it',
    ]);
    accepts('trail:\n  cloudWatchLogs: { retentionDays: 90, acknowledgeShortRetention: true }\n');
    accepts('trail:\n  cloudWatchLogs: { retentionDays: 0 }\n');
    accepts('trail:\n  cloudWatchLogs: { retentionDays: 3653 }\n');
  });
});

describe('archive settings', () => {
  test('lifecycle transitions go down the storage classes, in increasing days, before expiration', () => {
    expect(
      problems('trail:\n  archive:\n    lifecycle:\n      transitions: [{ days: 10, storageClass: STANDARD_IA }, { days: 30, storageClass: STANDARD_IA }, { days: 400, storageClass: GLACIER }]\n'),
    ).toEqual([
      'trail.archive.lifecycle.transitions.0.days: S3 moves objects to STANDARD_IA after 30 days at the earliest, got 10',
      'trail.archive.lifecycle.transitions.1.days: expected at least 40 days (transitions in increasing days; objects stay in STANDARD_IA 30 days), got 30',
      'trail.archive.lifecycle.transitions.1.storageClass: S3 only moves objects down the storage classes (STANDARD_IA > INTELLIGENT_TIERING > ONEZONE_IA > GLACIER_IR > GLACIER > DEEP_ARCHIVE); STANDARD_IA cannot follow STANDARD_IA',
      'trail.archive.lifecycle.transitions.2.days: the transition after 400 days comes after the expiration after 365 days; raise archive.lifecycle.expirationDays or remove the transition',
    ]);
    accepts('trail:\n  archive:\n    lifecycle:\n      transitions: [{ days: 30, storageClass: STANDARD_IA }, { days: 60, storageClass: GLACIER }]\n');
  });

  test('transitionDefaultMinimumObjectSize takes S3\'s two values only', () => {
    expect(problems('trail:\n  archive: { lifecycle: { transitionDefaultMinimumObjectSize: 64K } }\n')).toEqual([
      'trail.archive.lifecycle.transitionDefaultMinimumObjectSize: expected all_storage_classes_128K or varies_by_storage_class, got "64K"',
    ]);
    accepts('trail:\n  archive: { lifecycle: { transitionDefaultMinimumObjectSize: varies_by_storage_class } }\n');
  });

  test('Object Lock longer than the expiration is refused', () => {
    expect(problems('trail:\n  archive: { objectLock: { mode: COMPLIANCE, days: 400 } }\n')).toEqual([
      'trail.archive.lifecycle.expirationDays: 365 days is shorter than the object lock of 400 days: locked versions cannot be deleted before their retention ends; raise expirationDays to at least 400 or shorten the lock',
    ]);
    accepts('trail:\n  archive: { objectLock: { mode: COMPLIANCE, days: 400 }, lifecycle: { expirationDays: 400 } }\n');
    accepts('trail:\n  archive: { objectLock: { mode: GOVERNANCE, days: 400 }, lifecycle: { expirationDays: never } }\n');
  });

  test('Object Lock warns that CloudTrail delivery is not documented to send the checksum S3 then requires', () => {
    const warn = (extra: string) => parseConfigWithWarnings(MINIMAL_YAML + extra, 'tw.yaml').warnings.map((w) => `${w.path.join('.')}: ${w.message}`);
    expect(warn('trail:\n  archive: { objectLock: { mode: COMPLIANCE, days: 400 }, lifecycle: { expirationDays: 400 } }\n')).toContainEqual(
      expect.stringMatching(/^trail\.archive\.objectLock: S3 requires Content-MD5 or a checksum header .* LatestDeliveryError empty\)$/),
    );
    expect(warn('trail:\n  archive: { lifecycle: { expirationDays: 400 } }\n').some((w) => w.includes('objectLock'))).toBe(false);
  });

  test('reader accounts are account names of this file', () => {
    expect(problems('trail:\n  archive: { readerAccounts: [prod-app, security] }\n')).toEqual([
      'trail.archive.readerAccounts.1: no account is named "security"; expected one of management, log-archive, prod-app, dev-app',
    ]);
  });

  test('the access-log bucket must differ from the archive bucket', () => {
    expect(problems('trail:\n  archive: { bucketName: same-name, accessLogs: { bucketName: same-name } }\n')[0]).toMatch(/^trail\.archive\.accessLogs\.bucketName: the access-log bucket must differ/);
  });
});

describe('notifications', () => {
  test('a topic name without snsNotification is refused', () => {
    expect(problems('trail: { snsTopicName: files }\n')).toEqual(['trail.snsTopicName: names a topic but snsNotification is not true; set snsNotification: true or remove snsTopicName']);
    accepts('trail: { snsNotification: true, snsTopicName: files }\n');
  });
});

describe('mode: account', () => {
  test('fits a normal organization; refuses one whose bucket policy would pass the S3 20 KB limit', () => {
    accepts('trail: { mode: account }\n');
    const many = Array.from({ length: 120 }, (_, i) => `  - { id: "${String(600000000000 + i)}", name: member-${i} }\n`).join('');
    const err = problems(`${many}trail: { mode: account }\n`);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^trail\.mode: mode: account names each of the 124 accounts' trails in the archive bucket policy, which would reach [\d,]+ bytes; S3 allows at most 20,480 bytes .*use mode: organization/);
  });
});

describe('mode: existing', () => {
  test('needs the existing log group', () => {
    expect(problems('trail: { mode: existing }\n')).toEqual([
      'trail.mode: mode: existing needs trail.existing with logGroupName (or logGroupNamePrefix) of the log group your trail delivers to',
    ]);
    accepts('trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n');
    accepts('trail:\n  mode: existing\n  existing: { logGroupNamePrefix: aws-controltower/CloudTrailLogs }\n');
  });

  test('exactly one of name or prefix; the account must exist and govern the region', () => {
    expect(problems('trail:\n  mode: existing\n  existing: { logGroupName: a, logGroupNamePrefix: b, account: nobody }\n')).toEqual([
      'trail.existing: set exactly one of logGroupName (the exact name) or logGroupNamePrefix (a prefix matching exactly one group)',
      'trail.existing.account: no account is named "nobody"; expected one of management, log-archive, prod-app, dev-app',
    ]);
    expect(problems('trail:\n  mode: existing\n  existing: { logGroupName: a, account: dev-app }\n')).toEqual([
      'trail.existing.account: region us-east-1 is not one of the regions of account dev-app (eu-west-1); set existing.region to one of them or add it to that account',
    ]);
    accepts('trail:\n  mode: existing\n  existing: { logGroupName: a, account: dev-app, region: eu-west-1 }\n');
  });

  test('settings of a trail trailwatch does not create are refused, not ignored', () => {
    expect(problems('trail:\n  mode: existing\n  existing: { logGroupName: a }\n  dataEvents: { s3: all }\n  archive: { preventDestroy: false }\n')).toEqual([
      'trail.dataEvents: has no effect with mode: existing (trailwatch creates no trail and no archive); remove it, or choose mode: organization or account',
      'trail.archive: has no effect with mode: existing (trailwatch creates no trail and no archive); remove it, or choose mode: organization or account',
    ]);
  });

  test('existing: outside mode existing is refused', () => {
    expect(problems('trail:\n  existing: { logGroupName: a }\n')).toEqual(['trail.existing: is only used with mode: existing (the mode is organization); remove it']);
  });
});

describe('a refused selector config writes nothing', () => {
  test('synth exits 1 with the problem and its position, and leaves the previous output untouched', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-trail-cli-'));
    const out = path.join(dir, 'cdktf.out');
    fs.writeFileSync(path.join(dir, 'good.yaml'), MINIMAL_YAML);
    const quiet = () => jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let spy = quiet();
    expect(await main(['synth', '-c', path.join(dir, 'good.yaml'), '-o', out])).toBe(0);
    spy.mockRestore();
    const before = fs.readFileSync(path.join(out, 'stacks/management/cdk.tf.json'), 'utf8');

    fs.writeFileSync(path.join(dir, 'bad.yaml'), MINIMAL_YAML + 'trail:\n  selectorStyle: basic\n  dataEvents: { s3: all }\n');
    let stderr = '';
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((stderr += String(s)), true));
    const code = await main(['synth', '-c', path.join(dir, 'bad.yaml'), '-o', out]);
    spy.mockRestore();
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.yaml: 1 problem in the configuration; nothing was written:\n {2}- trail\.dataEvents\.s3: basic event selectors cannot exclude the archive buckets.* \(bad\.yaml:12:21\)/);
    expect(fs.readFileSync(path.join(out, 'stacks/management/cdk.tf.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['bad.yaml', 'cdktf.out', 'good.yaml']);
  });
});
