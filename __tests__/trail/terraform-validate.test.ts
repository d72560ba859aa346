/**
 * `terraform validate` of the other trail modes and selector forms (the example, organization mode
 * with advanced selectors, is validated by __tests__/terraform-validate.test.ts): account mode with
 * every option, basic selectors, managed trusted access, and mode: existing by name and by prefix, with the log-delivery
 * tokens monitoring uses rendered into an output so Terraform checks them too.
 */
import { TerraformOutput } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../lib/app/build-app';
import { initAndValidate } from '../support/terraform';
import { config } from './helpers';
import { planAll } from '../../lib/plan/plan';

const CASES: [string, string, string[]][] = [
  [
    'account mode with notifications, custom names, Object Lock and every selector operator',
    `trail:
  mode: account
  name: org-audit
  snsNotification: true
  cloudWatchLogs: { logGroupName: /audit/cloudtrail, retentionDays: 731 }
  managementEvents: { readWriteType: WriteOnly, excludeManagementEventSources: [kms.amazonaws.com] }
  dataEvents:
    s3: [payments-data, "arn:aws:s3:::reports/monthly/"]
    lambda: ["arn:aws:lambda:us-east-1:444444444444:function:pay"]
    dynamodb: all
    readWriteType: WriteOnly
  advancedEventSelectors:
    - name: Uploads to the data lake
      fieldSelectors:
        - { field: eventCategory, equals: [Data] }
        - { field: resources.type, equals: ["AWS::S3::Object"] }
        - { field: eventName, notEquals: [GetObject] }
        - { field: resources.ARN, startsWith: ["arn:aws:s3:::lake/"], notStartsWith: ["arn:aws:s3:::lake/tmp/"], endsWith: [".parquet"], notEndsWith: [".crc"] }
  insights: [ApiCallRateInsight]
  archive:
    bucketName: acme-org-trail
    readerAccounts: [log-archive, prod-app]
    objectLock: { mode: COMPLIANCE, days: 400 }
    lifecycle:
      transitions: [{ days: 30, storageClass: STANDARD_IA }, { days: 90, storageClass: GLACIER }]
      expirationDays: 3650
      noncurrentExpirationDays: 60
    accessLogs: { bucketName: acme-org-trail-access, expirationDays: 90 }
`,
    // log-archive: archive and trail in one stack; dev-app: a trail outside the home region.
    ['log-archive', 'dev-app'],
  ],
  [
    'basic selectors with raw event selectors and S3 data events on every bucket',
    `trail:
  selectorStyle: basic
  dataEvents: { s3: all, excludeArchiveBuckets: false, lambda: all }
  eventSelectors:
    - { readWriteType: ReadOnly, dataResources: [{ type: "AWS::DynamoDB::Table", values: ["arn:aws:dynamodb"] }] }
  archive: { preventDestroy: false, lifecycle: { expirationDays: never } }
`,
    ['management', 'log-archive'],
  ],
  [
    'organization trail with trusted access managed: the imported organization and its preconditions',
    'trail:\n  trustedAccess:\n    manage: true\n    servicePrincipals: [cloudtrail.amazonaws.com, sso.amazonaws.com]\n',
    ['management'],
  ],
  [
    'Athena over the archive in the log-archive account: table, workgroup, results bucket, role, named queries',
    'trail:\n  archive:\n    query: { engine: athena, account: log-archive, firstDay: "2025-01-01", resultsExpirationDays: 7 }\n',
    ['log-archive'],
  ],
  ['existing trail, log group by name', 'trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n', ['management']],
  ['existing trail, log group by prefix in another account and region', 'trail:\n  mode: existing\n  existing: { logGroupNamePrefix: aws-controltower/CloudTrail, account: log-archive, region: eu-west-1 }\n', ['log-archive']],
];

describe('terraform validate accepts the trail modes and selector forms', () => {
  test.each(CASES)('%s', (_name, yaml, stacks) => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-trail-validate-')), 'cdktf.out');
    const built = buildApp(planAll(config(yaml)), { outdir });
    for (const stack of built.stacks) {
      if (!stack.logDelivery) continue;
      // What monitoring consumes must be valid Terraform too (tokens for a prefix lookup).
      new TerraformOutput(stack, 'test-log-group-name', { value: stack.logDelivery.logGroupName });
      new TerraformOutput(stack, 'test-log-group-arn', { value: stack.logDelivery.logGroupArn });
    }
    built.app.synth();
    for (const stack of stacks) {
      const result = initAndValidate(path.join(outdir, 'stacks', stack));
      expect({ stack, errors: result.diagnostics.filter((d) => d.severity === 'error') }).toEqual({ stack, errors: [] });
      expect(result.valid).toBe(true);
    }
  });
});
