/**
 * Body of a parallel-synth worker thread: plans its copy of the config once, synthesizes its share
 * of stacks in batches and posts the manifest entries. Started as synth-worker.js (beside
 * parallel-synth: from the sources it loads this file through tsx; in dist/ it is this file's own bundle).
 */
import { parentPort, workerData } from 'worker_threads';
import type { BackendConfig } from '../backend/schema';
import type { ParsedConfig } from '../config/schema';
import { planAll } from '../plan/plan';
import { synthBatches } from './parallel-synth';

const { config, backend, stackNames, outdir, batchSize } = workerData as { config: ParsedConfig; backend: BackendConfig; stackNames: string[]; outdir: string; batchSize: number };
const entries = synthBatches({ ...planAll(config), backend }, stackNames, outdir, batchSize, (n) => parentPort!.postMessage({ batch: n }));
parentPort!.postMessage({ entries });
