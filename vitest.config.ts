import { defineConfig } from 'vitest/config';
import { BuildOrderSequencer } from './test/kind/build-order-sequencer.ts';

export default defineConfig({
  test: {
    sequence: { sequencer: BuildOrderSequencer },
    projects: [
      {
        // Some unit tests start the CLI or a script: 30 s leaves room for a machine busy building.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 }, testTimeout: 30_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // One Docker engine, one host port 5432: integration files run one at a time,
          // and not beside the kind project, whose nodes share the engine and the host.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          // A real scenario run on the same engine: after the integration project, never beside it.
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'kind',
          include: ['test/kind/**/*.kind.test.ts'],
          // Builds the kind node image and tools first (long on a fresh machine, cached after).
          globalSetup: ['test/kind/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 3 },
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          // `npm run test:matrix` only (never in `npm test`): every CNI's and engine's column end to end,
          // through the same scripts the workflow runs, and the workflow itself through act.
          name: 'matrix',
          include: ['test/matrix/**/*.matrix.test.ts'],
          globalSetup: ['test/kind/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 4 },
          testTimeout: 7_200_000,
          hookTimeout: 7_200_000,
        },
      },
    ],
  },
});
