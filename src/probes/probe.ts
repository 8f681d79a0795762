import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import type { Outcome } from '../outcome/outcome.ts';
import type { StartedWorkload } from '../workloads/workload.ts';

/** Where an attempt went: an address or name as the source used it, and a port where there is one. */
export interface ProbeTarget {
  readonly host: string;
  readonly port?: number;
}

/**
 * What one probe observed. The probe alone fills it, from what it ran:
 * the connection is the one it actually used, never a second, separately
 * computed string; a harness failure is `check-failed` with its reason.
 */
export interface Observation {
  readonly outcome: Outcome;
  /** The connection string (or check) exactly as tried, every lab value resolved. */
  readonly connection: string;
  readonly target?: ProbeTarget;
  /** The commands that produced the outcome, with their output. */
  readonly evidence: readonly ExecResult[];
  /** Extra words for the report: what resolved to what, what the server saw. */
  readonly detail?: string;
  /** The server that answered, by the identity the lab gave it (its run resource name, names.ts), where the probe can read it. */
  readonly answeredBy?: string;
}

/**
 * One connection string (or check) to try. Traffic only, as cilium's
 * scenarios: the claim that uses it holds the expectation.
 */
export interface Probe {
  /** The connection in the article's terms, before the lab's values are read (for listings), e.g. `DATABASES HOST=<docker0 gateway> PORT=5432`. */
  readonly describe: string;
  /** Where a value comes from when it is not the article's literal (e.g. "the docker0 gateway read from the engine"). */
  readonly note?: string;
  run(source: StartedWorkload, env: StartedEnvironment): Promise<Observation>;
}
