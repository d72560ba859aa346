/** Each planned bucket encrypts by default with the planned algorithm (and key, when it is known before apply). */
import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { show } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

type Rec = Record<string, unknown>;

export const archiveEncryption: Check = {
  id: 'archive-encryption',
  title: 'The archive buckets encrypt with the planned algorithm and key',
  severity: 'high',
  actions: ['s3:GetEncryptionConfiguration'],
  applies: (account, region) => resourcesOf(account, 'aws_s3_bucket_server_side_encryption_configuration', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_s3_bucket_server_side_encryption_configuration', region)) {
      const bucket = String(planned.values.bucket);
      const rule = ((planned.values.rule as Rec[] | undefined)?.[0]?.apply_server_side_encryption_by_default ?? {}) as Rec;
      let found;
      try {
        found = (await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      } catch (e) {
        if (errorName(e) === 'NoSuchBucket') continue; // archive-public-access reports it
        if (errorName(e) !== 'ServerSideEncryptionConfigurationNotFoundError') throw e;
      }
      const key = typeof rule.kms_master_key_id === 'string' ? rule.kms_master_key_id : undefined;
      if (found?.SSEAlgorithm !== rule.sse_algorithm || (key !== undefined && found?.KMSMasterKeyID !== key)) {
        problems.push({
          resource: `bucket ${bucket}`,
          expected: `default encryption ${show(rule.sse_algorithm)}${key ? ` with ${key}` : ''}`,
          found: found ? `default encryption ${show(found.SSEAlgorithm)}${found.KMSMasterKeyID ? ` with ${found.KMSMasterKeyID}` : ''}` : 'no default encryption',
          fix: redeploy(account),
        });
      }
    }
    return problems;
  },
};
