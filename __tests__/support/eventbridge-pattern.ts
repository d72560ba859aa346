/**
 * An EventBridge event-pattern matcher following the EventBridge user guide ("Event patterns",
 * "Content filtering in event patterns"), for the operators trailwatch renders: exact values,
 * prefix, suffix, wildcard, anything-but (list, prefix, suffix, wildcard), exists, and $or.
 * It exists to test rendered patterns against labelled events; EventBridge itself is the authority.
 */
type Json = unknown;

export function eventMatches(pattern: Record<string, Json>, event: Json): boolean {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
  const obj = event as Record<string, Json>;
  for (const [key, p] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(p as Record<string, Json>[]).some((alt) => eventMatches(alt, event))) return false;
      continue;
    }
    const present = Object.prototype.hasOwnProperty.call(obj, key);
    if (Array.isArray(p)) {
      if (!leafMatches(p, present, obj[key])) return false;
    } else {
      if (!present || !eventMatches(p as Record<string, Json>, obj[key])) return false;
    }
  }
  return true;
}

function leafMatches(list: Json[], present: boolean, value: Json): boolean {
  // An array value matches when any of its elements does.
  const values = Array.isArray(value) ? value : [value];
  return list.some((m) => {
    if (m !== null && typeof m === 'object') {
      const rule = m as Record<string, Json>;
      if ('exists' in rule) return rule.exists === (present && (value === null || typeof value !== 'object' || Array.isArray(value)));
      if (!present) return false;
      return values.some((v) => ruleMatches(rule, v));
    }
    return present && values.some((v) => v === m);
  });
}

function ruleMatches(rule: Record<string, Json>, v: Json): boolean {
  if ('prefix' in rule) return typeof v === 'string' && v.startsWith(rule.prefix as string);
  if ('suffix' in rule) return typeof v === 'string' && v.endsWith(rule.suffix as string);
  if ('wildcard' in rule) return typeof v === 'string' && wildcard(rule.wildcard as string).test(v);
  if ('anything-but' in rule) {
    const ab = rule['anything-but'];
    if (Array.isArray(ab)) return !ab.includes(v);
    if (ab !== null && typeof ab === 'object') {
      const inner = ab as Record<string, Json>;
      if ('wildcard' in inner) {
        const ws = Array.isArray(inner.wildcard) ? (inner.wildcard as string[]) : [inner.wildcard as string];
        return typeof v === 'string' && !ws.some((w) => wildcard(w).test(v));
      }
      return !ruleMatches(inner, v);
    }
    return v !== ab;
  }
  throw new Error(`operator not supported by this test matcher: ${JSON.stringify(rule)}`);
}

function wildcard(w: string): RegExp {
  return new RegExp(`^${w.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** A CloudTrail record as EventBridge delivers it (the record under `detail`), for matching rendered patterns. */
export function asEventBridgeEvent(record: Record<string, unknown>, detailType: string): Record<string, unknown> {
  return {
    version: '0',
    'detail-type': detailType,
    source: `aws.${String(record.eventSource).split('.')[0]}`,
    account: '444444444444',
    region: String(record.awsRegion ?? 'us-east-1'),
    detail: record,
  };
}
