/** The backtest's default worker threads: one per idle core, so a busy machine gets one thread, not two competing workers. */
import { defaultWorkers } from '../../lib/backtest/run-backtest';

test.each([
  [2, 0, 2],
  [2, 0.4, 2],
  [2, 0.6, 1],
  [2, 12, 1],
  [8, 2, 4],
  [8, 6.8, 1],
  [1, 0, 1],
])('%i cores, load average %d: %i', (cores, load, expected) => {
  expect(defaultWorkers(cores, load)).toBe(expected);
});
