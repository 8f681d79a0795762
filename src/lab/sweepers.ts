import type { RunRecord } from './run-registry.ts';

/** How many of each kind of resource a sweep removed, in the words the log prints ("kind clusters", "containers"). */
export type SweepCounts = Record<string, number>;

export interface SweepOptions {
  /** false: deletions the API server carries out on its own are started, not waited for (a batch's run whose teardown lingers: src/lab/lingering.ts). Default true. */
  readonly waitForDeletions?: boolean;
}

/**
 * What one environment (kind, a Docker engine of its own) contributes to
 * sweeping: the lab sweeps what any run makes on the machine (labelled
 * containers and networks, marked rules, netns, links), and each environment
 * what only it knows how to find. Environments register at import of their
 * public module; the entries (cli/main.ts, environment/environment.ts) import
 * every environment, so `src/lab/` never imports one.
 */
export interface EnvironmentSweeper {
  /** The environment's name, one registration each. */
  readonly environment: string;
  /** Removes what the run left in this environment; runs before the machine's sweep (it may sit on the run's networks). Always the same keys, zero or not. */
  sweepRun(runId: string, options?: SweepOptions): Promise<SweepCounts>;
  /** Run ids that own something in this environment. */
  runIds(): Promise<Iterable<string>>;
  /** What a dead process was still making for a registered run (its record's `cluster`): removed; `remaining` > 0 keeps the registration for the next sweep. */
  sweepUnfinished?(record: RunRecord): Promise<{ removed: SweepCounts; remaining: number }>;
}

const registered = new Map<string, EnvironmentSweeper>();

/** Adds an environment's sweeper (again under the same name: replaces it). */
export function registerSweeper(sweeper: EnvironmentSweeper): void {
  registered.set(sweeper.environment, sweeper);
}

/** The registered sweepers, in registration order. */
export const environmentSweepers = (): readonly EnvironmentSweeper[] => [...registered.values()];
