/**
 * Resource addresses of synthesized stacks (`<stack> <type>.<name>`, data sources as
 * `data.<type>.<name>`). A changed address is a destroy-and-recreate in every account on the next
 * deploy, so the example's addresses are pinned in __tests__/upgrade/resource-addresses.txt.
 */
import * as fs from 'fs';
import * as path from 'path';

export function stackAddresses(tfJson: { resource?: Record<string, object>; data?: Record<string, object> }): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(tfJson.resource ?? {})) for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  for (const [type, byName] of Object.entries(tfJson.data ?? {})) for (const name of Object.keys(byName)) out.push(`data.${type}.${name}`);
  return out.sort();
}

/** Every address of every stack in a cdktf.out folder, one `<stack> <address>` per line, sorted. */
export function outputAddresses(outdir: string): string[] {
  const stacksDir = path.join(outdir, 'stacks');
  return fs
    .readdirSync(stacksDir)
    .sort()
    .flatMap((stack) => stackAddresses(JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'))).map((a) => `${stack} ${a}`));
}
