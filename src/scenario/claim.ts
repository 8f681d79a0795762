import type { OutcomeKind } from '../outcome/outcome.ts';
import type { Probe } from '../probes/probe.ts';
import type { Setup } from '../setup/setup.ts';
import type { Because } from '../verdict/explain.ts';
import type { Expectation } from '../verdict/expect.ts';
import type { AttemptRole } from '../verdict/verdict.ts';

/**
 * One attempt of a claim: a probe (traffic or a fact check, see
 * src/probes/probe.ts) and, where they differ from the claim's, where it is
 * tried from and what the article expects of it.
 */
export interface AttemptSpec extends Probe {
  /** Tried from this workload instead of the claim's `from` (a claim with two vantage points). */
  readonly from?: string;
  /** What the article expects of this attempt, where it differs from the claim's (a fact beside a connection). */
  readonly expect?: Expectation;
  /** The part of the article's sentence this attempt tries, where the sentence says two things at once ("directly, without the bridge"). */
  readonly half?: string;
  /** Why this attempt is there when it is not the article's own: a contrast, a positive control, or a finding beside the claim (never deciding it). */
  readonly role?: AttemptRole;
  /** What the runner sets up right before this attempt and undoes after it (the probe only observes); its locks are held over the whole claim. */
  readonly setup?: Setup<unknown>;
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
  /** Choices of the lab's that decide an attempt (its router, its resolver, a server's listen_addresses): reported beside the verdict, never as findings. */
  readonly preconditions?: readonly string[];
  /** Why, for each outcome the lab can observe: the explanation printed with the verdict (built from what ran where it depends on it: byCni). */
  readonly why: Partial<Record<OutcomeKind, Because>>;
}
