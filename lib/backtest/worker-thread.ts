/**
 * Body of a backtest worker thread: evaluates files until the shared counter runs past the list,
 * posts its tallies once, and ends. Started as worker.js (beside run-backtest: from the sources it
 * loads this file through tsx; in dist/ it is this file's own bundle).
 */
import { parentPort, workerData } from 'worker_threads';
import { drainFiles, type WorkerInput } from './run-backtest';

parentPort!.postMessage(drainFiles(workerData as WorkerInput));
