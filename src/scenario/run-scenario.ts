import type { EngineProvider } from '../environment/docker/index.ts';
import type { EnvironmentChoice } from '../environment/environment.ts';
import type { ImageName } from '../images/catalogue.ts';
import type { LabRun } from '../lab/lab-run.ts';
import type { Lingering } from '../lab/lingering.ts';
import type { Logger } from '../log.ts';
import type { ScenarioResult } from '../report/result.ts';
import type { ScenarioSpec } from './scenario.ts';
import { tryClaims } from './steps/claims.ts';
import { createNetworks, holdHostResources, startEnvironment } from './steps/environment.ts';
import { checkEngine, countStoppedPackets, recordTopology, redactEvidence } from './steps/observe.ts';
import { checkImages, startRun, sweepDeadRuns } from './steps/prepare.ts';
import { made, type RunContext } from './steps/run-context.ts';
import { runSteps, together, type Step } from './steps/step.ts';
import { recordResult } from './steps/result.ts';
import { startWorkloads } from './steps/workloads.ts';
import { startPreparations } from './steps/preparations.ts';

export interface RunOptions {
  readonly logger: Logger;
  readonly runId?: string;
  readonly keep?: boolean;
  /** Called as soon as the run exists, so a signal handler can tear it down. */
  readonly onRunStarted?: (run: LabRun) => void;
  /** Strings to scrub from evidence (passwords the scenario uses). */
  readonly secrets?: readonly string[];
  /** Try the claims this many times on the one environment (`--repeat N`); results count each round. */
  readonly repeat?: number;
  /** Keep a kind cluster the run creates, for later runs to reuse (`--all --kind`, the tests). */
  readonly keepCluster?: boolean;
  /** Start a kind cluster of the run's own even when the lab cluster of its CNI runs (`--own-cluster`). */
  readonly ownCluster?: boolean;
  /** The Docker engine (`--engine`), resolved by the CLI; the machine's when absent. */
  readonly engine?: EngineProvider;
  /** The environment the user chose (`--cni`, NETPROOF_CNI: src/cli/environment-choice.ts); unset: the defaults. */
  readonly environment?: EnvironmentChoice;
  /** A batch's (`--all`): the deletions the teardown starts are waited for at the batch's end, not before the next scenario. */
  readonly lingering?: Lingering;
}

/**
 * The run's steps, kind-style, in one list: each a small module of
 * src/scenario/steps with its own progress line. The run step's teardown
 * undoes everything the later ones made, also when one of them fails.
 */
export function scenarioSteps(context: RunContext): Step<RunContext>[] {
  return [
    together('checking images and sweeping dead runs', [checkImages, sweepDeadRuns]),
    startRun,
    startEnvironment,
    createNetworks,
    holdHostResources,
    startPreparations,
    startWorkloads,
    tryClaims(context),
    checkEngine,
    together('reading what the run left to see', [recordTopology, countStoppedPackets]),
    redactEvidence,
    recordResult,
  ];
}

/** Builds a scenario's environment, tries its claims, tears it all down: the result, with verdicts and evidence. */
export async function runScenario(spec: ScenarioSpec, options: RunOptions): Promise<ScenarioResult> {
  const imageNames = [...new Set(Object.values(spec.workloads).flatMap((w) => w.images))] as ImageName[];
  const context: RunContext = {
    spec,
    options,
    logger: options.logger,
    startedAt: new Date().toISOString(),
    startedMs: performance.now(),
    imageNames,
    networks: {},
    workloads: {},
  };
  await runSteps(scenarioSteps(context), context);
  return made(context, 'result');
}
