// Worker-thread entry of parallel synth: loads TypeScript through tsx (whatever runs the parent:
// tsx, jest or node), synthesizes its share of stacks in batches, posts the manifest entries.
require('tsx/cjs');
const { parentPort, workerData } = require('worker_threads');
const { synthBatches } = require('./parallel-synth.ts');

const { config, stackNames, outdir, batchSize } = workerData;
const entries = synthBatches(config, stackNames, outdir, batchSize, (n) => parentPort.postMessage({ batch: n }));
parentPort.postMessage({ entries });
