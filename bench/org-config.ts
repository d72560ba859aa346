/**
 * Generates an organization config for benchmarks: N member accounts, R governed regions (the
 * default-enabled regions first), full default monitoring.
 */
import { DEFAULT_ENABLED_REGIONS, REGION_NAMES } from '../lib/core/regions';

export function generateOrganizationYaml(accounts: number, regions: number): string {
  const pool = [...DEFAULT_ENABLED_REGIONS, ...REGION_NAMES.filter((r) => !DEFAULT_ENABLED_REGIONS.includes(r))];
  if (regions < 1 || regions > pool.length) throw new Error(`--regions must be 1..${pool.length}`);
  const governed = pool.slice(0, regions);
  const id = (n: number) => String(100000000000 + n);
  const lines = [
    'organization:',
    '  id: o-bench00000001',
    `  homeRegion: ${governed[0]}`,
    `  regions: [${governed.join(', ')}]`,
    `  managementAccount: { id: "${id(1)}", name: management }`,
    `  logArchiveAccount: { id: "${id(2)}", name: log-archive }`,
    `  securityAccount: { id: "${id(3)}", name: security }`,
    'accounts:',
  ];
  for (let i = 0; i < accounts; i++) lines.push(`  - { id: "${id(1000 + i)}", name: member-${String(i).padStart(5, '0')} }`);
  return lines.join('\n') + '\n';
}
