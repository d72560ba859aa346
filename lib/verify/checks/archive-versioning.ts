/** Each planned bucket keeps versions, and holds the planned Object Lock default retention. */
import { GetBucketVersioningCommand, GetObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { show } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

type Rec = Record<string, unknown>;

export const archiveVersioning: Check = {
  id: 'archive-versioning',
  title: 'The archive buckets keep versions and the planned Object Lock retention',
  severity: 'high',
  actions: ['s3:GetBucketVersioning', 's3:GetBucketObjectLockConfiguration'],
  applies: (account, region) =>
    resourcesOf(account, 'aws_s3_bucket_versioning', region).length > 0 || resourcesOf(account, 'aws_s3_bucket_object_lock_configuration', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_s3_bucket_versioning', region)) {
      const bucket = String(planned.values.bucket);
      const want = (planned.values.versioning_configuration as Rec | undefined)?.status;
      let status;
      try {
        status = (await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
      } catch (e) {
        if (errorName(e) === 'NoSuchBucket') continue; // archive-public-access reports it
        throw e;
      }
      if (want !== undefined && status !== want) problems.push({ resource: `bucket ${bucket}`, expected: `versioning ${show(want)}`, found: `versioning ${status ?? 'never enabled'}`, fix: redeploy(account) });
    }
    for (const planned of resourcesOf(account, 'aws_s3_bucket_object_lock_configuration', region)) {
      const bucket = String(planned.values.bucket);
      const retention = ((planned.values.rule as Rec | undefined)?.default_retention ?? {}) as Rec;
      let found;
      try {
        found = (await clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration;
      } catch (e) {
        if (errorName(e) === 'NoSuchBucket') continue;
        if (errorName(e) !== 'ObjectLockConfigurationNotFoundError') throw e;
      }
      const r = found?.Rule?.DefaultRetention;
      // Days and Years are exclusive and at least 1 (S3 DefaultRetention): a 0 (moto answers one) is the unset one.
      const set = (n: unknown) => (n === 0 || n === null ? undefined : n);
      const text = (mode: unknown, days: unknown, years: unknown) =>
        `Object Lock ${show(mode)} ${[set(days) !== undefined && `${show(days)} days`, set(years) !== undefined && `${show(years)} years`].filter(Boolean).join(' and ') || 'without a period'}`;
      if (found?.ObjectLockEnabled !== 'Enabled' || r?.Mode !== retention.mode || set(r?.Days) !== set(retention.days) || set(r?.Years) !== set(retention.years)) {
        problems.push({
          resource: `bucket ${bucket}`,
          expected: text(retention.mode, retention.days, retention.years),
          found: found?.ObjectLockEnabled === 'Enabled' ? (r ? text(r.Mode, r.Days, r.Years) : 'Object Lock without default retention') : 'no Object Lock',
          fix: redeploy(account),
        });
      }
    }
    return problems;
  },
};
