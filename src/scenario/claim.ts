import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import type { Outcome, OutcomeKind } from '../outcome/outcome.ts';
import type { Expectation } from '../verdict/expect.ts';
import type { StartedWorkload } from '../workloads/workload.ts';

/** What one attempt observed, with the commands that show it. */
export interface Probed {
  readonly outcome: Outcome;
  readonly evidence: readonly ExecResult[];
  /** Extra words for the report: who answered, what the server saw. */
  readonly detail?: string;
}

/** One connection string (or check) to try. Traffic only: the claim holds the expectation. */
export interface AttemptSpec {
  /** The exact connection string, resolved against this lab (e.g. `HOST=172.17.0.1 PORT=5432`). */
  connection(env: StartedEnvironment): string;
  /** Where the value comes from when it is not the article's literal (e.g. "the docker0 gateway found here"). */
  readonly note?: string;
  /** Tried from this workload instead of the claim's `from` (a claim with two vantage points). */
  readonly from?: string;
  /** What the article expects of this attempt, where it differs from the claim's (a fact beside a connection). */
  readonly expect?: Expectation;
  probe(source: StartedWorkload, env: StartedEnvironment): Promise<Probed>;
}

/** One statement of an article, tried for real. */
export interface ClaimSpec {
  /** Stable id from shared/claims.md (D1, K5, …). */
  readonly id: string;
  /** The article file number in shared/articles (000 … 004). */
  readonly article: string;
  /** The workload it is tried from, or "host". */
  readonly from: string;
  /** What the article says happens, in its words. */
  readonly says: string;
  readonly expect: Expectation;
  readonly attempts: readonly AttemptSpec[];
  /** Why, for each outcome the lab can observe: the explanation printed with the verdict. */
  readonly why: Partial<Record<OutcomeKind, string>>;
}

/** A value of this lab, read at run time rather than assumed. */
export interface LabValue {
  readonly label: string;
  resolve(env: StartedEnvironment): string;
}

export type HostRef = string | LabValue;

export const resolveHost = (host: HostRef, env: StartedEnvironment): string => (typeof host === 'string' ? host : host.resolve(env));
export const noteFor = (host: HostRef): string | undefined => (typeof host === 'string' ? undefined : host.label);

/** Values the Docker lab reads off the engine and host. */
export const Found = {
  bridgeGateway: { label: 'the docker0 gateway read from the engine', resolve: (env: StartedEnvironment) => env.facts.bridgeGateway } as LabValue,
  hostAddress: { label: "the host's primary interface address", resolve: (env: StartedEnvironment) => env.facts.hostAddress } as LabValue,
  /** A workload's container name on the engine (`np-<run>-<workload>`). */
  containerName: (workload: string): LabValue => ({
    label: `${workload}'s container name`,
    resolve: (env) => env.workloads[workload]?.containerName ?? `np-${env.run.id}-${workload}`,
  }),
  /** A workload's address on a network ("bridge" for docker0), as `docker inspect` gives it. */
  addressOf: (workload: string, network = 'bridge'): LabValue => ({
    label: `${workload}'s address on ${network}`,
    resolve: (env) => {
      const address = env.workloads[workload]?.addresses[network];
      if (!address) throw new Error(`${workload} has no address on ${network}`);
      return address;
    },
  }),
} as const;
