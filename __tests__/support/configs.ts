/** Small configs for tests, as YAML text (so errors carry real line numbers). */
import { ConfigError, parseConfigText } from '../../lib/config/load';
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

/**
 * The problems of a config that must be refused, one per line as the error lists them ("path:
 * message (file:line:col)"); fails the test if the text is accepted or fails otherwise.
 */
export function problemsOf(yaml: string, file = 'trailwatch.yaml'): string[] {
  try {
    parseConfigText(yaml, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split('\n').slice(1).map((l) => l.replace(/^ {2}- /, ''));
  }
  throw new Error('expected the config to be rejected');
}

/** The ConfigError lines (bullets kept) of MINIMAL_YAML plus `extraYaml`, which must be refused. */
export function refusal(extraYaml: string): string[] {
  try {
    minimalConfig(extraYaml);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n').slice(1);
    throw e;
  }
  throw new Error('the config was accepted');
}
