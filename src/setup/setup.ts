import type { StartedEnvironment } from '../environment/started-environment.ts';
import { CheckFailed, type CheckContext } from '../probes/check.ts';
import type { Probe } from '../probes/probe.ts';
import type { StartedWorkload } from '../workloads/workload.ts';

/**
 * Something an attempt needs changed in the environment before it observes
 * (a MetalLB install, a swarm with an overlay, the pods of a Deployment
 * replaced, a second `compose up`, a network namespace), cilium-cli's
 * "a Test declares its setup": the claim declares it, the runner performs it
 * right before the attempt and undoes it after, and the attempt's probe only
 * observes. What the setup made is handed to the probe (`madeBy`).
 */
export interface Setup<T> {
  /** What is set up, in a line (listings, progress). */
  readonly describe: string;
  /**
   * What only one run at a time may have while the claim is tried (a
   * cluster-wide add-on, addresses on a shared network): taken before the
   * claim's first attempt, so the attempts before the setup see the
   * environment without another run's, and released after its last.
   */
  locks?(env: StartedEnvironment): readonly string[];
  /**
   * Readies what the setup will need without changing what any attempt
   * observes (an add-on's image loaded into the nodes, nothing installed):
   * started when the claim starts, beside its earlier attempts, and awaited
   * before `apply`. A failure is not the attempt's: `apply` meets it again,
   * with evidence.
   */
  prepare?(env: StartedEnvironment): Promise<void>;
  /** Sets it up. Every command goes through `check`, so it is the attempt's evidence; a failure makes the attempt check-failed. */
  apply(check: CheckContext, env: StartedEnvironment, source: StartedWorkload): Promise<T>;
  /**
   * Undoes it when the attempt is over, recorded in the attempt's evidence
   * (or with the run's teardown when the run ends first); it also runs after
   * a setup that failed halfway, so it takes a half-made state. Without one,
   * what the setup made lives in the run's own resources and goes with them.
   */
  undo?(check: CheckContext, env: StartedEnvironment): Promise<void>;
}

/** A probe that observes what a setup made: an attempt spreads it (`{ ...probe, half }`) and gets both. */
export type ObservingProbe<T> = Probe & { readonly setup: Setup<T> };

/** What the setups of the current attempt made, as the runner hands them to its probe. */
export type SetupsMade = ReadonlyMap<Setup<unknown>, unknown>;

/** What `setup` made for this attempt; a probe run without it (no runner, a wrapped probe) is check-failed. */
export function madeBy<T>(env: StartedEnvironment, setup: Setup<T>): T {
  const made = env.setupsMade;
  if (!made?.has(setup as Setup<unknown>)) throw new CheckFailed(`the setup "${setup.describe}" was not performed before this attempt`);
  return made.get(setup as Setup<unknown>) as T;
}
