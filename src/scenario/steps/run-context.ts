import type { StartedLabNetwork } from '../../environment/docker/index.ts';
import type { LabEnvironment } from '../../environment/environment.ts';
import type { StartedEnvironment } from '../../environment/started-environment.ts';
import type { ImageName } from '../../images/catalogue.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import type { Logger } from '../../log.ts';
import type { ClaimResult, ScenarioResult } from '../../report/result.ts';
import type { Topology } from '../../report/topology.ts';
import type { StartedWorkload } from '../../workloads/workload.ts';
import type { Setup } from '../../setup/setup.ts';
import type { RunOptions } from '../run-scenario.ts';
import type { ScenarioSpec } from '../scenario.ts';

/**
 * What the steps of one run share, kind's ActionContext: the scenario and
 * options, and what each step adds for the next (the images, the run, the
 * environment, the started workloads, the claims' results). A step reads
 * what an earlier one made through `made`, which names the missing step
 * instead of failing on an undefined.
 */
export interface RunContext {
  readonly spec: ScenarioSpec;
  readonly options: RunOptions;
  readonly logger: Logger;
  /** When the run began: the results' startedAt and durationMs. */
  readonly startedAt: string;
  readonly startedMs: number;
  /** The images the scenario's workloads run, once each. */
  readonly imageNames: readonly ImageName[];
  images?: Readonly<Record<ImageName, string>>;
  run?: LabRun;
  environment?: LabEnvironment;
  networks: Record<string, StartedLabNetwork>;
  /** Workloads by name as they start; "host" (the Docker host itself) is there once the environment stands. */
  workloads: Record<string, StartedWorkload>;
  /** The environment as workloads and probes see it, once the run holds its host resources. */
  env?: StartedEnvironment;
  /** The claims' setups' preparations, started with the environment (steps/preparations.ts). */
  preparations?: ReadonlyMap<Setup<unknown>, Promise<void>>;
  /** Why the workloads did not all start: every claim is then untried. */
  notStarted?: string;
  claims?: ClaimResult[];
  /** The engine stopped answering during the run. */
  engineGone?: string;
  topology?: Topology;
  packetsStopped?: number;
  result?: ScenarioResult;
}

/** What an earlier step made; missing is a bug in the step list, said as such. */
export function made<K extends keyof RunContext>(context: RunContext, key: K): NonNullable<RunContext[K]> {
  const value = context[key];
  if (value === undefined || value === null) throw new Error(`the run's steps are out of order: "${String(key)}" is needed before the step that makes it`);
  return value as NonNullable<RunContext[K]>;
}
