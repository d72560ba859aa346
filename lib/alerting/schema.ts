/**
 * `alerting:` section of trailwatch.yaml: the KMS-encrypted SNS topic every alarm and EventBridge
 * rule of an account publishes to, and who is subscribed to it.
 */
import { z } from 'zod';
import type { ConfigProblem } from '../core/problems';

const describeValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : String(v));

const EmailSubscription = z.strictObject({
  protocol: z.literal('email'),
  endpoint: z
    .string({ error: (iss) => `expected an email address, got ${describeValue(iss.input)}` })
    .regex(/^[^@\s"\\]+@[^@\s"\\]+\.[A-Za-z]{2,}$/, { error: (iss) => `expected an email address for protocol email, got ${describeValue(iss.input)}` })
    .meta({ description: 'Email address; AWS mails a confirmation link that must be clicked once.' }),
});

const HttpsSubscription = z.strictObject({
  protocol: z.literal('https'),
  endpoint: z
    .string({ error: (iss) => `expected an https URL, got ${describeValue(iss.input)}` })
    .refine(isHttpsUrl, { error: (iss) => `expected an https:// URL for protocol https, got ${describeValue(iss.input)}` })
    .meta({ description: 'https:// URL that confirms the subscription (SNS posts a SubscriptionConfirmation).' }),
  rawMessageDelivery: z.boolean().optional().meta({ description: 'Post the alarm message without the SNS envelope. @default false' }),
});

const SqsSubscription = z.strictObject({
  protocol: z.literal('sqs'),
  endpoint: z
    .string({ error: (iss) => `expected an SQS queue ARN, got ${describeValue(iss.input)}` })
    .regex(/^arn:aws:sqs:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/, {
      error: (iss) => `expected an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>) for protocol sqs, got ${describeValue(iss.input)}`,
    })
    .refine((a) => !a.endsWith('.fifo'), { error: 'a FIFO queue cannot subscribe to the (standard) alert topic; use a standard queue' })
    .meta({ description: "SQS queue ARN; the queue's policy must allow sns.amazonaws.com to send from the alert topic." }),
  rawMessageDelivery: z.boolean().optional().meta({ description: 'Send the alarm message without the SNS envelope. @default false' }),
});

const LambdaSubscription = z.strictObject({
  protocol: z.literal('lambda'),
  endpoint: z
    .string({ error: (iss) => `expected a Lambda function ARN, got ${describeValue(iss.input)}` })
    .regex(/^arn:aws:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/, {
      error: (iss) => `expected a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>) for protocol lambda, got ${describeValue(iss.input)}`,
    })
    .meta({ description: 'Lambda function ARN; the function must allow sns.amazonaws.com to invoke it from the alert topic.' }),
});

const PROTOCOLS = ['email', 'https', 'sqs', 'lambda'];

export const SubscriptionSchema = z
  .discriminatedUnion('protocol', [EmailSubscription, HttpsSubscription, SqsSubscription, LambdaSubscription], {
    error: (iss) => {
      const p = (iss.input as { protocol?: unknown } | undefined)?.protocol;
      const hint = p === 'http' ? ' (plain http is not allowed: alerts carry account details; use https)' : '';
      return `expected protocol ${PROTOCOLS.join(', ')}, got ${describeValue(p)}${hint}`;
    },
  })
  .meta({ description: 'One subscriber of the alert topic: protocol and endpoint (checked per protocol).' });

export const AlertingSchema = z
  .strictObject({
    topicName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, { error: (iss) => `expected a topic name of 1-256 letters, digits, - and _, got ${describeValue(iss.input)}` })
      .optional()
      .meta({ description: 'Name of the SNS topic the alarms notify (KMS-encrypted with its own key). @default trailwatch-alerts' }),
    displayName: z.string().min(1).max(100).optional().meta({ description: 'Sender name of email notifications. @default none' }),
    notifyOn: z
      .strictObject({
        alarm: z.boolean().optional().meta({ description: 'Notify when an alarm fires. @default true' }),
        ok: z.boolean().optional().meta({ description: 'Notify when an alarm returns to OK. @default false' }),
        insufficientData: z.boolean().optional().meta({ description: 'Notify when an alarm lacks data. @default false' }),
      })
      .optional()
      .meta({ description: 'Which alarm state changes notify the topic.' }),
    subscriptions: z.array(SubscriptionSchema).optional().meta({ description: 'Who receives alerts. @default none (the topic still receives every alarm)' }),
  })
  .meta({ description: 'Where alerts go: the KMS-encrypted SNS topic the alarms (and EventBridge rules) publish to, and its subscriptions.' });

export type AlertingConfig = z.output<typeof AlertingSchema>;
export type SubscriptionConfig = z.output<typeof SubscriptionSchema>;

function isHttpsUrl(v: string): boolean {
  if (!/^https:\/\/[^\s"\\]+$/.test(v)) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.hostname.length > 0 && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The same endpoint subscribed twice. */
export function alertingProblems(alerting: AlertingConfig | undefined): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  (alerting?.subscriptions ?? []).forEach((s, i) => {
    const key = `${s.protocol} ${s.endpoint}`;
    const first = seen.get(key);
    if (first !== undefined) out.push({ path: ['alerting', 'subscriptions', i], message: `subscribes ${s.endpoint} (${s.protocol}) again, like subscriptions[${first}]; remove one` });
    else seen.set(key, i);
  });
  return out;
}
