/** verify's settings from the config's `verify:` section, defaults applied. */
import type { ParsedConfig } from '../config/schema';
import { VERIFY_DEFAULTS } from './schema';
import type { VerifySettings } from './types';

export function verifySettings(config: ParsedConfig): VerifySettings {
  const v = config.verify ?? {};
  return {
    maxDeliveryAgeMinutes: v.maxDeliveryAgeMinutes ?? VERIFY_DEFAULTS.maxDeliveryAgeMinutes,
    maxInsufficientDataHours: v.maxInsufficientDataHours ?? VERIFY_DEFAULTS.maxInsufficientDataHours,
    maxDigestAgeHours: v.maxDigestAgeHours ?? VERIFY_DEFAULTS.maxDigestAgeHours,
    ignoreAccounts: v.ignoreAccounts ?? [],
  };
}
