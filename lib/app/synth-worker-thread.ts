/**
 * Body of a parallel-synth worker thread: synthesizes its share of stacks in batches and posts the
 * manifest entries. Started as synth-worker.js (beside parallel-synth: from the sources it loads
 * this file through tsx; in dist/ it is this file's own bundle).
 */
import { parentPort, workerData } from 'worker_threads';
import type { ParsedConfig } from '../config/schema';
import { synthBatches } from './parallel-synth';

const { config, stackNames, outdir, batchSize } = workerData as { config: ParsedConfig; stackNames: string[]; outdir: string; batchSize: number };
const entries = synthBatches(config, stackNames, outdir, batchSize, (n) => parentPort!.postMessage({ batch: n }));
parentPort!.postMessage({ entries });
