#!/usr/bin/env node
// `npx trailwatch ...`: runs main.ts through tsx (no build step; `npm run typecheck` type-checks).
require('tsx/cjs');
require('../main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
