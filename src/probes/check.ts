import type { ExecResult } from '../exec/exec-result.ts';
import type { Observation, ProbeTarget } from './probe.ts';

/** A check that could not be carried out: it becomes `check-failed`, never a fact. */
export class CheckFailed extends Error {}

/** What a check body may use: every command it runs is recorded as evidence. */
export interface CheckContext {
  /** Runs a command the check depends on: a failed command (exit other than `okExits`) stops the check as check-failed. */
  must(result: Promise<ExecResult> | ExecResult, what: string, okExits?: readonly number[]): Promise<ExecResult>;
  /** Records a command whose failure is itself an observation (a bind that fails, a rule that is absent). */
  record(result: Promise<ExecResult> | ExecResult): Promise<ExecResult>;
  /** An input the check needs (an address, a parsed field): missing stops the check as check-failed. */
  need<T>(value: T | undefined | null, what: string): T;
  /** JSON from a command's stdout; output that does not parse stops the check as check-failed. */
  json<T>(result: ExecResult, what: string): T;
}

/** What a fact check found: whether the article's predicate held, and what was read. */
export interface FactFound {
  readonly holds: boolean;
  readonly observed: string;
  readonly detail?: string;
}

/** A context that records every command it is given: what a check and a claim's setup run with. */
export function recordingContext(): { readonly check: CheckContext; readonly evidence: ExecResult[] } {
  const evidence: ExecResult[] = [];
  const record = async (result: Promise<ExecResult> | ExecResult) => {
    const done = await result;
    evidence.push(done);
    return done;
  };
  const check: CheckContext = {
    record,
    async must(result, what, okExits = [0]) {
      const done = await record(result);
      if (done.exitCode === null || !okExits.includes(done.exitCode)) {
        throw new CheckFailed(`${what}: \`${done.command}\` exited ${done.exitCode}${done.stderr.trim() ? `: ${done.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      }
      return done;
    },
    need(value, what) {
      if (value === undefined || value === null || (typeof value === 'number' && Number.isNaN(value))) throw new CheckFailed(`missing ${what}`);
      return value;
    },
    json(result, what) {
      try {
        return JSON.parse(result.stdout) as never;
      } catch {
        throw new CheckFailed(`${what}: the output of \`${result.command}\` is not JSON: ${result.stdout.slice(0, 200)}`);
      }
    },
  };
  return { check, evidence };
}

/** Runs `body` with a recording context; a CheckFailed or any error becomes check-failed, with the evidence gathered so far. */
export async function checked(
  connection: string,
  body: (check: CheckContext) => Promise<Omit<Observation, 'connection' | 'evidence'> & { connection?: string; evidence?: readonly ExecResult[] }>,
  target?: ProbeTarget,
): Promise<Observation> {
  const { check: context, evidence } = recordingContext();
  try {
    const found = await body(context);
    // The body's own connection (a probe it ran, with every value resolved) wins over the description.
    return { ...found, connection: found.connection ?? connection, target: found.target ?? target, evidence: [...evidence, ...(found.evidence ?? [])] };
  } catch (error) {
    return { ...checkFailed(connection, error, evidence), target };
  }
}

/** The observation of a check that could not be made, with why and what was run so far. */
export function checkFailed(connection: string, error: unknown, evidence: readonly ExecResult[] = []): Observation {
  return { outcome: { kind: 'check-failed', reason: error instanceof Error ? error.message : String(error) }, connection, evidence };
}

/** A fact check: the body reads the environment and says whether the article's predicate held. */
export function checkFact(connection: string, body: (check: CheckContext) => Promise<FactFound>, target?: ProbeTarget): Promise<Observation> {
  return checked(
    connection,
    async (check) => {
      const { holds, observed, detail } = await body(check);
      return { outcome: { kind: 'fact', holds, observed }, detail };
    },
    target,
  );
}
