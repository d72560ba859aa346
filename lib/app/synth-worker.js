// Worker-thread entry of parallel synth, from the sources (tsx, jest): loads the TypeScript body
// through tsx. In dist/, synth-worker.js is the bundle of synth-worker-thread.ts (scripts/build.js).
require('tsx/cjs');
require('./synth-worker-thread.ts');
