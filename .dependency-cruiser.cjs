/**
 * The layering, checked (npm run lint:deps; test/unit/layering.test.ts runs it
 * in npm test). Sources are parsed with swc: dependency-cruiser 18 cannot use
 * TypeScript 7's compiler; swc reads every import, `import type` ones marked
 * type-only (so tsPreCompilationDeps, a tsc option, is not needed).
 */
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

/** Every environment is a folder of src/environment/ with a public module, index.ts. */
const environments = readdirSync(join(__dirname, 'src', 'environment'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      comment:
        'A cycle of modules that load each other at run time. Cycles through an `import type` are allowed: Node\'s type stripping ' +
        'and vitest erase those statements, so they load nothing (an import whose names are all inline `type` is not erased: ' +
        'the layering test forbids that form, so "type-only" here always means erased).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'lab-knows-no-environment',
      comment: 'src/lab/ is what every environment builds on (runs, names, guard, sweeping); environments register into it instead.',
      severity: 'error',
      from: { path: '^src/lab/' },
      to: { path: '^src/environment/' },
    },
    ...environments.map((environment) => ({
      name: `${environment}-through-its-index`,
      comment: `Outside src/environment/${environment}/, the environment is reached through its public module (index.ts) only; tests may reach inside.`,
      severity: 'error',
      from: { pathNot: [`^src/environment/${environment}/`, '^test/'] },
      to: { path: `^src/environment/${environment}/`, pathNot: `^src/environment/${environment}/index\\.ts$` },
    })),
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
