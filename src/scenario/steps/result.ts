import type { ScenarioResult } from '../../report/result.ts';
import { made, type RunContext } from './run-context.ts';
import type { Step } from './step.ts';

/** The results file's content, timed up to here: the teardown is not the scenario's time. */
export const recordResult: Step<RunContext> = {
  name: 'recording the result',
  async run(context) {
    const claims = made(context, 'claims');
    const { fingerprint, guard } = made(context, 'environment');
    const harnessFailure = context.notStarted ?? context.engineGone;
    context.result = {
      schemaVersion: 1,
      scenario: context.spec.name,
      title: context.spec.title,
      runId: made(context, 'run').id,
      startedAt: context.startedAt,
      durationMs: Math.round(performance.now() - context.startedMs),
      environment: fingerprint,
      traffic: { uplinks: guard.uplinks, packetsStopped: made(context, 'packetsStopped') },
      claims,
      ...(context.topology ? { topology: context.topology } : {}),
      ...(harnessFailure !== undefined ? { harnessFailure } : {}),
      summary: {
        confirmed: claims.filter((c) => c.verdict === 'confirmed').length,
        refuted: claims.filter((c) => c.verdict === 'refuted').length,
        inconclusive: claims.filter((c) => c.verdict === 'inconclusive').length,
      },
    };
  },
};
