/**
 * A problem found in trailwatch.yaml: where (its document path) and what. Every check in every
 * concern returns these; the config loader adds line:column and reports them all at once.
 */
import type { PathSegment } from '../text/config-path';

export type { PathSegment } from '../text/config-path';

export interface ConfigProblem {
  /** Document path, e.g. ['accounts', 2, 'id']. */
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** An error the config accepts when its path, as printed, is listed under `acknowledge:`. @default false */
  readonly acknowledgeable?: boolean;
  /** The lint rule behind it (a pattern's finding), for SARIF. @default none */
  readonly rule?: string;
}
