/**
 * Rewrites __tests__/upgrade/resource-addresses.txt from a synth of the example. Run it only when an
 * address change is intended, and say in the commit why replacing those resources is safe.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { outputAddresses } from '../lib/app/addresses';
import { synthToDirectory } from '../lib/app/synth';
import { loadConfigFile } from '../lib/config/load';
import { planAll } from '../lib/plan/plan';

const root = path.join(__dirname, '..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-golden-')), 'cdktf.out');
synthToDirectory(planAll(loadConfigFile(path.join(root, 'trailwatch.yaml'))), out);
const file = path.join(root, '__tests__/upgrade/resource-addresses.txt');
fs.writeFileSync(file, outputAddresses(out).join('\n') + '\n');
process.stderr.write(`wrote ${path.relative(root, file)}\n`);
