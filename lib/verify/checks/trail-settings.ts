/** The trail's settings are the planned ones: log file validation, multi-region, organization, global events, KMS key, bucket, log group. */
import { GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { show } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

const FLAGS = [
  ['enable_log_file_validation', 'LogFileValidationEnabled'],
  ['is_multi_region_trail', 'IsMultiRegionTrail'],
  ['is_organization_trail', 'IsOrganizationTrail'],
  ['include_global_service_events', 'IncludeGlobalServiceEvents'],
] as const;

const VALUES = [
  ['s3_bucket_name', 'S3BucketName'],
  ['s3_key_prefix', 'S3KeyPrefix'],
  ['cloud_watch_logs_group_arn', 'CloudWatchLogsLogGroupArn'],
] as const;

export const trailSettings: Check = {
  id: 'trail-settings',
  title: 'The trail has the planned settings',
  severity: 'high',
  actions: ['cloudtrail:GetTrail'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudtrail', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_cloudtrail', region)) {
      const name = String(planned.values.name);
      const resource = `trail ${name}`;
      let trail;
      try {
        trail = (await clients.cloudtrail.send(new GetTrailCommand({ Name: name }))).Trail;
      } catch (e) {
        if (errorName(e) !== 'TrailNotFoundException') throw e;
      }
      if (!trail) continue; // trail-logging reports the missing trail once
      for (const [arg, field] of FLAGS) {
        const want = planned.values[arg] ?? (arg === 'include_global_service_events');
        if (Boolean(trail[field]) !== want) problems.push({ resource, expected: `${field} ${show(want)}`, found: `${field} ${show(trail[field] ?? false)}`, fix: redeploy(account) });
      }
      for (const [arg, field] of VALUES) {
        const want = planned.values[arg];
        if (typeof want === 'string' && trail[field] !== want) problems.push({ resource, expected: `${field} ${want}`, found: `${field} ${show(trail[field])}`, fix: redeploy(account) });
      }
      if ('kms_key_id' in planned.values) {
        const want = planned.values.kms_key_id;
        // A literal key ARN is compared; an alias or a key created at apply only proves the trail is encrypted.
        const exact = typeof want === 'string' && /^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\//.test(want);
        if (!trail.KmsKeyId || (exact && trail.KmsKeyId !== want)) {
          problems.push({ resource, expected: exact ? `KmsKeyId ${want}` : 'log files encrypted with the planned KMS key (KmsKeyId set)', found: `KmsKeyId ${show(trail.KmsKeyId)}`, fix: redeploy(account) });
        }
      }
    }
    return problems;
  },
};
