/**
 * Every worked example of the CloudWatch Logs "Filter pattern syntax" page, with the result the page
 * states. Sources (awsdocs/amazon-cloudwatch-logs-user-guide, doc_source/FilterAndPatternSyntax.md):
 *  - [rev1] the older "Filter and Pattern Syntax" revision (sections matching-terms-events,
 *    log-filters-or-pattern-matching, metric-filter-examples, compound-conditions, extract-log-event-values);
 *  - [rev2] the later "Filter and pattern syntax" revision (sections matching-terms-events,
 *    metric-filters-extract-json, match-items-metric-filters, compound-conditions,
 *    extract-log-event-values, pattern-matching-space-delimited, logs-metric-filters-dimensions,
 *    publishing-values-found-in-logs);
 *  - [current] docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html: the regex
 *    section (%AUTHORIZED%, the allowed characters); its ?-term note was read in a course-notes copy of that page.
 * Where a page states something self-contradictory, the case says so and asserts our reading.
 */
import { compileFilterPattern } from '../../lib/filter-pattern';

type Case = [pattern: string, event: string, expected: boolean];

function run(cases: Case[]) {
  test.each(cases)('%s on %s -> %s', (pattern, event, expected) => {
    expect(compileFilterPattern(pattern).matches(event)).toBe(expected);
  });
}

describe('[rev1] matching-terms-events: terms', () => {
  run([
    // Example 1: "" matches all log events
    ['""', '[ERROR] A fatal exception has occurred', true],
    ['""', 'anything at all', true],
    // Example 2: "ERROR" matches both messages
    ['ERROR', '[ERROR] A fatal exception has occurred', true],
    ['ERROR', 'Exiting with ERRORCODE: -1', true],
    // Example 3: "ERROR" - "Exiting" excludes the Exiting message
    ['"ERROR" - "Exiting"', 'Exiting with ERRORCODE: -1', false],
    ['"ERROR" - "Exiting"', '[ERROR] A fatal exception has occurred', true],
    // Example 4: multiple terms
    ['ERROR Exception', '[ERROR] Caught IllegalArgumentException', true],
    ['ERROR Exception', '[ERROR] Unhandled Exception', true],
    ['Failed to process the request', '[WARN] Failed to process the request', true],
    ['Failed to process the request', '[ERROR] Unable to continue: Failed to process the request', true],
  ]);
});

describe('[rev1] log-filters-or-pattern-matching', () => {
  const e1 = 'ERROR WARN message';
  const e2 = 'ERROR message';
  const e3 = 'WARN message';
  describe('terms: ERROR matches 1,2; ?ERROR ?WARN 1,2,3; ERROR WARN 1; ERROR -WARN 2', () => {
    run([
      ['ERROR', e1, true],
      ['ERROR', e2, true],
      ['ERROR', e3, false],
      ['?ERROR ?WARN', e1, true],
      ['?ERROR ?WARN', e2, true],
      ['?ERROR ?WARN', e3, true],
      ['ERROR WARN', e1, true],
      ['ERROR WARN', e2, false],
      ['ERROR WARN', e3, false],
      ['ERROR -WARN', e1, false],
      ['ERROR -WARN', e2, true],
      ['ERROR -WARN', e3, false],
    ]);
  });
  describe('space-delimited: [w1=ERROR, w2] matches 2; [w1=ERROR || w1=WARN, w2] matches 2 and 3', () => {
    run([
      ['[w1=ERROR, w2]', e1, false], // three fields against a two-field pattern
      ['[w1=ERROR, w2]', e2, true],
      ['[w1=ERROR, w2]', e3, false],
      ['[w1=ERROR || w1=WARN, w2]', e1, false],
      ['[w1=ERROR || w1=WARN, w2]', e2, true],
      ['[w1=ERROR || w1=WARN, w2]', e3, true],
      // The page claims [w1!=ERROR&&w1!=WARN, w2] "matches lines containing both ERROR and WARN
      // (pattern 1)"; pattern 1 has three fields and its first word IS "ERROR", so no reading of the
      // documented grammar can match it. We keep the grammar.
      ['[w1!=ERROR&&w1!=WARN, w2]', e1, false],
      ['[w1!=ERROR&&w1!=WARN, w2]', e2, false],
      ['[w1!=ERROR&&w1!=WARN, w2]', 'INFO message', true],
    ]);
  });
  describe('JSON: {$.foo = bar} matches 1, {$.foo = baz } matches 2, the || matches both', () => {
    run([
      ['{$.foo = bar}', '{"foo": "bar"}', true],
      ['{$.foo = bar}', '{"foo": "baz"}', false],
      ['{$.foo = baz }', '{"foo": "bar"}', false],
      ['{$.foo = baz }', '{"foo": "baz"}', true],
      ['{$.foo = bar || $.foo = baz }', '{"foo": "bar"}', true],
      ['{$.foo = bar || $.foo = baz }', '{"foo": "baz"}', true],
    ]);
  });
});

