/**
 * An exclusion drops the excluded callers only: a record without the excluded field (AWS service
 * principals have no userIdentity.arn, nor do some anonymous and federated calls) is kept, in all
 * three renderings (CloudWatch filter pattern, EventBridge pattern, SQL).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, detectionCondition, normalize } from '../../lib/catalog';
import { renderCondition } from '../../lib/catalog/render/sql';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { planDetections } from '../../lib/monitoring/plan';
import { athenaTable } from '../support/athena-table';
import { minimalConfig } from '../support/configs';
import { asEventBridgeEvent, eventMatches } from '../support/eventbridge-pattern';

const config = minimalConfig(
  "monitoring:\n  controls:\n    unauthorized-api-calls:\n      exclude: { identities: ['arn:aws:sts::*:assumed-role/ReadOnly/*'], userAgents: [console.amazonaws.com] }\n",
);
const denied = (id: string, userIdentity: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity,
  eventTime: '2026-11-02T10:00:00Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'DescribeInstances',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  errorCode: 'Client.UnauthorizedOperation',
  errorMessage: 'You are not authorized to perform this operation.',
  eventID: id,
  eventType: 'AwsApiCall',
  readOnly: true,
  recipientAccountId: '444444444444',
  ...extra,
});
const RECORDS = [
  // An AWS service principal: no userIdentity.arn, no userAgent.
  { fires: true, record: denied('service', { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }) },
  { fires: true, record: denied('other-role', { type: 'AssumedRole', arn: 'arn:aws:sts::444444444444:assumed-role/payments/i-1', accountId: '444444444444' }, { userAgent: 'aws-cli/2.17' }) },
  { fires: false, record: denied('excluded-role', { type: 'AssumedRole', arn: 'arn:aws:sts::444444444444:assumed-role/ReadOnly/alice', accountId: '444444444444' }, { userAgent: 'aws-cli/2.17' }) },
  { fires: false, record: denied('excluded-agent', { type: 'AssumedRole', arn: 'arn:aws:sts::444444444444:assumed-role/payments/i-1', accountId: '444444444444' }, { userAgent: 'console.amazonaws.com' }) },
];

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await athenaTable(RECORDS.map((r) => r.record));
});

test('CloudWatch, EventBridge and SQL keep the records without the excluded field and drop only the excluded callers', async () => {
  const d = planDetections(config.monitoring).detections.find((x) => x.id === 'unauthorized-api-calls')!;
  expect(d.pattern).toContain('($.userIdentity.arn NOT EXISTS) ||');
  const cloudwatch = compileFilterPattern(d.pattern);
  const eb = planEventBridge(config).detections.find((x) => x.control.id === 'unauthorized-api-calls')!.pattern as unknown as Record<string, unknown>;
  const where = renderCondition(normalize(all(detectionCondition(d.control!.detection), d.exclusions!)), 'athena');
  const sql = new Set(((await conn.runAndReadAll(`SELECT sample FROM cloudtrail_logs WHERE ${where}`)).getRowObjects() as { sample: number }[]).map((r) => Number(r.sample)));
  const verdicts = RECORDS.map((r, i) => ({
    id: r.record.eventID,
    cloudwatch: cloudwatch.matchesEvent(r.record),
    eventbridge: eventMatches(eb, asEventBridgeEvent(r.record, 'AWS API Call via CloudTrail')),
    sql: sql.has(i),
  }));
  expect(verdicts).toEqual(RECORDS.map((r) => ({ id: r.record.eventID, cloudwatch: r.fires, eventbridge: r.fires, sql: r.fires })));
});
