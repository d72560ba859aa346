/** Event selectors: management events, data events (basic and advanced forms), raw selectors. */
import { ACCESS_LOGS, BUCKET, synth, trailOf } from './helpers';

const trail = (extra: string) => trailOf(synth(extra).management);

describe('management events', () => {
  test('default: one basic selector with all read and write management events, no advanced selectors', () => {
    const t = trail('');
    expect(t.event_selector).toEqual([{ include_management_events: true, read_write_type: 'All' }]);
    expect(t.advanced_event_selector).toBeUndefined();
  });

  test('readWriteType and excluded sources (basic)', () => {
    const t = trail('trail:\n  managementEvents: { readWriteType: WriteOnly, excludeManagementEventSources: [kms.amazonaws.com, rdsdata.amazonaws.com] }\n  insights: [ApiCallRateInsight]\n');
    expect(t.event_selector).toEqual([
      { include_management_events: true, read_write_type: 'WriteOnly', exclude_management_event_sources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
    ]);
  });

  test('the same settings as an advanced selector: readOnly false for WriteOnly, eventSource notEquals for exclusions', () => {
    const t = trail('trail:\n  selectorStyle: advanced\n  managementEvents: { readWriteType: WriteOnly, excludeManagementEventSources: [kms.amazonaws.com] }\n');
    expect(t.event_selector).toBeUndefined();
    expect(t.advanced_event_selector).toEqual([
      {
        name: 'Management events',
        field_selector: [
          { field: 'eventCategory', equals: ['Management'] },
          { field: 'readOnly', equals: ['false'] },
          { field: 'eventSource', not_equals: ['kms.amazonaws.com'] },
        ],
      },
    ]);
  });

  test('ReadOnly management events become readOnly equals true', () => {
    const t = trail('trail:\n  selectorStyle: advanced\n  managementEvents: { readWriteType: ReadOnly }\n  insights: [ApiErrorRateInsight]\n');
    expect(t.advanced_event_selector[0].field_selector).toContainEqual({ field: 'readOnly', equals: ['true'] });
  });

  test('None leaves management events out (data events only)', () => {
    const t = trail('trail:\n  managementEvents: { readWriteType: None }\n  insights: []\n  dataEvents: { lambda: all }\n');
    expect(t.advanced_event_selector.map((s: any) => s.name)).toEqual(['Lambda data events']);
  });
});

describe('data events, advanced form (the default once data events are configured)', () => {
  test('S3 on all buckets excludes the archive and access-log buckets (no feedback loop)', () => {
    const t = trail('trail:\n  dataEvents: { s3: all }\n');
    expect(t.event_selector).toBeUndefined();
    expect(t.advanced_event_selector).toEqual([
      { name: 'Management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'S3 data events',
        field_selector: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::S3::Object'] },
          { field: 'resources.ARN', not_starts_with: [`arn:aws:s3:::${BUCKET}/`, `arn:aws:s3:::${ACCESS_LOGS}/`] },
        ],
      },
    ]);
  });

  test('the exclusion follows custom archive bucket names', () => {
    const t = trail('trail:\n  dataEvents: { s3: all }\n  archive: { bucketName: acme-trail, accessLogs: { bucketName: acme-trail-access } }\n');
    expect(t.advanced_event_selector[1].field_selector[2]).toEqual({ field: 'resources.ARN', not_starts_with: ['arn:aws:s3:::acme-trail/', 'arn:aws:s3:::acme-trail-access/'] });
  });

  test('excludeArchiveBuckets: false logs every bucket', () => {
    const t = trail('trail:\n  dataEvents: { s3: all, excludeArchiveBuckets: false }\n');
    expect(t.advanced_event_selector[1].field_selector.map((f: any) => f.field)).toEqual(['eventCategory', 'resources.type']);
  });

  test('listed buckets become resources.ARN startsWith prefixes; Lambda and DynamoDB ARNs equals; readWriteType applies', () => {
    const t = trail(
      'trail:\n  dataEvents:\n    readWriteType: WriteOnly\n    s3: [payments-data, "arn:aws:s3:::reports/monthly/", "arn:aws:s3:::exports"]\n' +
        '    lambda: ["arn:aws:lambda:us-east-1:444444444444:function:pay"]\n    dynamodb: ["arn:aws:dynamodb:us-east-1:444444444444:table/orders"]\n',
    );
    const [, s3, lambda, dynamodb] = t.advanced_event_selector;
    expect(s3.field_selector).toEqual([
      { field: 'eventCategory', equals: ['Data'] },
      { field: 'resources.type', equals: ['AWS::S3::Object'] },
      { field: 'readOnly', equals: ['false'] },
      { field: 'resources.ARN', starts_with: ['arn:aws:s3:::payments-data/', 'arn:aws:s3:::reports/monthly/', 'arn:aws:s3:::exports/'] },
    ]);
    expect(lambda).toEqual({
      name: 'Lambda data events',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::Lambda::Function'] },
        { field: 'readOnly', equals: ['false'] },
        { field: 'resources.ARN', equals: ['arn:aws:lambda:us-east-1:444444444444:function:pay'] },
      ],
    });
    expect(dynamodb.field_selector[3]).toEqual({ field: 'resources.ARN', equals: ['arn:aws:dynamodb:us-east-1:444444444444:table/orders'] });
  });

  test('lambda: all and dynamodb: all select the resource type only', () => {
    const t = trail('trail:\n  dataEvents: { lambda: all, dynamodb: all }\n');
    expect(t.advanced_event_selector.slice(1)).toEqual([
      { name: 'Lambda data events', field_selector: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::Lambda::Function'] }] },
      { name: 'DynamoDB data events', field_selector: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] }] },
    ]);
  });
});