// The example JSON of metric-filter-examples ([rev1]; [rev2] drops ThisFlag), on one line as the page asks.
const EXAMPLE_JSON = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
});

describe('[rev1]/[rev2] JSON metric filter examples: "The following filters would match"', () => {
  run([
    ['{ $.eventType = "UpdateTrail" }', EXAMPLE_JSON, true],
    ['{ $.sourceIPAddress != 123.123.* }', EXAMPLE_JSON, true],
    ['{ $.arrayKey[0] = "value" }', EXAMPLE_JSON, true],
    ['{ $.objectList[1].id = 2 }', EXAMPLE_JSON, true],
    ['{ $.SomeObject IS NULL }', EXAMPLE_JSON, true],
    ['{ $.SomeOtherObject NOT EXISTS }', EXAMPLE_JSON, true],
    ['{ $.ThisFlag IS TRUE }', EXAMPLE_JSON, true],
    // "This also works for boolean filters which check for FALSE value."
    ['{ $.ThisFlag IS FALSE }', EXAMPLE_JSON, false],
    ['{ $.ThisFlag IS FALSE }', '{"ThisFlag": false}', true],
    // "If arrayKey is not an array this will be false." / "If objectList is not an array this will be false."
    ['{ $.arrayKey[0] = "value" }', '{"arrayKey": "value"}', false],
    ['{ $.objectList[1].id = 2 }', '{"objectList": {"1": {"id": 2}}}', false],
    // "If the items in objectList are not objects or do not have an id property, this will be false."
    ['{ $.objectList[1].id = 2 }', '{"objectList": [1, 2]}', false],
    ['{ $.objectList[1].id = 2 }', '{"objectList": [{"id": 1}, {"name": "b"}]}', false],
    // "This will only be true is the specified object is set to null." / "... does not exist in log data."
    ['{ $.SomeObject IS NULL }', '{"other": 1}', false],
    ['{ $.SomeObject IS NULL }', '{"SomeObject": "null"}', false],
    ['{ $.eventType NOT EXISTS }', EXAMPLE_JSON, false],
  ]);
});

describe('[rev1] STRING wildcards: *Event matches PutEvent and GetEvent; Event* matches EventId and EventName', () => {
  run([
    ['{ $.eventName = *Event }', '{"eventName": "PutEvent"}', true],
    ['{ $.eventName = *Event }', '{"eventName": "GetEvent"}', true],
    ['{ $.eventName = *Event }', '{"eventName": "EventPut"}', false],
    ['{ $.eventName = Event* }', '{"eventName": "EventId"}', true],
    ['{ $.eventName = Event* }', '{"eventName": "EventName"}', true],
    ['{ $.eventName = Event* }', '{"eventName": "PutEvent"}', false],
    // [rev1] also says "Ev*ent will only match the actual string Ev*ent"; [rev2] dropped that sentence
    // and says only "Use the asterisk as a wild card to match text". We treat * as a wildcard anywhere.
    ['{ $.eventName = Ev*ent }', '{"eventName": "Ev*ent"}', true],
    ['{ $.eventName = Ev*ent }', '{"eventName": "EvXent"}', true],
  ]);
});

