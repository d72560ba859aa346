/** Small configs for tests, as YAML text (so errors carry real line numbers). */
import { parseConfigText } from '../../lib/config/load';
import type { ParsedConfig } from '../../lib/config/schema';

export const MINIMAL_YAML = `organization:
  id: o-a1b2c3d4e5
  homeRegion: us-east-1
  regions: [us-east-1, eu-west-1]
  managementAccount: { id: "111111111111", name: management }
  logArchiveAccount: { id: "222222222222", name: log-archive }
accounts:
  - { id: "444444444444", name: prod-app }
  - { id: "555555555555", name: dev-app, regions: [eu-west-1] }
`;

export function minimalConfig(extraYaml = ''): ParsedConfig {
  return parseConfigText(MINIMAL_YAML + extraYaml, 'test.yaml');
}
