import * as fs from 'fs';
import * as path from 'path';

/** trailwatch's version, from its package.json (found from here in lib/cli/ and in dist/lib/cli/). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'trailwatch' && pkg.version) return pkg.version;
    } catch {
      // not here: one folder up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