const COMPOUND_JSON = JSON.stringify({
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
});

describe('compound-conditions: "() > && > ||"', () => {
  run([
    // [rev1] and [rev2]
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', COMPOUND_JSON, true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', COMPOUND_JSON, false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', COMPOUND_JSON, true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', COMPOUND_JSON, false],
    // [rev2] spells the values quoted
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }', COMPOUND_JSON, true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }', COMPOUND_JSON, false],
  ]);
});

describe('[rev1] JSON special considerations: both {$.users = 1} and {$.users != 1} fail on an array', () => {
  run([
    ['{$.users = 1}', '{"users": [1, 2, 3]}', false],
    ['{$.users != 1}', '{"users": [1, 2, 3]}', false],
  ]);
});

describe('numeric comparisons: every example pattern of [rev1] and [rev2], each with a matching and a non-matching value', () => {
  run([
    ['{ $.latency >= 500 }', '{"latency": 500}', true],
    ['{ $.latency >= 500 }', '{"latency": 499.9}', false],
    ['{ $.numbers[0] < 10e3 }', '{"numbers": [9999]}', true],
    ['{ $.numbers[0] < 10e3 }', '{"numbers": [10000]}', false],
    ['{ $.numbers[0] < 10e-3 }', '{"numbers": [0.009]}', true],
    ['{ $.numbers[0] < 10e-3 }', '{"numbers": [0.01]}', false],
    ['{ $.processes[4].averageRuntime <= 55.5 }', '{"processes": [0, 0, 0, 0, {"averageRuntime": 55.5}]}', true],
    ['{ $.processes[4].averageRuntime <= 55.5 }', '{"processes": [0, 0, 0, 0, {"averageRuntime": 55.51}]}', false],
    ['{ $.errorCode = 400 }', '{"errorCode": 400}', true],
    ['{ $.errorCode = 400 }', '{"errorCode": 401}', false],
    ['{ $.errorCode != 500 }', '{"errorCode": 400}', true],
    ['{ $.errorCode != 500 }', '{"errorCode": 500}', false],
    ['{ $.latency > +1000 }', '{"latency": 1001}', true],
    ['{ $.latency > +1000 }', '{"latency": 1000}', false],
    ['{ $.bandwidth > 75 }', '{"bandwidth": 76}', true],
    ['{ $.bandwidth > 75 }', '{"bandwidth": 75}', false],
    ['{ $.latency < 50 }', '{"latency": 49}', true],
    ['{ $.latency < 50 }', '{"latency": 50}', false],
    ['{ $.refreshRate >= 60 }', '{"refreshRate": 60}', true],
    ['{ $.refreshRate >= 60 }', '{"refreshRate": 59}', false],
    ['{ $.responseTime <= 5 }', '{"responseTime": 5}', true],
    ['{ $.responseTime <= 5 }', '{"responseTime": 6}', false],
    ['{ $.errorCode = 400}', '{"errorCode": 400}', true],
    ['{ $.number[0] = 1e-3 }', '{"number": [0.001]}', true],
    ['{ $.number[0] = 1e-3 }', '{"number": [0.01]}', false],
    ['{ $.number[0] != 1e+3 }', '{"number": [999]}', true],
    ['{ $.number[0] != 1e+3 }', '{"number": [1000]}', false],
  ]);
});

const APACHE = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
];

