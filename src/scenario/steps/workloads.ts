import { during, EnvironmentError, UsageError } from '../../errors.ts';
import type { StartedEnvironment } from '../../environment/started-environment.ts';
import type { StartedWorkload } from '../../workloads/workload.ts';
import type { ScenarioSpec } from '../scenario.ts';
import { made, type RunContext } from './run-context.ts';
import type { Step } from './step.ts';

/**
 * The workloads, each as soon as what it depends on runs. docker0 is held
 * wholesale while they start; then only the run's own containers and
 * networks are. A workload that cannot start leaves every claim untried
 * (inconclusive, never a network verdict); a broken environment or a
 * usage error still ends the run.
 */
export const startWorkloads: Step<RunContext> = {
  name: 'starting the workloads',
  async run(context) {
    const env = made(context, 'env');
    await env.guard.holdSharedBridge();
    context.notStarted = await startInOrder(context.spec, env, context.workloads).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof EnvironmentError || error instanceof UsageError) throw error;
        return error instanceof Error ? error.message : String(error);
      },
    );
    await env.guard.coverRunContainers();
    if (context.notStarted !== undefined) context.logger.info(`the workloads did not all start; every claim is inconclusive: ${context.notStarted}`);
  },
};

/**
 * Starts every workload as soon as what it depends on runs; independent ones
 * start together. Those of one dependency depth depend on none of each other,
 * so the teardown removes them together too.
 */
async function startInOrder(spec: ScenarioSpec, env: StartedEnvironment, into: Record<string, StartedWorkload>): Promise<void> {
  const starting = new Map<string, Promise<StartedWorkload>>();
  const start = (name: string): Promise<StartedWorkload> => {
    if (!starting.has(name)) {
      const workload = spec.workloads[name]!;
      const group = `workloads of depth ${dependencyDepth(spec, name)}`;
      starting.set(
        name,
        Promise.all((workload.dependsOn ?? []).map(start)).then(() =>
          env.logger.step(`starting ${name}: ${workload.description}`, () =>
            during(`starting ${name}`, () => env.run.makeInGroup(group, name, () => workload.start(name, env))),
          ),
        ),
      );
    }
    return starting.get(name)!;
  };
  const started = await Promise.allSettled(Object.keys(spec.workloads).map(async (name) => (into[name] = await start(name))));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
}

/** 0 for a workload that depends on nothing, else one more than its deepest dependency (the scenario has no circles: its loader refuses them). */
export function dependencyDepth(spec: ScenarioSpec, name: string): number {
  const dependsOn = spec.workloads[name]?.dependsOn ?? [];
  return dependsOn.length === 0 ? 0 : 1 + Math.max(...dependsOn.map((dependency) => dependencyDepth(spec, dependency)));
}
