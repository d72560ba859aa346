/**
 * A control's EventBridge pattern and its CloudWatch filter pattern are rendered from one catalog
 * definition; on the labelled CloudTrail events they must accept exactly the same events, and both
 * must agree with the label.
 */
import { CATALOG, cloudWatchPatternFor } from '../../lib/catalog';
import { eventBridgePatternFor, renderEventBridgeDetail } from '../../lib/catalog/render/eventbridge';
import { all, equals, exists, notEquals, notExists, prefix } from '../../lib/catalog/condition';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { asEventBridgeEvent, eventMatches } from '../support/eventbridge-pattern';


describe.each(CATALOG.map((c) => [c.id, c] as const))('%s', (_id, control) => {
  const eb = eventBridgePatternFor(control);
  const cw = compileFilterPattern(cloudWatchPatternFor(control, 'cis'));

  test.each(LABELLED_EVENTS.map((e) => [e.name, e] as const))('%s', (_name, e) => {
    const expected = e.fires.includes(control.id);
    expect({ eventbridge: eventMatches(eb as unknown as Record<string, unknown>, asEventBridgeEvent(e.record as Record<string, unknown>, e.detailType)), cloudwatch: cw.matchesEvent(e.record) }).toEqual({
      eventbridge: expected,
      cloudwatch: expected,
    });
  });
});

describe('EventBridge rendering', () => {
  test('the unauthorized-API-calls pattern: one errorCode list, exclusions as anything-but', () => {
    const c = CATALOG.find((x) => x.id === 'unauthorized-api-calls')!;
    expect(eventBridgePatternFor(c)).toEqual({
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        errorCode: [{ suffix: 'UnauthorizedOperation' }, { prefix: 'AccessDenied' }],
        sourceIPAddress: [{ 'anything-but': ['delivery.logs.amazonaws.com'] }],
        eventName: [{ 'anything-but': ['HeadBucket'] }],
      },
    });
  });

  test('alternatives across fields become $or, shared fields stay outside', () => {
    const detail = renderEventBridgeDetail(
      all(equals(['eventSource'], 'signin.amazonaws.com'), { any: [equals(['userIdentity', 'type'], 'Root'), prefix(['errorMessage'], 'Failed')] }),
    );
    expect(detail).toEqual({ eventSource: ['signin.amazonaws.com'], $or: [{ userIdentity: { type: ['Root'] } }, { errorMessage: [{ prefix: 'Failed' }] }] });
  });

  test('exists and notExists render as exists true/false', () => {
    expect(renderEventBridgeDetail(all(exists(['errorCode']), notExists(['userIdentity', 'invokedBy'])))).toEqual({
      errorCode: [{ exists: true }],
      userIdentity: { invokedBy: [{ exists: false }] },
    });
  });

  test('two tests of one field that must both hold are refused with the field named', () => {
    expect(() => renderEventBridgeDetail(all(prefix(['eventName'], 'Delete'), notEquals(['eventName'], 'DeleteTags')))).toThrow(/two tests of eventName/);
  });

  test('documented difference: on an array field EventBridge matches any element, a CloudWatch selector never matches', () => {
    const record = { eventName: 'X', resources: ['a', 'b'] };
    expect(eventMatches({ detail: { resources: ['a'] } }, { detail: record })).toBe(true);
    expect(compileFilterPattern('{ $.resources = "a" }').matchesEvent(record)).toBe(false);
  });

  test('documented agreement: a negation on a missing field matches in neither', () => {
    const record = { eventName: 'X' };
    expect(eventMatches({ detail: { errorCode: [{ 'anything-but': ['A'] }] } }, { detail: record })).toBe(false);
    expect(compileFilterPattern('{ $.errorCode != "A" }').matchesEvent(record)).toBe(false);
  });
});
