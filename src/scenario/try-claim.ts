import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { acquireHostResources, releaseHostResources } from '../lab/host-resources.ts';
import { ofThisRun } from '../probes/answered-by.ts';
import { checkFailed, recordingContext } from '../probes/check.ts';
import type { Observation } from '../probes/probe.ts';
import type { AttemptResult, ClaimResult } from '../report/result.ts';
import type { Setup } from '../setup/setup.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { cniOf } from '../environment/kind/index.ts';
import { explain, type RanOn } from '../verdict/explain.ts';
import { claimVerdict, judge } from '../verdict/verdict.ts';
import type { AttemptSpec, ClaimSpec } from './claim.ts';

/**
 * A claim's attempts, in order, each judged against what the article
 * expects of it. The locks its setups hold are taken before the first
 * attempt and released after the last; each setup is performed right
 * before its attempt and undone right after, once its preparation is done
 * (one of `preparations`, started with the environment, or started here).
 */
export async function tryClaim(claim: ClaimSpec, env: StartedEnvironment, context: () => Promise<ExecResult[]>, preparations?: ReadonlyMap<Setup<unknown>, Promise<void>>): Promise<ClaimResult> {
  const started = performance.now();
  const locks = [...new Set(claim.attempts.flatMap((a) => a.setup?.locks?.(env) ?? []))];
  // Locks not taken (another run kept them past the wait) leave this claim untried, inconclusive, as a probe's lock did; the run goes on.
  const notHeld = locks.length === 0 ? undefined : await acquireHostResources(env.run, locks, { logger: env.logger }).then(() => undefined, (error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (notHeld !== undefined) return untried(claim, `its setup's locks could not be taken: ${notHeld}`);
  const attempts: AttemptResult[] = [];
  const evidence: (readonly ExecResult[])[] = [];
  // Each setup's preparation runs beside the attempts before it (K14's MetalLB image loads during the pending watch), if not already started.
  const prepared = new Map(claim.attempts.flatMap((a) => (a.setup?.prepare ? [[a.setup, preparations?.get(a.setup) ?? a.setup.prepare(env).catch(() => undefined)] as const] : [])));
  try {
    for (const attempt of claim.attempts) {
      const attemptStarted = performance.now();
      const observed = ofThisRun(await tryAttempt(attempt, env.workloads[attempt.from ?? claim.from]!, env, attempt.setup && prepared.get(attempt.setup)), env.run.id);
      attempts.push(attemptResult(claim, attempt, observed, performance.now() - attemptStarted, ranOn(env)));
      evidence.push(observed.evidence);
    }
  } finally {
    // A preparation outlives its attempt only when an attempt before it threw.
    await Promise.all(prepared.values());
    if (locks.length > 0) await releaseHostResources(env.run, locks);
  }
  return claimResult(claim, attempts, evidence, await context(), performance.now() - started);
}

/**
 * One attempt: its setup (if any, once its preparation is done), the probe's observation, the undoing. The
 * setup's and the undoing's commands are the attempt's evidence, around the
 * probe's own; a setup that fails makes the attempt check-failed, its probe
 * not run. The undoing also runs after a failed setup (it takes a half-made
 * state) and, when the run ends first (a signal), with the run's teardown.
 */
export async function tryAttempt(attempt: AttemptSpec, source: StartedWorkload, env: StartedEnvironment, prepared?: Promise<void>): Promise<Observation> {
  const observe = (on: StartedEnvironment) => attempt.run(source, on).catch((error: unknown) => checkFailed(attempt.describe, error));
  const setup = attempt.setup;
  if (!setup) return observe(env);
  await prepared;
  const { check, evidence } = recordingContext();
  const undo = once(async () => {
    await setup.undo?.(check, env);
  });
  env.run.defer(`undo ${setup.describe}`, undo);
  const undone = () => undo().catch((error: unknown) => env.logger.info(`undoing ${setup.describe} failed (the run's teardown sweeps it): ${error instanceof Error ? error.message : String(error)}`));
  let made: unknown;
  try {
    made = await setup.apply(check, env, source);
  } catch (error) {
    await undone();
    return checkFailed(attempt.describe, error, evidence);
  }
  const setUp = evidence.length;
  const observed = await observe({ ...env, setupsMade: new Map<Setup<unknown>, unknown>([[setup, made]]) });
  await undone();
  return { ...observed, evidence: [...evidence.slice(0, setUp), ...observed.evidence, ...evidence.slice(setUp)] };
}

/** `work` once, however often it is called; later calls get the first call's promise. */
function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= work());
}

/** What the attempt ran on, as observed (the cluster's CNI from its nodes), for explanations that depend on it. */
const ranOn = (env: StartedEnvironment): RanOn => ({ cni: env.kind ? cniOf(env.kind) : undefined });

/** One attempt as the results file has it: what was observed, against what the article expects of it. */
export function attemptResult(claim: ClaimSpec, attempt: AttemptSpec, observed: Observation, durationMs: number, ran: RanOn = {}): AttemptResult {
  const expectation = attempt.expect ?? claim.expect;
  return {
    connection: observed.connection,
    note: attempt.note,
    from: attempt.from,
    half: attempt.half,
    role: attempt.role,
    target: observed.target,
    answeredBy: observed.answeredBy,
    expected: expectation.label,
    outcome: observed.outcome,
    verdict: judge(expectation, observed.outcome),
    explanation: explain(observed.outcome, claim.why, ran),
    detail: observed.detail,
    durationMs: Math.round(durationMs),
  };
}

/** A claim from its judged attempts: the verdict, what it rests on, the evidence. */
function claimResult(claim: ClaimSpec, attempts: AttemptResult[], evidence: (readonly ExecResult[])[], context: ExecResult[], durationMs: number): ClaimResult {
  const first = attempts[0]!;
  const verdict = claimVerdict(attempts);
  return {
    id: claim.id,
    article: claim.article,
    from: claim.from,
    says: claim.says,
    expected: claim.expect.label,
    connection: first.connection,
    outcome: first.outcome,
    verdict: verdict.status,
    ...(verdict.because ? { because: verdict.because } : {}),
    ...(claim.preconditions ? { preconditions: claim.preconditions } : {}),
    explanation: first.explanation,
    durationMs: Math.round(durationMs),
    attempts,
    evidence: { attempts: evidence, context },
  };
}

/** A claim whose attempts could not be made: each is check-failed with the reason. */
export function untried(claim: ClaimSpec, reason: string): ClaimResult {
  const attempts = claim.attempts.map((attempt) => attemptResult(claim, attempt, checkFailed(attempt.describe, reason), 0));
  return { ...claimResult(claim, attempts, attempts.map(() => []), [], 0), because: reason };
}
