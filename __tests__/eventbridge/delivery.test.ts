/**
 * EventBridge delivery as AWS documents it, applied to the planned rules: a rule receives an event
 * only in its own region, only if its pattern matches, and, in the `ENABLED` state, never a
 * read-only management event named Describe*, Get* or List* (EventBridge User Guide, "Receiving
 * read-only management events from AWS services"; CloudTrail User Guide, "CloudTrail integration
 * with Amazon EventBridge": GetFederationToken and GetSessionToken excepted).
 */
import { parseConfigText } from '../../lib/config/load';
import { detectionsByRegion, planEventBridge, type DetectionRuleState, type EventBridgeDetection } from '../../lib/eventbridge/plan';
import { LABELLED_EVENTS, type LabelledEvent } from '../fixtures/cloudtrail-events';
import { MINIMAL_YAML } from '../support/configs';
import { eventMatches } from '../support/eventbridge-pattern';

const plan = planEventBridge(parseConfigText(MINIMAL_YAML));

function delivered(state: DetectionRuleState, d: EventBridgeDetection, event: Record<string, unknown>): boolean {
  const detail = event.detail as Record<string, unknown>;
  const name = String(detail.eventName);
  const withheld =
    detail.readOnly === true && event['detail-type'] === 'AWS API Call via CloudTrail' && /^(Describe|Get|List)/.test(name) && !['GetFederationToken', 'GetSessionToken'].includes(name);
  if (withheld && state === 'ENABLED') return false;
  return eventMatches(d.pattern as unknown as Record<string, unknown>, event);
}

const asEvent = (e: LabelledEvent, detailType: string = e.detailType) => ({
  version: '0',
  'detail-type': detailType,
  source: `aws.${String(e.record.eventSource).split('.')[0]}`,
  account: '444444444444',
  region: String(e.record.awsRegion),
  detail: e.record,
});

describe.each(plan.detections.map((d) => [d.control.id, d] as const))('%s', (id, d) => {
  const fires = LABELLED_EVENTS.filter((e) => e.fires.includes(id));

  test.each(fires.map((e) => [e.name, e] as const))('its rule receives "%s"', (_n, e) => {
    expect(delivered(d.state, d, asEvent(e))).toBe(true);
  });
});

test('with plain ENABLED, the unauthorized-API-calls rule would miss a denied DescribeInstances and root usage a ListBuckets', () => {
  const byId = (id: string) => plan.detections.find((d) => d.control.id === id)!;
  const event = (n: string) => asEvent(LABELLED_EVENTS.find((e) => e.name === n)!);
  expect(delivered('ENABLED', byId('unauthorized-api-calls'), event('EC2 DescribeInstances denied with Client.UnauthorizedOperation'))).toBe(false);
  expect(delivered('ENABLED', byId('root-account-usage'), event('root user lists buckets'))).toBe(false);
  expect([byId('unauthorized-api-calls').state, byId('root-account-usage').state]).toEqual([
    'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
  ]);
});

describe('console sign-ins reach a rule wherever AWS records them (account governing eu-west-1 only)', () => {
  const byRegion = detectionsByRegion(plan, ['eu-west-1']);
  const signIn = LABELLED_EVENTS.find((e) => e.name === 'IAM user console sign-in with a wrong password')!;

  // us-east-1: root, or global endpoint without alias cookie; us-east-2 / eu-north-1 / ap-southeast-2: with the cookie; eu-west-1: Regional endpoint.
  test.each(['us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2', 'eu-west-1'])('recorded in %s', (region) => {
    const event = { ...asEvent(signIn), region, detail: { ...signIn.record, awsRegion: region } };
    const rules = byRegion.get(region) ?? [];
    expect(rules.some((d) => delivered(d.state, d, event) && d.control.id === 'console-auth-failures')).toBe(true);
  });

  test.each(['AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail'])('with detail-type "%s"', (detailType) => {
    const d = plan.detections.find((x) => x.control.id === 'console-auth-failures')!;
    expect(delivered(d.state, d, asEvent(signIn, detailType))).toBe(true);
  });
});
