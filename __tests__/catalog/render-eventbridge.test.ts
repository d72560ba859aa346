/** EventBridge rendering keeps to the forms the EventBridge User Guide documents. */
import { all, notWildcard } from '../../lib/catalog/condition';
import { renderEventBridgeDetail } from '../../lib/catalog/render/eventbridge';

test('anything-but with one wildcard renders the documented single-pattern form', () => {
  expect(renderEventBridgeDetail(notWildcard(['userIdentity', 'arn'], 'arn:aws:iam::*:role/ci'))).toEqual({
    userIdentity: { arn: [{ 'anything-but': { wildcard: 'arn:aws:iam::*:role/ci' } }] },
  });
});

test('anything-but with several wildcards (no documented form) is refused with the reason, not rendered as a list', () => {
  expect(() => renderEventBridgeDetail(all(notWildcard(['userIdentity', 'arn'], 'arn:aws:iam::*:role/ci', 'arn:aws:iam::*:role/deploy')))).toThrow(
    /anything-but with several wildcards on userIdentity\.arn .*documents anything-but wildcard with one pattern only/,
  );
});
