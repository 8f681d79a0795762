import type { Outcome, OutcomeKind } from '../outcome/outcome.ts';

/** What an article says will happen, as a test over outcomes. */
export interface Expectation {
  /** Words for reports, e.g. "connects" or "fails (refused, timeout, no route or DNS)". */
  readonly label: string;
  accepts(outcome: Outcome): boolean;
}

const kinds = (label: string, ...accepted: OutcomeKind[]): Expectation => ({
  label,
  accepts: (outcome) => accepted.includes(outcome.kind),
});

/** Named expectations, as cilium names its expected results. */
export const Expect = {
  /** The connection is made (and, for database probes, a query answered). */
  connects: kinds('connects', 'success'),
  /** Any network failure: nothing answers, or nothing is reachable. */
  fails: kinds('fails', 'refused', 'timeout', 'no-route', 'dns'),
  refused: kinds('refused', 'refused'),
  /** Unreachable: the packets go nowhere (timeout or no route), as opposed to an active refusal. */
  unreachable: kinds('unreachable', 'timeout', 'no-route'),
  httpStatus: (status: number): Expectation => ({
    label: `HTTP ${status}`,
    accepts: (o) => o.kind === 'http-status' && o.status === status,
  }),
  /** For fact checks: the claim's predicate held on what was read. */
  holds: (label: string): Expectation => ({ label, accepts: (o) => o.kind === 'fact' && o.holds }),
} as const;
