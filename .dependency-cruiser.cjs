// The engine's folders in stage order: a folder may import only folders listed before it, so no folder ever
// imports a later stage and there is no cycle between folders (checked by test/dependencies.test.ts).
const STAGES = [
  'src/(errors|version|polyfills)\\.ts|src/types/',
  'src/model/',
  'src/report/',
  'src/parse/',
  'src/config/',
  'src/discover/',
  'src/analyze/',
  'src/lift/',
  'src/rules/',
  'rules/',
  'src/emit/',
  'src/infra/',
  'src/propose/',
  'src/estimate/',
  'src/scan/',
  'src/verify/',
  'src/render/',
  'src/commands/',
  'src/cli\\.ts',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...STAGES.slice(0, -1).map((stage, i) => ({
      name: `no-later-stage-from-${stage.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`,
      severity: 'error',
      comment: 'an earlier stage never imports a later one',
      from: { path: `^(${stage})` },
      to: { path: `^(${STAGES.slice(i + 1).join('|')})` },
    })),
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycle between modules (type-only imports between the lifter core files are allowed)',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
