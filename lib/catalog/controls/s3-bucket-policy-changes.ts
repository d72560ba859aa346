import type { Control } from '../types';

/** CIS 3.8 / 4.8 / 5.8: bucket ACL, policy, CORS, lifecycle or replication changed. */
export const s3BucketPolicyChanges: Control = {
  id: 's3-bucket-policy-changes',
  title: 'S3 bucket policy changes',
  cis: { 'v1.2.0': '3.8', 'v1.4.0': '4.8', 'v3.0.0': '4.8', 'v5.0.0': '5.8' },
  securityHubControl: 'CloudWatch.8',
  rationale: 'A changed bucket policy or ACL can expose data; watching them shortens the time a permissive policy stays in place.',
  severity: 'medium',
  detection: {
    eventSource: 's3.amazonaws.com',
    eventNames: [
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ],
  },
  exactPatterns: {
    // Security Hub CloudWatch.8 (CIS v1.2.0 3.8, v1.4.0 4.8), verbatim.
    securityhub:
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'S3BucketPolicyChanges',
};
