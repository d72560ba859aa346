// Worker thread of a backtest: loads TypeScript through tsx, evaluates the files it is sent, returns
// its tallies when told it is done.
require('tsx/cjs');
const { parentPort, workerData } = require('worker_threads');
const { FileEvaluator } = require('./evaluate.ts');
const { serializeTally } = require('./stats.ts');

const evaluator = new FileEvaluator(workerData.filters, workerData.since);
parentPort.on('message', (msg) => {
  if (msg.file !== undefined) parentPort.postMessage({ outcome: evaluator.evaluateFile(msg.file) });
  else if (msg.done) parentPort.postMessage({ tallies: evaluator.tallies.map(serializeTally) });
});
