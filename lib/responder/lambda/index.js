// @ts-check
/**
 * trailwatch Insights responder (AWS Lambda, Node.js runtime, no dependencies beyond the runtime's
 * AWS SDK v3). Triggered by the EventBridge rule for "AWS Insight via CloudTrail": it computes how
 * many times its baseline the anomaly is, names the identity that contributed most, flags
 * destructive APIs (name contains "Delete") above a multiplier, and publishes a summary to SNS.
 *
 * Shipped as-is by cdktf's TerraformAsset (lib/responder/insights-responder.ts): plain JavaScript so
 * the zip needs no build step. The publisher is injected so tests make no AWS calls.
 */
'use strict';

const DEFAULT_DESTRUCTIVE_MULTIPLIER = 50;

/**
 * SNS Publish refuses a Subject of 100 characters or more, or with line breaks or control
 * characters (Amazon SNS API Reference, Publish, "Subject"). Keep printable ASCII only (email
 * subjects are ASCII) so characters, bytes and the limit all agree.
 */
const MAX_SUBJECT_LENGTH = 99;

/** @param {string} text */
function snsSubject(text) {
  const printable = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/[^\u0020-\u007e]/g, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
  return (printable.slice(0, MAX_SUBJECT_LENGTH).trimEnd() || 'CloudTrail Insight');
}

/**
 * @typedef {{ value?: string, average?: number }} AttributionValue
 * @typedef {{ attribute?: string, insight?: AttributionValue[], baseline?: AttributionValue[] }} Attribution
 * @typedef {{
 *   state?: string, eventSource?: string, eventName?: string, insightType?: string,
 *   insightContext?: { statistics?: { baseline?: { average?: number }, insight?: { average?: number }, insightDuration?: number },
 *                      attributions?: Attribution[] }
 * }} InsightDetails
 * @typedef {{ account?: string, region?: string, time?: string, detail?: { eventTime?: string, recipientAccountId?: string, awsRegion?: string, insightDetails?: InsightDetails } }} InsightEvent
 * @typedef {{ subject: string, message: string, multiplier: number | null, topIdentity: string | null, destructive: boolean, flagged: boolean, state: string }} Summary
 */

/**
 * How many times the baseline the anomalous rate is. null when there is no baseline (new activity)
 * or no insight rate: a division by zero would print "Infinity" to a human.
 * @param {number | undefined} baseline
 * @param {number | undefined} insight
 * @returns {number | null}
 */
function multiplierOf(baseline, insight) {
  if (typeof insight !== 'number' || !Number.isFinite(insight)) return null;
  if (typeof baseline !== 'number' || !Number.isFinite(baseline) || baseline <= 0) return null;
  return insight / baseline;
}

/**
 * The identity (user or role ARN) with the highest rate during the insight, if CloudTrail attributed one.
 * @param {Attribution[] | undefined} attributions
 * @returns {string | null}
 */
function topIdentityOf(attributions) {
  const byIdentity = (attributions || []).find((a) => a && a.attribute === 'userIdentityArn');
  const ranked = ((byIdentity && byIdentity.insight) || [])
    .filter((v) => v && typeof v.value === 'string')
    .sort((a, b) => (b.average || 0) - (a.average || 0));
  return ranked.length > 0 ? /** @type {string} */ (ranked[0].value) : null;
}