describe('[rev1] extract-log-event-values: space-delimited patterns over the Apache example', () => {
  const matching = (pattern: string) => APACHE.map((e) => compileFilterPattern(pattern).matches(e));
  test.each([
    ['[ip, user, username, timestamp, request, status_code, bytes]', [true, true, true]],
    ['[..., status_code, bytes]', [true, true, true]],
    ['[ip, user, ..., status_code, bytes]', [true, true, true]],
    ['[ip, user, ...]', [true, true, true]],
    ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', [true, true, true]],
    ['[ip, user, username, timestamp, request, status_code = 200, bytes]', [true, false, true]],
    ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', [false, false, false]],
    ['[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', [false, false, false]],
    ['[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]', [false, false, false]],
    ['[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]', [false, false, false]],
    ['[ip, user, username, timestamp, request, status_code = 5* && status_code != 503, bytes]', [false, true, false]],
    ['[ip, user, username, timestamp, request, status_code = 200 || status_code = 500, bytes > 5000]', [false, true, false]],
  ])('%s', (pattern, expected) => {
    expect(matching(pattern)).toEqual(expected);
  });

  test('one revision writes [..., status_code = 4* && bytes > 1000] (a condition on another field inside status_code\'s entry); later revisions replaced it, and we reject it', () => {
    expect(() => compileFilterPattern('[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]')).toThrow(
      /condition on "bytes" at column 62 is inside the entry for field "status_code"/,
    );
  });

  test('the extracted-fields example: ellipsis fields and the unnamed trailing field extract as $<position>', () => {
    // The page shows the event with JSON-escaped quotes (\") and $request as "GET /products/index.html
    // HTTP/1.0", which is not in its own event; we use the event's real text.
    const event = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
    expect(compileFilterPattern('[..., request=*.html*, status_code=4*,]').match(event)).toEqual({
      matched: true,
      extractedValues: {
        $status_code: '404',
        $request: 'GET /index.html HTTP/1.0',
        $7: '1534',
        $4: '10/Oct/2000:13:25:15 -0700',
        $3: 'frank',
        $2: '-',
        $1: '127.0.0.1',
      },
    });
  });
});

const PROD_EVENT = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

describe('[rev2] extract-log-event-values and pattern-matching-space-delimited', () => {
  test('the seven-field filter extracts the documented values', () => {
    expect(compileFilterPattern('[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]').match(PROD_EVENT)).toEqual({
      matched: true,
      extractedValues: {
        $bytes: '1534',
        $status_code: '404',
        $request: 'GET /index.html HTTP/1.0',
        $timestamp: '10/Oct/2000:13:25:15 -0700',
        $username: 'frank',
        $user: 'Prod',
        $ip: '127.0.0.1',
      },
    });
  });

  run([
    ['[..., request =*.html*, status_code = 4*, bytes]', PROD_EVENT, true],
    ['[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]', PROD_EVENT, true],
    ['[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]', PROD_EVENT.replace(' 404 ', ' 410 '), true],
    ['[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]', PROD_EVENT.replace(' 404 ', ' 500 '), false],
    // "returns log events where the first word in the log events is ERROR"
    ['[w1=ERROR, w2]', 'ERROR something', true],
    ['[w1=ERROR, w2]', 'INFO something', false],
    // "first word in the events is ERROR or WARNING" (the page writes the second name as W1)
    ['[w1=ERROR || W1=WARNING, w2]', 'ERROR something', true],
    ['[w1=ERROR || W1=WARNING, w2]', 'WARNING something', true],
    ['[w1=ERROR || W1=WARNING, w2]', 'INFO something', false],
    // "the first words aren't ERROR and WARNING"
    ['[w1!=ERROR && w1!=WARNING, w2]', 'INFO something', true],
    ['[w1!=ERROR && w1!=WARNING, w2]', 'WARNING something', false],
  ]);

  test('logs-metric-filters-dimensions: the space-delimited dimension example extracts $server', () => {
    expect(compileFilterPattern('[ip, server, username, timestamp, request, status_code, bytes > 1000]').match(PROD_EVENT)).toEqual({
      matched: true,
      extractedValues: {
        $bytes: '1534',
        $status_code: '404',
        $request: 'GET /index.html HTTP/1.0',
        $timestamp: '10/Oct/2000:13:25:15 -0700',
        $username: 'frank',
        $server: 'Prod',
        $ip: '127.0.0.1',
      },
    });
  });
});

