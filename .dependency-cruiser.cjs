/**
 * Structure rules for lib/ (issue 20): no import circles, and no import from a higher layer.
 * Layers, lowest first. A module may import its own layer or any lower one:
 *   core      core/, text/, report/                 problems, regions, the organization plan, policy documents, text helpers, report writers
 *   engines   catalog/, filter-pattern/, sigma/     detections as data and the pattern engine
 *   schemas   <concern>/schema.ts                   each concern's section of trailwatch.yaml, with its defaults
 *   features  alerting/ backend/ eventbridge/ monitoring/ providers/ query/ responder/ trail/   planners, checks and constructs per concern
 *   plan      plan/                                 the one Plan of a command
 *   checks    quotas/, rollout/                     read the Plan: AWS limits, deploy order and waves
 *   config    config/                               composes the sections; loads, checks and plans a config file
 *   stacks    stacks/                               account stack wiring
 *   readers   estimate/, coverage/, backtest/       commands that read the Plan
 *   app       app/, verify/                         build and synth; verify (reads synth's output)
 *   cli       cli/                                  commands
 * A concern's schema.ts sits below its own folder's other files: config composes the schemas, and a
 * schema imports nothing but core, engines and other schemas.
 */
const SCHEMA = '^lib/[^/]+/schema\\.ts$';
const LAYERS = [
  ['core', ['core/', 'text/', 'report/']],
  ['engines', ['catalog/', 'filter-pattern/', 'sigma/']],
  ['schemas', null],
  ['features', ['alerting/', 'backend/', 'eventbridge/', 'monitoring/', 'providers/', 'query/', 'responder/', 'trail/']],
  ['plan', ['plan/']],
  ['checks', ['quotas/', 'rollout/']],
  ['config', ['config/']],
  ['stacks', ['stacks/']],
  ['readers', ['estimate/', 'coverage/', 'backtest/']],
  ['app', ['app/', 'verify/']],
  ['cli', ['cli/']],
];
const paths = (folders) => `^lib/(${folders.join('|')})`;
/** The files of a layer: the schema files, or the layer's folders without their schema files. */
const layer = ([, folders]) => (folders === null ? { path: SCHEMA } : { path: paths(folders), pathNot: SCHEMA });
const above = (i) => LAYERS.slice(i + 1);

const upward = LAYERS.slice(0, -1).map(([name], i) => {
  const higher = above(i);
  const folders = higher.flatMap(([, f]) => f ?? []);
  const schemasHigher = higher.some(([, f]) => f === null);
  return {
    name: `no-upward-from-${name}`,
    comment: `${name} may not import a higher layer (${higher.map(([n]) => n).join(', ')})`,
    severity: 'error',
    from: layer(LAYERS[i]),
    to: schemasHigher ? { path: [paths(folders), SCHEMA] } : { path: paths(folders), pathNot: SCHEMA },
  };
});

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
      from: { path: '^lib/', pathNot: [paths(LAYERS.flatMap(([, f]) => f ?? [])), SCHEMA] },
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