/** @param {number} n */
function formatRate(n) {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/**
 * @param {InsightEvent} event
 * @param {{ destructiveMultiplier?: number }} [options]
 * @returns {Summary}
 */
function summarize(event, options = {}) {
  const threshold = options.destructiveMultiplier ?? DEFAULT_DESTRUCTIVE_MULTIPLIER;
  const detail = (event && event.detail) || {};
  const d = detail.insightDetails || {};
  const stats = (d.insightContext && d.insightContext.statistics) || {};
  const baseline = stats.baseline && stats.baseline.average;
  const insight = stats.insight && stats.insight.average;
  const multiplier = multiplierOf(baseline, insight);
  const topIdentity = topIdentityOf(d.insightContext && d.insightContext.attributions);
  const eventName = d.eventName || 'unknown API';
  const state = d.state || 'unknown';
  const destructive = /Delete/.test(eventName);
  // No baseline means the API was not called before: for a destructive API that is as alarming as any multiplier.
  const flagged = destructive && state === 'Start' && (multiplier === null ? typeof insight === 'number' && insight > 0 : multiplier >= threshold);
  const account = detail.recipientAccountId || event.account || 'unknown account';
  const region = detail.awsRegion || event.region || 'unknown region';

  const times = multiplier === null ? (typeof insight === 'number' && insight > 0 ? 'new activity (no baseline)' : 'unknown') : `${formatRate(multiplier)}x baseline`;
  const subject = snsSubject(`${flagged ? '[DESTRUCTIVE] ' : ''}CloudTrail Insight ${state}: ${eventName} ${times} in ${account}`);
  const lines = [
    flagged ? `DESTRUCTIVE API ABOVE ${threshold}x BASELINE: investigate now.` : null,
    `Insight:        ${d.insightType || 'unknown'} (${state})`,
    `API:            ${eventName} (${d.eventSource || 'unknown service'})`,
    `Account/region: ${account} / ${region}`,
    `Baseline rate:  ${typeof baseline === 'number' ? `${formatRate(baseline)} calls/min` : 'unknown'}`,
    `Insight rate:   ${typeof insight === 'number' ? `${formatRate(insight)} calls/min` : 'unknown'}`,
    `Multiplier:     ${times}`,
    `Top identity:   ${topIdentity || 'not attributed'}`,
    `Started:        ${detail.eventTime || event.time || 'unknown'}`,
  ].filter((l) => l !== null);
  return { subject, message: lines.join('\n'), multiplier, topIdentity, destructive, flagged, state };
}

/**
 * @param {{ publish: (input: { TopicArn: string, Subject: string, Message: string }) => Promise<unknown>, topicArn: string, destructiveMultiplier?: number, minimumMultiplier?: number }} deps
 */
function createHandler(deps) {
  if (!deps.topicArn) throw new Error('TOPIC_ARN is not set');
  /** @param {InsightEvent} event */
  return async (event) => {
    const summary = summarize(event, { destructiveMultiplier: deps.destructiveMultiplier });
    // Below the minimum multiplier an insight is noise, unless it is flagged or has no baseline to compare with.
    const min = deps.minimumMultiplier || 0;
    if (min > 0 && !summary.flagged && summary.multiplier !== null && summary.multiplier < min) return { ...summary, published: false };
    await deps.publish({ TopicArn: deps.topicArn, Subject: summary.subject, Message: summary.message });
    return { ...summary, published: true };
  };
}

/** @type {((event: InsightEvent) => Promise<Summary & { published: boolean }>) | undefined} */
let lambdaHandler;

/** Lambda entry point: wires the real SNS client on first use. @param {InsightEvent} event */
async function handler(event) {
  if (!lambdaHandler) {
    // The Lambda Node.js runtime ships AWS SDK v3; it is not a dependency of trailwatch itself.
    // @ts-ignore
    const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
    const client = new SNSClient({});
    lambdaHandler = createHandler({
      topicArn: process.env.TOPIC_ARN || '',
      destructiveMultiplier: Number(process.env.DESTRUCTIVE_MULTIPLIER || DEFAULT_DESTRUCTIVE_MULTIPLIER),
      minimumMultiplier: Number(process.env.MINIMUM_MULTIPLIER || 0),
      publish: (input) => client.send(new PublishCommand(input)),
    });
  }
  return lambdaHandler(event);
}

module.exports = { handler, createHandler, summarize, snsSubject, DEFAULT_DESTRUCTIVE_MULTIPLIER, MAX_SUBJECT_LENGTH };
