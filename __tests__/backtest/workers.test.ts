/** The backtest's default worker threads: one per idle core, so a busy machine gets one thread, not two competing workers. */
import * as os from 'os';
import { busyElsewhere, defaultWorkers } from '../../lib/backtest/run-backtest';

test.each([
  [2, 0, 2],
  [2, 0.4, 2],
  [2, 0.6, 1],
  [2, 12, 1],
  [8, 2, 4],
  [8, 6.8, 1],
  [1, 0, 1],
])('%i cores, %d tasks running elsewhere: %i', (cores, busy, expected) => {
  expect(defaultWorkers(cores, busy)).toBe(expected);
});

describe('what else is running: /proc/loadavg now, not the trailing 1-minute average', () => {
  test('an idle machine after a busy minute: the average still reads 1.72, only this thread runs', () => {
    expect(busyElsewhere('1.72 3.19 2.57 1/111 31748\n')).toBe(0);
  });

  test('another job on a core: one task besides this one', () => {
    expect(busyElsewhere('0.40 0.30 0.20 2/115 31750\n')).toBe(1);
  });

  test('unreadable text falls back to the 1-minute load average', () => {
    // The kernel refreshes the average every 5 s: equal to one decimal when read together.
    expect(busyElsewhere('garbage')).toBeCloseTo(os.loadavg()[0], 1);
    expect(busyElsewhere('')).toBeCloseTo(os.loadavg()[0], 1);
  });
});
