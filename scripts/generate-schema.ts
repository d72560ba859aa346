/** Writes trailwatch.schema.json and docs/config-reference.md from the zod schema. */
import * as fs from 'fs';
import * as path from 'path';
import { configJsonSchema, configReferenceMarkdown } from '../lib/config/json-schema';

const root = path.join(__dirname, '..');
fs.writeFileSync(path.join(root, 'trailwatch.schema.json'), JSON.stringify(configJsonSchema(), null, 2) + '\n');
fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
fs.writeFileSync(path.join(root, 'docs/config-reference.md'), configReferenceMarkdown());
process.stderr.write('wrote trailwatch.schema.json and docs/config-reference.md\n');
