/**
 * Who can read the archive once the query section is on: the archive bucket and key policies with
 * and without it, evaluated by the strict emulator's policy evaluation (__tests__/e2e/strict_policies.py)
 * over a matrix of principals, actions and request contexts. The only decisions that change are the
 * query role's: list the log prefix, get objects under it, decrypt through S3.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseConfigText } from '../../lib/config/load';
import { planOrganization } from '../../lib/core/organization';
import { archivePolicyDocuments } from '../../lib/trail/archive-policies';
import { MINIMAL_YAML } from '../support/configs';

const BUCKET = 'arn:aws:s3:::trailwatch-cloudtrail-222222222222-us-east-1';
const ROLE = 'arn:aws:iam::333333333333:role/trailwatch-athena-query';
const ORG_LOG = `${BUCKET}/AWSLogs/o-a1b2c3d4e5/444444444444/CloudTrail/us-east-1/2026/11/02/x.json.gz`;
const CT = { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/trailwatch' };

function policies(readers: string, query: boolean) {
  const yaml = MINIMAL_YAML.replace('accounts:\n', '  securityAccount: { id: "333333333333", name: security }\naccounts:\n') +
    `trail:\n  archive:\n    readerAccounts: ${readers}\n${query ? '    query: { engine: athena }\n' : ''}`;
  return archivePolicyDocuments(planOrganization(parseConfigText(yaml, 'test.yaml')));
}

const PRINCIPALS: Record<string, { account?: string; arns?: string[]; service?: string }> = {
  'query role': { account: '333333333333', arns: [ROLE, 'arn:aws:sts::333333333333:assumed-role/trailwatch-athena-query/s'] },
  'another role of the security account': { account: '333333333333', arns: ['arn:aws:iam::333333333333:role/analyst'] },
  'a role of the same name in a member account': { account: '444444444444', arns: ['arn:aws:iam::444444444444:role/trailwatch-athena-query'] },
  'a stranger account': { account: '999999999999', arns: ['arn:aws:iam::999999999999:role/x'] },
  'anonymous': {},
  'Athena': { service: 'athena.amazonaws.com' },
};

const REQUESTS: { name: string; policy: 'bucket' | 'key'; action: string; resource: string; context?: Record<string, string> }[] = [
  { name: 'list the organization prefix', policy: 'bucket', action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': 'AWSLogs/o-a1b2c3d4e5/444444444444/CloudTrail/' } },
  { name: 'list the bucket root', policy: 'bucket', action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': '' } },
  { name: 'list another prefix', policy: 'bucket', action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': 'AWSLogs/111111111111/' } },
  { name: 'list without a prefix', policy: 'bucket', action: 's3:ListBucket', resource: BUCKET },
  { name: 'get a log file', policy: 'bucket', action: 's3:GetObject', resource: ORG_LOG },
  { name: 'get an object outside the prefix', policy: 'bucket', action: 's3:GetObject', resource: `${BUCKET}/other/x` },
  { name: 'get an old version', policy: 'bucket', action: 's3:GetObjectVersion', resource: ORG_LOG },
  { name: 'put a log file', policy: 'bucket', action: 's3:PutObject', resource: ORG_LOG },
  { name: 'delete a log file', policy: 'bucket', action: 's3:DeleteObject', resource: ORG_LOG },
  { name: 'read the bucket policy', policy: 'bucket', action: 's3:GetBucketPolicy', resource: BUCKET },
  { name: 'change the bucket policy', policy: 'bucket', action: 's3:PutBucketPolicy', resource: BUCKET },
  { name: 'decrypt through S3', policy: 'key', action: 'kms:Decrypt', resource: '*', context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', ...CT } },
  { name: 'decrypt through S3 of another region', policy: 'key', action: 'kms:Decrypt', resource: '*', context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', ...CT } },
  { name: 'decrypt directly', policy: 'key', action: 'kms:Decrypt', resource: '*', context: CT },
  { name: 'decrypt something else through S3', policy: 'key', action: 'kms:Decrypt', resource: '*', context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
  { name: 'encrypt', policy: 'key', action: 'kms:Encrypt', resource: '*' },
  { name: 'generate a data key', policy: 'key', action: 'kms:GenerateDataKey', resource: '*', context: CT },
  { name: 're-encrypt', policy: 'key', action: 'kms:ReEncryptFrom', resource: '*', context: CT },
  { name: 'create a grant', policy: 'key', action: 'kms:CreateGrant', resource: '*' },
  { name: 'change the key policy', policy: 'key', action: 'kms:PutKeyPolicy', resource: '*' },
];

const EVALUATE = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(__dirname, '../e2e'))})
from strict_policies import Principal, Request, evaluate
job = json.load(sys.stdin)
out = {}
for pname, p in job["principals"].items():
    principal = Principal(service=p.get("service"), account=p.get("account"), arns=tuple(p.get("arns", [])))
    for r in job["requests"]:
        ctx = {"aws:SecureTransport": "true", **r.get("context", {})}
        out[pname + " | " + r["name"]] = evaluate(job["policy"][r["policy"]], Request(principal, r["action"], r["resource"], ctx)).allowed
print(json.dumps(out))
`;

function decisions(docs: { bucketPolicy: string; keyPolicy: string }): Record<string, boolean> {
  const job = { principals: PRINCIPALS, requests: REQUESTS, policy: { bucket: docs.bucketPolicy, key: docs.keyPolicy } };
  const r = spawnSync('python3', ['-c', EVALUATE], { input: JSON.stringify(job), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function changed(before: Record<string, boolean>, after: Record<string, boolean>): string[] {
  return Object.keys(after).filter((k) => after[k] !== before[k]).map((k) => `${after[k] ? '+' : '-'} ${k}`).sort();
}

describe('the query role reads exactly the log prefix, and nobody else gains access', () => {
  test('security account not a reader: only the role gains list, get and decrypt through S3', () => {
    expect(changed(decisions(policies('[log-archive]', false)), decisions(policies('[log-archive]', true)))).toEqual([
      '+ query role | decrypt through S3',
      '+ query role | get a log file',
      '+ query role | list the organization prefix',
    ]);
  });

  test('with the default readers (the security account root reads already) nothing changes for anyone else', () => {
    const d = changed(decisions(policies('[log-archive, security]', false)), decisions(policies('[log-archive, security]', true)));
    expect(d.every((x) => x.startsWith('+ query role | '))).toBe(true);
  });

  test('the role still cannot write, delete, re-encrypt or change policies', () => {
    const after = decisions(policies('[log-archive]', true));
    for (const r of ['put a log file', 'delete a log file', 'change the bucket policy', 'change the key policy', 'encrypt', 're-encrypt', 'decrypt directly', 'list the bucket root', 'get an object outside the prefix', 'get an old version']) {
      expect([r, after[`query role | ${r}`]]).toEqual([r, false]);
    }
  });
});
