// Worker-thread entry of a backtest, from the sources (tsx, jest): loads the TypeScript body through
// tsx. In dist/, worker.js is the bundle of worker-thread.ts (scripts/build.js).
require('tsx/cjs');
require('./worker-thread.ts');
