/** The planned trail exists, is logging, delivered recently and reports no delivery error. */
import { GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

const DELIVERY_ERRORS = [
  ['LatestDeliveryError', 'S3 delivery'],
  ['LatestCloudWatchLogsDeliveryError', 'CloudWatch Logs delivery'],
  ['LatestDigestDeliveryError', 'digest delivery'],
] as const;

export const trailLogging: Check = {
  id: 'trail-logging',
  title: 'The trail is logging and delivering without errors',
  severity: 'critical',
  actions: ['cloudtrail:GetTrailStatus'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudtrail', region).length > 0,
  async run({ account, region, clients, settings, now }) {
    const problems: Problem[] = [];
    for (const trail of resourcesOf(account, 'aws_cloudtrail', region)) {
      const name = String(trail.values.name);
      const resource = `trail ${name}`;
      let status;
      try {
        status = await clients.cloudtrail.send(new GetTrailStatusCommand({ Name: name }));
      } catch (e) {
        if (errorName(e) !== 'TrailNotFoundException') throw e;
        problems.push({ resource, expected: 'the trail', found: 'no such trail', fix: redeploy(account) });
        continue;
      }
      if (trail.values.enable_logging !== false && !status.IsLogging) {
        problems.push({
          resource,
          expected: 'IsLogging true',
          found: `logging stopped${status.StopLoggingTime ? ` at ${status.StopLoggingTime.toISOString()}` : ''}`,
          fix: `aws cloudtrail start-logging --name ${name} --region ${region} (or ${redeploy(account)})`,
        });
      }
      for (const [field, what] of DELIVERY_ERRORS) {
        const error = status[field];
        if (error) problems.push({ severity: 'high', resource, expected: `no ${field}`, found: `${what} fails: ${error}`, fix: 'fix the bucket, key or log group policy the error names, then wait for the next delivery' });
      }
      if (status.IsLogging) {
        const last = status.LatestDeliveryTime;
        const age = last ? (now.getTime() - last.getTime()) / 60_000 : Infinity;
        if (age > settings.maxDeliveryAgeMinutes) {
          problems.push({
            severity: 'high',
            resource,
            expected: `a delivery to S3 in the last ${settings.maxDeliveryAgeMinutes} minutes (verify.maxDeliveryAgeMinutes)`,
            found: last ? `last delivery ${last.toISOString()} (${Math.round(age)} minutes ago)` : 'no delivery yet',
            fix: 'check LatestDeliveryError and the archive bucket policy; CloudTrail delivers about every 5 minutes',
          });
        }
      }
    }
    return problems;
  },
};