describe('[rev2] JSON dimension and metric-value examples', () => {
  run([
    // "increments the metric whenever a JSON log event contain the properties eventType and sourceIPAddress"
    ['{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', EXAMPLE_JSON, true],
    ['{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', '{"sourceIPAddress": "111.111.111.111"}', false],
    ['{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', '{"eventType": "x", "sourceIPAddress": "123.123.0.1"}', false],
    // publishing-values-found-in-logs: { $.latency = * } matches {"latency": 50, "requestType": "GET"}
    ['{ $.latency = * }', '{"latency": 50, "requestType": "GET"}', true],
    ['{ $.latency = * }', '{"requestType": "GET"}', false],
  ]);
});

describe('[rev2] matching-terms-events: unstructured examples', () => {
  const e400 = '[ERROR 400] BAD REQUEST';
  const e401 = '[ERROR 401] UNAUTHORIZED REQUEST';
  const e419 = '[ERROR 419] MISSING ARGUMENTS';
  const e420 = '[ERROR 420] INVALID ARGUMENTS';
  run([
    ['ERROR', e400, true],
    ['ERROR', e401, true],
    ['ERROR', e419, true],
    ['ERROR', e420, true],
    ['ERROR ARGUMENTS', e419, true],
    ['ERROR ARGUMENTS', e420, true],
    ['ERROR ARGUMENTS', e400, false],
    ['ERROR ARGUMENTS', e401, false],
    ['?ERROR ?ARGUMENTS', e400, true],
    ['?ERROR ?ARGUMENTS', e401, true],
    ['?ERROR ?ARGUMENTS', e419, true],
    ['?ERROR ?ARGUMENTS', e420, true],
    ['?ERROR ?ARGUMENTS', '[INFO 200] SUCCESSFUL REQUEST', false],
    ['"INTERNAL SERVER ERROR"', '[ERROR 500] INTERNAL SERVER ERROR', true],
    ['"INTERNAL SERVER ERROR"', '[ERROR 500] INTERNAL ERROR', false],
    ['ERROR -ARGUMENTS', e400, true],
    ['ERROR -ARGUMENTS', e401, true],
    ['ERROR -ARGUMENTS', e419, false],
    ['ERROR -ARGUMENTS', e420, false],
    // "You can match everything in your log events with double quotation marks": " "
    ['" "', e400, true],
    ['" "', 'x', true],
  ]);
});

describe('[current] question marks combined with other terms, and standalone regex', () => {
  run([
    // "If you combine ? with other filter patterns, the question mark (?) will be ignored":
    // ?ERROR ?ARGUMENTS REQUEST matches every event containing REQUEST.
    ['?ERROR ?ARGUMENTS REQUEST', '[INFO 200] SUCCESSFUL REQUEST', true],
    ['?ERROR ?ARGUMENTS REQUEST', '[WARN] UNAUTHORIZED REQUEST', true],
    ['?ERROR ?ARGUMENTS REQUEST', '[ERROR 419] MISSING ARGUMENTS', false],
    // %AUTHORIZED% "returns log event messages, such as [ERROR 401] UNAUTHORIZED REQUEST, [SUCCESS 200] AUTHORIZED REQUEST"
    ['%AUTHORIZED%', '[ERROR 401] UNAUTHORIZED REQUEST', true],
    ['%AUTHORIZED%', '[SUCCESS 200] AUTHORIZED REQUEST', true],
    ['%AUTHORIZED%', '[ERROR 400] BAD REQUEST', false],
  ]);

  test('"%something!% would be rejected since ! is not supported"; "The ( and ) operators are not supported"', () => {
    expect(() => compileFilterPattern('%something!%')).toThrow(/unsupported character "!" at column 11/);
    expect(() => compileFilterPattern('%(gray|grey)%')).toThrow(/unsupported character "\(" at column 2/);
  });
});
