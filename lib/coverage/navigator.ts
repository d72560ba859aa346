/**
 * The coverage as a MITRE ATT&CK Navigator layer (layer format 4.5,
 * https://github.com/mitre-attack/attack-navigator/blob/master/layers/spec/v4.5/layerformat.md):
 * one technique entry per tactic it appears under, scored by how many detections cover it there
 * (0: a gap, with the reason as comment). Open it in the Navigator with "Open Existing Layer".
 */
import type { Coverage } from './coverage';

export const NAVIGATOR_LAYER_VERSION = '4.5';

export interface NavigatorTechnique {
  readonly techniqueID: string;
  readonly tactic: string;
  readonly score: number;
  readonly comment: string;
  readonly enabled: boolean;
  readonly metadata: readonly { readonly name: string; readonly value: string }[];
}

export interface NavigatorLayer {
  readonly name: string;
  readonly versions: { readonly attack: string; readonly navigator: string; readonly layer: string };
  readonly domain: 'enterprise-attack';
  readonly description: string;
  readonly sorting: number;
  readonly layout: { readonly layout: 'side'; readonly showID: boolean; readonly showName: boolean };
  readonly hideDisabled: boolean;
  readonly techniques: readonly NavigatorTechnique[];
  readonly gradient: { readonly colors: readonly string[]; readonly minValue: number; readonly maxValue: number };
  readonly legendItems: readonly { readonly label: string; readonly color: string }[];
}

/** The Navigator's tactic short name ("Defense Evasion" -> "defense-evasion"). */
export const tacticShortName = (name: string) => name.toLowerCase().replace(/\s+/g, '-');

export interface LayerOptions {
  readonly name: string;
  readonly description: string;
  /** Count only these detections (verify: those verified as deployed). @default every enabled detection */
  readonly only?: ReadonlySet<string>;
}

export function navigatorLayer(coverage: Coverage, options: LayerOptions): NavigatorLayer {
  const techniques: NavigatorTechnique[] = [];
  for (const tactic of coverage.tactics) {
    for (const t of tactic.techniques) {
      const counted = t.detections.filter((d) => options.only?.has(d.id) ?? true);
      techniques.push({
        techniqueID: t.id,
        tactic: tacticShortName(tactic.name),
        score: counted.length,
        comment: counted.length > 0 ? `${counted.length} detection(s): ${counted.map((d) => `${d.id} (${d.path})`).join(', ')}` : (t.note ?? 'no detection'),
        enabled: true,
        metadata: counted.map((d) => ({ name: d.kind, value: d.id })),
      });
    }
  }
  const max = Math.max(1, ...techniques.map((t) => t.score));
  return {
    name: options.name,
    versions: { attack: '16', navigator: '5.2.0', layer: NAVIGATOR_LAYER_VERSION },
    domain: 'enterprise-attack',
    description: options.description,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true },
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#ff6666', '#ffe766', '#8ec843'], minValue: 0, maxValue: max },
    legendItems: [
      { label: 'no detection', color: '#ff6666' },
      { label: `${max} detection(s)`, color: '#8ec843' },
    ],
  };
}
