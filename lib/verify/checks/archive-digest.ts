/**
 * A trail with log file validation has a recent digest file in its archive. CloudTrail delivers one
 * digest file per hour to `optional-prefix/AWSLogs/[O-ID/]account/CloudTrail-Digest/region/YYYY/MM/DD/`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html);
 * none for longer than verify.maxDigestAgeHours means validation has stopped proving the logs whole.
 * The bucket is read in the account that owns it (the log archive), with that account's role.
 */
import { ListObjectsV2Command, type _Object } from '@aws-sdk/client-s3';
import { resourcesOf } from '../planned';
import { allPages, errorName, type Check, type Problem } from '../types';

const day = (d: Date) => `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;

export const archiveDigest: Check = {
  id: 'archive-digest',
  title: 'The archive holds a recent digest file of the trail',
  severity: 'high',
  actions: ['s3:ListBucket'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudtrail', region).some((t) => t.values.enable_log_file_validation === true && typeof t.values.s3_bucket_name === 'string'),
  async run({ account, accounts, region, organization, clientsFor, settings, now }) {
    const problems: Problem[] = [];
    for (const trail of resourcesOf(account, 'aws_cloudtrail', region)) {
      if (trail.values.enable_log_file_validation !== true || typeof trail.values.s3_bucket_name !== 'string') continue;
      const bucket = trail.values.s3_bucket_name;
      const owner =
        accounts.find((a) => resourcesOf(a, 'aws_s3_bucket').some((b) => b.values.bucket === bucket))?.plan ??
        organization.accounts.find((a) => a.role === 'log-archive')!;
      const prefix = typeof trail.values.s3_key_prefix === 'string' && trail.values.s3_key_prefix !== '' ? `${trail.values.s3_key_prefix}/` : '';
      const base = `${prefix}AWSLogs/${trail.values.is_organization_trail === true ? `${organization.organizationId}/` : ''}${account.plan.accountId}/CloudTrail-Digest/${region}/`;
      const s3 = clientsFor(owner, owner.primaryRegion).s3;
      let newest: Date | undefined;
      try {
        // Today's folder, else yesterday's (just after midnight UTC today's is still empty).
        for (const d of [now, new Date(now.getTime() - 86_400_000)]) {
          const objects = await allPages<_Object>(async (ContinuationToken) => {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${base}${day(d)}/`, ContinuationToken }));
            return { items: page.Contents, next: page.NextContinuationToken };
          });
          for (const o of objects) if (o.LastModified && (!newest || o.LastModified > newest)) newest = o.LastModified;
          if (newest) break;
        }
      } catch (e) {
        if (errorName(e) === 'NoSuchBucket') continue; // archive-public-access reports it
        throw e;
      }
      const hours = newest ? (now.getTime() - newest.getTime()) / 3_600_000 : Infinity;
      if (hours > settings.maxDigestAgeHours) {
        problems.push({
          resource: `trail ${String(trail.values.name)} digest files in s3://${bucket}/${base}`,
          expected: `a digest file in the last ${settings.maxDigestAgeHours} hours (CloudTrail delivers one per hour; verify.maxDigestAgeHours)`,
          found: newest ? `newest ${newest.toISOString()} (${Math.round(hours)} hours ago)` : 'none today or yesterday',
          fix: 'check the trail-logging findings (LatestDigestDeliveryError) and the archive bucket and key policies',
        });
      }
    }
    return problems;
  },
};
