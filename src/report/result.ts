import type { ExecResult } from '../exec/exec-result.ts';
import type { Outcome } from '../outcome/outcome.ts';
import type { ProbeTarget } from '../probes/probe.ts';
import type { AttemptRole, VerdictStatus } from '../verdict/verdict.ts';
import type { ClaimRepeats } from './repeats.ts';
import type { Topology } from './topology.ts';

/**
 * The results file, results/<scenario>.json. Stable: fields are only ever
 * added; schemaVersion changes if one is removed or changes meaning.
 * docs/results-schema.md describes each field.
 */
export interface ScenarioResult {
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly title: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly traffic: { readonly uplinks: readonly string[]; readonly packetsStopped: number };
  readonly claims: readonly ClaimResult[];
  /** Set when the harness could not carry the scenario out (a workload did not start): every claim is then inconclusive, and the CLI exits 4. */
  readonly harnessFailure?: string;
  readonly summary: Readonly<Record<VerdictStatus, number>>;
  /** The lab as it stood: machines, bridges, workloads and their addresses (the HTML report draws it). */
  readonly topology?: Topology;
}

export interface ClaimResult {
  readonly id: string;
  readonly article: string;
  readonly from: string;
  readonly says: string;
  readonly expected: string;
  /** The first attempt's connection string: the article's own. */
  readonly connection: string;
  /** The first attempt's outcome; every attempt is in `attempts`. */
  readonly outcome: Outcome;
  readonly verdict: VerdictStatus;
  /** Which attempt (or half of the article's sentence) made the verdict refuted or inconclusive. */
  readonly because?: string;
  /** The lab's own choices that decide an attempt, reported as such, never as findings. */
  readonly preconditions?: readonly string[];
  readonly explanation: string;
  readonly durationMs: number;
  readonly attempts: readonly AttemptResult[];
  readonly evidence: ClaimEvidence;
  /** With `--repeat N`: every round's outcomes and verdicts; `flaky` when the verdict changed between rounds. */
  readonly repeats?: ClaimRepeats;
}

export interface AttemptResult {
  readonly connection: string;
  readonly note?: string;
  /** Set when the attempt was tried from another workload than the claim's `from`. */
  readonly from?: string;
  /** The part of the article's sentence this attempt tries. */
  readonly half?: string;
  /** Set for an attempt that is not the article's own: a contrast, a positive control, or a finding beside the claim (never deciding its verdict). */
  readonly role?: AttemptRole;
  /** Where the attempt went (address or name as the source used it). */
  readonly target?: ProbeTarget;
  /** The lab server that answered, by its identity (its run resource name, names.ts). */
  readonly answeredBy?: string;
  readonly expected: string;
  readonly outcome: Outcome;
  readonly verdict: VerdictStatus;
  readonly explanation: string;
  readonly detail?: string;
  readonly durationMs: number;
}

export interface ClaimEvidence {
  /** Per attempt, the commands that produced the outcome, with their output. */
  readonly attempts: readonly (readonly ExecResult[])[];
  /** The source's addresses, routes and resolver, and the host's relevant iptables rules. */
  readonly context: readonly ExecResult[];
}
