import type { Outcome, OutcomeKind } from '../outcome/outcome.ts';

/** What an article says will happen, as a test over outcomes. */
export interface Expectation {
  /** Words for reports, e.g. "connects" or "unreachable (timeout or no route)". */
  readonly label: string;
  accepts(outcome: Outcome): boolean;
}

const kinds = (label: string, ...accepted: OutcomeKind[]): Expectation => ({
  label,
  accepts: (outcome) => accepted.includes(outcome.kind),
});

/** Whether the server that answered is the scenario's `workload` (the runner names an answering server of this run by its workload). */
const servedBy = (outcome: Outcome, workload: string): boolean => (outcome.kind === 'success' || outcome.kind === 'http-status') && outcome.server === workload;

/** Named expectations, as cilium names its expected results. Each is as narrow as the article's words. */
export const Expect = {
  /** The connection is made (and, for database probes, a query answered). */
  connects: kinds('connects', 'success'),
  /** The connection is made, and the server that answered is this workload (not another server holding the address). */
  connectsTo: (workload: string): Expectation => ({ label: `connects to ${workload}`, accepts: (o) => o.kind === 'success' && servedBy(o, workload) }),
  /** The address answered with a reset: reachable, nothing listens (localhost is the container itself). */
  refused: kinds('refused', 'refused'),
  /** Isolation: the packets go nowhere (timeout or no route). A refusal would prove they arrived. */
  unreachable: kinds('unreachable (timeout or no route)', 'timeout', 'no-route'),
  /** No name resolution: the name did not resolve. */
  noName: kinds('name does not resolve', 'dns'),
  /** Not answered by `workload`, however it failed: the address names something else here (the source itself). */
  notFrom: (workload: string): Expectation => ({
    label: `no answer from ${workload}`,
    accepts: (o) => ['refused', 'timeout', 'no-route', 'dns'].includes(o.kind) || ((o.kind === 'success' || o.kind === 'http-status') && o.server !== undefined && !servedBy(o, workload)),
  }),
  httpStatus: (status: number): Expectation => ({
    label: `HTTP ${status}`,
    accepts: (o) => o.kind === 'http-status' && o.status === status,
  }),
  /** An HTTP answer with this status from this workload's own server (its X-Netproof-Server header). */
  httpFrom: (status: number, workload: string): Expectation => ({
    label: `HTTP ${status} from ${workload}`,
    accepts: (o) => o.kind === 'http-status' && o.status === status && servedBy(o, workload),
  }),
  /** An HTTP answer with this status from a pod of this Deployment (np-serve in a pod names itself by the run's resource name for the pod; a Deployment's pods are <deployment>-<hash>-<id>). */
  httpFromPodOf: (status: number, deployment: string): Expectation => ({
    label: `HTTP ${status} from a pod of ${deployment}`,
    accepts: (o) => o.kind === 'http-status' && o.status === status && o.server?.startsWith(`${deployment}-`) === true,
  }),
  /** For fact checks: the claim's predicate held on what was read. */
  holds: (label: string): Expectation => ({ label, accepts: (o) => o.kind === 'fact' && o.holds }),
  /** For fact checks: the predicate did not hold (a contrast, where what the article's case shows must be absent). */
  holdsNot: (label: string): Expectation => ({ label, accepts: (o) => o.kind === 'fact' && !o.holds }),
} as const;
