import { insightEvent } from '../fixtures/insight-events';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const responder = require('../../lib/responder/lambda/index.js') as typeof import('../../lib/responder/lambda/index.js');

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:trailwatch-alerts';

function harness(destructiveMultiplier?: number) {
  const published: { TopicArn: string; Subject: string; Message: string }[] = [];
  const handler = responder.createHandler({ topicArn: TOPIC, destructiveMultiplier, publish: async (m) => void published.push(m) });
  return { handler, published };
}

describe('insights responder', () => {
  test('a start event: multiplier, top identity and the readable summary are published to the topic', async () => {
    const { handler, published } = harness();
    const s = await handler(insightEvent({ baseline: 0.02, insight: 1.5 }));
    expect(s.multiplier).toBeCloseTo(75);
    expect(s.topIdentity).toBe('arn:aws:sts::444444444444:assumed-role/ci-deployer/session');
    expect(s.flagged).toBe(false); // RunInstances is not destructive
    expect(published).toHaveLength(1);
    expect(published[0].TopicArn).toBe(TOPIC);
    expect(published[0].Subject).toBe('CloudTrail Insight Start: RunInstances 75.00x baseline in 444444444444');
    expect(published[0].Message).toContain('API:            RunInstances (ec2.amazonaws.com)');
    expect(published[0].Message).toContain('Top identity:   arn:aws:sts::444444444444:assumed-role/ci-deployer/session');
    expect(published[0].Message).toContain('Started:        2026-11-01T10:00:00Z');
  });

  test('an end event is summarized with its state and never flagged as destructive', async () => {
    const { handler, published } = harness();
    const s = await handler(insightEvent({ state: 'End', eventName: 'DeleteBucket', baseline: 0.01, insight: 5 }));
    expect(s.state).toBe('End');
    expect(s.destructive).toBe(true);
    expect(s.flagged).toBe(false);
    expect(published[0].Subject).toMatch(/^CloudTrail Insight End: DeleteBucket 500x baseline/);
  });

  test('a zero baseline is new activity, not Infinity', async () => {
    const { handler, published } = harness();
    const s = await handler(insightEvent({ baseline: 0, insight: 2 }));
    expect(s.multiplier).toBeNull();
    expect(published[0].Message).toContain('Multiplier:     new activity (no baseline)');
    expect(published[0].Message).not.toMatch(/Infinity|NaN/);
  });

  test('a zero baseline on a destructive API is flagged', async () => {
    const s = responder.summarize(insightEvent({ eventName: 'DeleteSnapshot', baseline: 0, insight: 3 }));
    expect(s.flagged).toBe(true);
  });

  test('a missing attribution says so instead of inventing an identity', async () => {
    const { handler, published } = harness();
    const s = await handler(insightEvent({ identities: null }));
    expect(s.topIdentity).toBeNull();
    expect(published[0].Message).toContain('Top identity:   not attributed');
  });

  test('a destructive API above the multiplier is flagged in subject and message', async () => {
    const { handler, published } = harness(50);
    const s = await handler(insightEvent({ eventName: 'DeleteDBInstance', eventSource: 'rds.amazonaws.com', baseline: 0.01, insight: 0.6 }));
    expect(s.multiplier).toBeCloseTo(60);
    expect(s.flagged).toBe(true);
    expect(published[0].Subject).toMatch(/^\[DESTRUCTIVE\] CloudTrail Insight Start: DeleteDBInstance 60.00x baseline/);
    expect(published[0].Message.split('\n')[0]).toBe('DESTRUCTIVE API ABOVE 50x BASELINE: investigate now.');
  });

  test('a destructive API below the multiplier is reported but not flagged', async () => {
    const { handler, published } = harness(50);
    const s = await handler(insightEvent({ eventName: 'DeleteDBInstance', baseline: 0.01, insight: 0.4 }));
    expect(s.multiplier).toBeCloseTo(40);
    expect(s.flagged).toBe(false);
    expect(published[0].Subject).not.toContain('DESTRUCTIVE');
  });

  test('the threshold is configurable', () => {
    expect(responder.summarize(insightEvent({ eventName: 'DeleteVolume', baseline: 0.1, insight: 1.5 }), { destructiveMultiplier: 10 }).flagged).toBe(true);
    expect(responder.summarize(insightEvent({ eventName: 'DeleteVolume', baseline: 0.1, insight: 1.5 })).flagged).toBe(false);
    expect(responder.DEFAULT_DESTRUCTIVE_MULTIPLIER).toBe(50);
  });

  // SNS Publish: Subject must be less than 100 characters, without line breaks or control characters.
  test('a long subject is cut to 99 characters, the most SNS accepts', () => {
    const s = responder.summarize(insightEvent({ eventName: 'DeleteVeryLongApiNameThatGoesOnAndOnForeverAndEverAndEverAndEverAndEverAndEver' }));
    expect(s.subject).toHaveLength(99);
    expect(s.subject).toMatch(/CloudTrail Insight Start: DeleteVeryLongApiName/);
  });

  test('a subject never carries line breaks, control or non-ASCII characters (SNS refuses them)', () => {
    const s = responder.summarize(insightEvent({ eventName: 'Delete\nBucket\tPolicy\u00e9\u2028' }));
    expect(s.subject).toMatch(/^[\x20-\x7e]+$/);
    expect(s.subject).toContain('Delete Bucket Policy?');
    expect(responder.snsSubject('\n\t')).toBe('CloudTrail Insight');
  });

  test('below the minimum multiplier nothing is published, unless flagged', async () => {
    const published: unknown[] = [];
    const handler = responder.createHandler({ topicArn: TOPIC, minimumMultiplier: 10, publish: async (m) => void published.push(m) });
    expect((await handler(insightEvent({ baseline: 1, insight: 5 }))).published).toBe(false);
    expect((await handler(insightEvent({ baseline: 1, insight: 15 }))).published).toBe(true);
    expect((await handler(insightEvent({ eventName: 'DeleteUser', baseline: 0, insight: 1 }))).published).toBe(true);
    expect(published).toHaveLength(2);
  });

  test('a publish failure propagates so Lambda retries and then uses the on-failure destination', async () => {
    const handler = responder.createHandler({ topicArn: TOPIC, publish: async () => Promise.reject(new Error('throttled')) });
    await expect(handler(insightEvent({}))).rejects.toThrow('throttled');
  });
});

