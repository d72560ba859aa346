/** README's limits table says what lib/quotas checks. */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_LIMITS } from '../../lib/quotas/limits';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const section = (title: string) => readme.slice(readme.indexOf(`## ${title}`), readme.indexOf('\n## ', readme.indexOf(`## ${title}`) + 3));

test('the limits table lists every limit with its value, and cites every source', () => {
  const limits = section('AWS limits (quota preflight)');
  for (const l of ALL_LIMITS) {
    expect(limits).toContain(l.source);
    expect(limits).toContain(l.limit.toLocaleString('en-US'));
  }
});
