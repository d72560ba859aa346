/** Each planned bucket blocks public access as planned (all four settings). */
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

const SETTINGS = [
  ['block_public_acls', 'BlockPublicAcls'],
  ['block_public_policy', 'BlockPublicPolicy'],
  ['ignore_public_acls', 'IgnorePublicAcls'],
  ['restrict_public_buckets', 'RestrictPublicBuckets'],
] as const;

export const archivePublicAccess: Check = {
  id: 'archive-public-access',
  title: 'The archive buckets block public access',
  severity: 'critical',
  actions: ['s3:GetBucketPublicAccessBlock'],
  applies: (account, region) => resourcesOf(account, 'aws_s3_bucket_public_access_block', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_s3_bucket_public_access_block', region)) {
      const bucket = String(planned.values.bucket);
      const resource = `bucket ${bucket}`;
      let found: Partial<Record<(typeof SETTINGS)[number][1], boolean>> | undefined;
      try {
        found = (await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration ?? {};
      } catch (e) {
        const name = errorName(e);
        if (name === 'NoSuchBucket') {
          problems.push({ resource, expected: 'the bucket', found: 'no such bucket', fix: redeploy(account) });
          continue;
        }
        if (name !== 'NoSuchPublicAccessBlockConfiguration') throw e;
        found = {};
      }
      const off = SETTINGS.filter(([arg, field]) => planned.values[arg] === true && found[field] !== true).map(([, field]) => field);
      if (off.length > 0) problems.push({ resource, expected: `${off.join(', ')} true`, found: `${off.join(', ')} not set`, fix: redeploy(account) });
    }
    return problems;
  },
};
