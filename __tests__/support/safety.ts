/**
 * Safety invariants over synthesized stacks, shared by the fuzz test: what no config may turn off
 * silently. Grows with each feature (trail posture, alarm wiring, ...).
 */
import type { ParsedConfig } from '../../lib/config/schema';

type TfJson = Record<string, any>;

export function safetyViolations(config: ParsedConfig, stacks: Record<string, TfJson>): string[] {
  const out: string[] = [];
  const org = config.organization;
  const ids = new Set([org.managementAccount.id, org.logArchiveAccount.id, ...(org.securityAccount ? [org.securityAccount.id] : []), ...config.accounts.map((a) => a.id)]);
  for (const [name, json] of Object.entries(stacks)) {
    // Every provider is pinned to one of the organization's accounts.
    for (const p of (json.provider?.aws ?? []) as TfJson[]) {
      if (!Array.isArray(p.allowed_account_ids) || p.allowed_account_ids.length !== 1 || !ids.has(p.allowed_account_ids[0])) {
        out.push(`${name}: provider ${p.alias ?? '(default)'} is not pinned to one organization account`);
      }
    }
  }
  return out;
}
