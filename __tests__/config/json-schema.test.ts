import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { configJsonSchema, configReferenceMarkdown } from '../../lib/config/json-schema';

const root = path.join(__dirname, '../..');

describe('generated schema files', () => {
  test('trailwatch.schema.json is current (run `npm run schema` after changing lib/config)', () => {
    expect(JSON.parse(fs.readFileSync(path.join(root, 'trailwatch.schema.json'), 'utf8'))).toEqual(configJsonSchema());
  });

  test('docs/config-reference.md is current (run `npm run schema` after changing lib/config)', () => {
    expect(fs.readFileSync(path.join(root, 'docs/config-reference.md'), 'utf8')).toBe(configReferenceMarkdown());
  });

  test('the example references the schema for editors', () => {
    expect(fs.readFileSync(path.join(root, 'trailwatch.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./trailwatch.schema.json');
  });

  test('the JSON Schema rejects unknown keys and knows the regions, like the loader', () => {
    const s = configJsonSchema() as any;
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.organization.properties.homeRegion.enum).toContain('eu-west-1');
    expect(s.required).toEqual(['organization']);
    // every top-level key the example uses is documented
    const example = parse(fs.readFileSync(path.join(root, 'trailwatch.yaml'), 'utf8'));
    for (const k of Object.keys(example)) expect(Object.keys(s.properties)).toContain(k);
  });
});
