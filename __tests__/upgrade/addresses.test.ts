/**
 * Upgrade safety: the example's resource addresses are part of the public contract. A construct id
 * change renames an address, and Terraform then destroys and recreates that resource (a trail, a
 * log bucket, a KMS key) in every account. If this test fails and the change is intended, run
 * `npm run golden:update` and explain the replacement in the commit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { outputAddresses } from '../../lib/app/addresses';
import { synthConfigFile } from '../support/example';

const GOLDEN = path.join(__dirname, 'resource-addresses.txt');

test('every resource address of the example is unchanged', () => {
  const golden = fs.readFileSync(GOLDEN, 'utf8').split('\n').filter(Boolean);
  const now = outputAddresses(synthConfigFile().outdir);
  const removed = golden.filter((a) => !now.includes(a));
  const added = now.filter((a) => !golden.includes(a));
  // Named in the failure so the reader sees exactly which resources would be replaced.
  expect({ removed, added }).toEqual({ removed: [], added: [] });
});
