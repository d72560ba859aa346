/**
 * ATT&CK coverage of a config: for each tactic and technique of ./attack.ts, the enabled detections
 * that cover it (CIS, threat, Sigma, and custom ones tagged with `attack`) and the path each runs on:
 * a metric filter on the trail's log group, EventBridge rules in every account and region, or both.
 * Built from the same plans the stacks are, so it shows what a deploy would run.
 */
import type { DetectionKind } from '../catalog';
import type { Plan } from '../plan/plan';
import { TACTICS, TECHNIQUES, type Technique } from './attack';

export type DetectionPath = 'metric filter' | 'EventBridge' | 'both';

export interface CoveringDetection {
  readonly id: string;
  readonly kind: DetectionKind;
  readonly path: DetectionPath;
}

export interface TechniqueCoverage {
  readonly id: string;
  readonly name: string;
  /** How it is detected overall: the union of its detections' paths, or 'none'. */
  readonly path: DetectionPath | 'none';
  readonly detections: readonly CoveringDetection[];
  /** When it has no detection here: why it is a known gap (see attack.ts), or under which tactics it is detected. */
  readonly note?: string;
}

export interface TacticCoverage {
  readonly id: string;
  readonly name: string;
  readonly techniques: readonly TechniqueCoverage[];
}

export interface Coverage {
  readonly tactics: readonly TacticCoverage[];
  /** Enabled detections without ATT&CK tags (not in the matrix). */
  readonly untagged: readonly string[];
  readonly summary: { readonly techniques: number; readonly covered: number; readonly detections: number };
}

interface Tagged {
  readonly id: string;
  readonly kind: DetectionKind;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly path: DetectionPath;
}

export function computeCoverage(plan: Pick<Plan, 'detections' | 'eventbridge'>): Coverage {
  const monitoring = plan.detections;
  const eventbridge = plan.eventbridge;
  const filters = new Set(monitoring.enabled ? monitoring.detections.map((d) => d.id) : []);
  const rules = new Set(eventbridge.enabled ? eventbridge.detections.map((d) => d.control.id) : []);
  const tagged: Tagged[] = [];
  const untagged: string[] = [];
  for (const d of monitoring.detections) {
    if (d.securityHubCopy) continue; // patternSet both: counted once, as its intent detection
    const f = filters.has(d.id);
    const r = rules.has(d.id);
    if (!f && !r) continue;
    const attack = d.control?.attack ?? d.attack;
    if (!attack || attack.techniques.length === 0) {
      untagged.push(d.id);
      continue;
    }
    tagged.push({ id: d.id, kind: d.kind, tactics: attack.tactics, techniques: attack.techniques, path: f && r ? 'both' : f ? 'metric filter' : 'EventBridge' });
  }

  // Techniques a detection tags that the reference list lacks still appear, under the detection's tactics.
  const known = new Map<string, Technique>(TECHNIQUES.map((t) => [t.id, t]));
  for (const d of tagged) for (const t of d.techniques) if (!known.has(t)) known.set(t, { id: t, name: '(not in the reference list)', tactics: d.tactics });

  const tactics: { id: string; name: string; techniques: TechniqueCoverage[] }[] = TACTICS.map((tactic) => {
    const techniques = [...known.values()]
      .filter((t) => t.tactics.includes(tactic.id))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((t): TechniqueCoverage => {
        // A detection covers the technique under this tactic when it tags both, or tags none of the technique's tactics.
        const detections = tagged
          .filter((d) => d.techniques.includes(t.id) && (d.tactics.includes(tactic.id) || !d.tactics.some((x) => t.tactics.includes(x))))
          .map((d) => ({ id: d.id, kind: d.kind, path: d.path }));
        return { id: t.id, name: t.name, path: union(detections.map((d) => d.path)), detections, ...(detections.length === 0 && t.note ? { note: t.note } : {}) };
      });
    return { id: tactic.id, name: tactic.name, techniques };
  }).filter((t) => t.techniques.length > 0);

  const covered = new Set(tactics.flatMap((t) => t.techniques.filter((x) => x.detections.length > 0).map((x) => x.id)));
  // A technique detected under another tactic only: say where, so the empty cell is not read as a blind spot.
  for (const tactic of tactics) {
    tactic.techniques = tactic.techniques.map((t) => {
      if (t.detections.length > 0 || !covered.has(t.id)) return t;
      const elsewhere = tactics.filter((x) => x.techniques.some((y) => y.id === t.id && y.detections.length > 0)).map((x) => x.name);
      return { ...t, note: `detected under ${elsewhere.join(', ')} (no detection tags ${tactic.name})` };
    });
  }
  return { tactics, untagged, summary: { techniques: known.size, covered: covered.size, detections: tagged.length } };
}

function union(paths: readonly DetectionPath[]): DetectionPath | 'none' {
  if (paths.length === 0) return 'none';
  const f = paths.some((p) => p !== 'EventBridge');
  const r = paths.some((p) => p !== 'metric filter');
  return f && r ? 'both' : f ? 'metric filter' : 'EventBridge';
}

/** The matrix as a Markdown table a security lead can paste into a review. */
export function coverageMarkdown(c: Coverage): string {
  const lines = ['| Tactic | Technique | Detected by | Path |', '| --- | --- | --- | --- |'];
  for (const tactic of c.tactics) {
    for (const t of tactic.techniques) {
      const by = t.detections.length > 0 ? t.detections.map((d) => `${d.id} (${d.kind})`).join(', ') : `**none**${t.note ? `: ${t.note}` : ''}`;
      lines.push(`| ${tactic.name} (${tactic.id}) | ${t.id} ${t.name} | ${by} | ${t.path} |`);
    }
  }
  lines.push('', `${c.summary.covered} of ${c.summary.techniques} techniques covered by ${c.summary.detections} ATT&CK-tagged detections.${c.untagged.length > 0 ? ` Not tagged: ${c.untagged.join(', ')}.` : ''}`);
  return lines.join('\n') + '\n';
}

/** The matrix as aligned text for a terminal. */
export function coverageText(c: Coverage): string {
  const lines: string[] = [];
  for (const tactic of c.tactics) {
    lines.push(`${tactic.name} (${tactic.id})`);
    for (const t of tactic.techniques) {
      const by = t.detections.length > 0 ? t.detections.map((d) => d.id).join(', ') : `NONE${t.note ? ` (${t.note})` : ''}`;
      lines.push(`  ${t.id.padEnd(10)} ${t.path.padEnd(13)} ${t.name}: ${by}`);
    }
  }
  lines.push('', `${c.summary.covered} of ${c.summary.techniques} techniques covered by ${c.summary.detections} ATT&CK-tagged detections${c.untagged.length > 0 ? `; not tagged: ${c.untagged.join(', ')}` : ''}`);
  return lines.join('\n') + '\n';
}