describe('the Lambda entry point', () => {
  // The runtime's AWS SDK v3 (part of every nodejs18.x and later runtime) stands in for a test double.
  test('publishes through @aws-sdk/client-sns to TOPIC_ARN with the configured multiplier', async () => {
    const sent: unknown[] = [];
    jest.resetModules();
    jest.doMock(
      '@aws-sdk/client-sns',
      () => ({
        SNSClient: class {
          send(cmd: { input: unknown }) {
            sent.push(cmd.input);
            return Promise.resolve({ MessageId: '1' });
          }
        },
        PublishCommand: class {
          constructor(readonly input: unknown) {}
        },
      }),
      { virtual: true },
    );
    const saved = { ...process.env };
    Object.assign(process.env, { TOPIC_ARN: TOPIC, DESTRUCTIVE_MULTIPLIER: '10', MINIMUM_MULTIPLIER: '0' });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../lib/responder/lambda/index.js') as typeof responder;
      const out = await fresh.handler(insightEvent({ eventName: 'DeleteVolume', baseline: 0.1, insight: 1.5 }));
      expect(out.flagged).toBe(true);
      expect(sent).toEqual([{ TopicArn: TOPIC, Subject: expect.stringMatching(/^\[DESTRUCTIVE\] CloudTrail Insight Start: DeleteVolume/), Message: expect.any(String) }]);
    } finally {
      process.env = saved;
      jest.dontMock('@aws-sdk/client-sns');
    }
  });
});
