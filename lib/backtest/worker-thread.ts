/**
 * Body of a backtest worker thread: evaluates the files it is sent and returns its tallies when told
 * it is done. Started as worker.js (beside run-backtest: from the sources it loads this file through
 * tsx; in dist/ it is this file's own bundle).
 */
import { parentPort, workerData } from 'worker_threads';
import { FileEvaluator, type FilterSpec } from './evaluate';
import { serializeTally } from './stats';

const { filters, since } = workerData as { filters: FilterSpec[]; since?: string };
const evaluator = new FileEvaluator(filters, since);
parentPort!.on('message', (msg: { file?: string; done?: boolean }) => {
  if (msg.file !== undefined) parentPort!.postMessage({ outcome: evaluator.evaluateFile(msg.file) });
  else if (msg.done) parentPort!.postMessage({ tallies: evaluator.tallies.map(serializeTally), span: evaluator.span });
});