describe('data events, basic form', () => {
  test('one data selector without management events next to the management selector', () => {
    const t = trail(
      'trail:\n  selectorStyle: basic\n  dataEvents:\n    s3: [payments-data]\n    lambda: all\n    dynamodb: ["arn:aws:dynamodb:us-east-1:444444444444:table/orders"]\n    readWriteType: ReadOnly\n',
    );
    expect(t.advanced_event_selector).toBeUndefined();
    expect(t.event_selector).toEqual([
      { include_management_events: true, read_write_type: 'All' },
      {
        include_management_events: false,
        read_write_type: 'ReadOnly',
        data_resource: [
          { type: 'AWS::S3::Object', values: ['arn:aws:s3:::payments-data/'] },
          { type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] },
          { type: 'AWS::DynamoDB::Table', values: ['arn:aws:dynamodb:us-east-1:444444444444:table/orders'] },
        ],
      },
    ]);
  });

  test('s3: all in basic form (only with the exclusion turned off) is the arn:aws:s3 prefix', () => {
    const t = trail('trail:\n  selectorStyle: basic\n  dataEvents: { s3: all, excludeArchiveBuckets: false }\n');
    expect(t.event_selector[1].data_resource).toEqual([{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }]);
  });
});

describe('raw selectors', () => {
  test('eventSelectors are appended as written (basic style implied), includeManagementEvents false unless set', () => {
    const t = trail(
      'trail:\n  eventSelectors:\n    - { readWriteType: WriteOnly, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::a/"] }] }\n    - { includeManagementEvents: true, excludeManagementEventSources: [rdsdata.amazonaws.com] }\n',
    );
    expect(t.event_selector).toEqual([
      { include_management_events: true, read_write_type: 'All' },
      { include_management_events: false, read_write_type: 'WriteOnly', data_resource: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::a/'] }] },
      { include_management_events: true, read_write_type: 'All', exclude_management_event_sources: ['rdsdata.amazonaws.com'] },
    ]);
  });

  test('advancedEventSelectors render every field-selector operator', () => {
    const t = trail(`trail:
  advancedEventSelectors:
    - name: Uploads to the data lake
      fieldSelectors:
        - { field: eventCategory, equals: [Data] }
        - { field: resources.type, equals: ["AWS::S3::Object"] }
        - { field: eventName, notEquals: [GetObject, HeadObject] }
        - { field: resources.ARN, startsWith: ["arn:aws:s3:::lake/"], notStartsWith: ["arn:aws:s3:::lake/tmp/"], endsWith: [".parquet"], notEndsWith: [".crc"] }
`);
    expect(t.advanced_event_selector).toEqual([
      { name: 'Management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'Uploads to the data lake',
        field_selector: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::S3::Object'] },
          { field: 'eventName', not_equals: ['GetObject', 'HeadObject'] },
          { field: 'resources.ARN', starts_with: ['arn:aws:s3:::lake/'], not_starts_with: ['arn:aws:s3:::lake/tmp/'], ends_with: ['.parquet'], not_ends_with: ['.crc'] },
        ],
      },
    ]);
  });
});
