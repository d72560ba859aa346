#!/usr/bin/env node
// `npx trailwatch ...`: runs the compiled dist/main.js that `npm ci` builds (scripts/build.js, the
// `prepare` script), with a V8 code cache (bin/dist.js). When dist/ is missing or older than a
// source (an edited lib/ file, a pull without `npm ci`), it runs main.ts through tsx instead:
// slower to start, same behaviour. TRAILWATCH_FROM_SOURCE=1 forces the sources.
const path = require('path');
const { distIsFresh, loadDist } = require('./dist');

const root = path.join(__dirname, '..');
let main;
let done = () => {};
if (process.env.TRAILWATCH_FROM_SOURCE !== '1' && distIsFresh(root)) {
  const dist = loadDist(root);
  main = dist.exports.main;
  done = dist.saveCodeCache;
} else {
  require('tsx/cjs');
  main = require('../main.ts').main;
}
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  done();
});
