/** Each planned bucket policy still grants every planned statement (CloudTrail's delivery, TLS only, ...). */
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { missingStatements } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

export const archivePolicy: Check = {
  id: 'archive-policy',
  title: 'The archive bucket policies hold the planned statements',
  severity: 'high',
  actions: ['s3:GetBucketPolicy'],
  applies: (account, region) => resourcesOf(account, 'aws_s3_bucket_policy', region).some((p) => typeof p.values.policy === 'string'),
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_s3_bucket_policy', region)) {
      if (typeof planned.values.policy !== 'string') continue; // known only at apply
      const bucket = String(planned.values.bucket);
      let policy: string | undefined;
      try {
        policy = (await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
      } catch (e) {
        if (errorName(e) === 'NoSuchBucket') continue; // archive-public-access reports it
        if (errorName(e) !== 'NoSuchBucketPolicy') throw e;
      }
      const missing = missingStatements(planned.values.policy, policy);
      if (missing.length > 0) {
        problems.push({ resource: `bucket ${bucket}`, expected: `policy statements ${missing.join(', ')} as planned`, found: policy ? `${missing.join(', ')} missing or changed` : 'no bucket policy', fix: redeploy(account) });
      }
    }
    return problems;
  },
};
