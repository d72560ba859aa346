/**
 * Structure rules for lib/ (issue 20): no import circles, and no import from a higher layer.
 * Layers, lowest first. A module may import its own layer or any lower one:
 *   core      errors.ts, text/, report/             problems, shared text helpers, report writers (JUnit, SARIF)
 *   engines   catalog/, filter-pattern/, sigma/     detections as data and the pattern engine
 *   features  alerting/, eventbridge/, monitoring/, trail/, responder/, query/   constructs per concern
 *   config    config/                               composes the sections
 *   plan      plan/                                 the one Plan
 *   stacks    stacks/, providers/, backend/         account stack wiring
 *   readers   rollout/, quotas/, estimate/, coverage/, backtest/   commands that read the Plan
 *   app       app/, verify/                         build and synth; verify (reads synth's output)
 *   cli       cli/                                  commands
 * Today's violations are pinned in __tests__/structure/known-violations.txt (a ratchet):
 * __tests__/structure/layers.test.ts fails on a new violation and on a pinned one that is gone.
 */
const LAYERS = [
  ['core', ['errors\\.ts', 'text/', 'report/']],
  ['engines', ['catalog/', 'filter-pattern/', 'sigma/']],
  ['features', ['alerting/', 'eventbridge/', 'monitoring/', 'trail/', 'responder/', 'query/']],
  ['config', ['config/']],
  ['plan', ['plan/']],
  ['stacks', ['stacks/', 'providers/', 'backend/']],
  ['readers', ['rollout/', 'quotas/', 'estimate/', 'coverage/', 'backtest/']],
  ['app', ['app/', 'verify/']],
  ['cli', ['cli/']],
];
const paths = (folders) => `^lib/(${folders.join('|')})`;

const upward = LAYERS.slice(0, -1).map(([name, folders], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may not import a higher layer (${LAYERS.slice(i + 1).map(([n]) => n).join(', ')})`,
  severity: 'error',
  from: { path: paths(folders) },
  to: { path: paths(LAYERS.slice(i + 1).flatMap(([, f]) => f)) },
}));

module.exports = {

  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle: the modules cannot be understood or tested one at a time',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    {
      name: 'no-unlayered',
      comment: 'every folder of lib/ belongs to a layer: add the new folder to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^lib/', pathNot: paths(LAYERS.flatMap(([, f]) => f)) },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^lib/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
