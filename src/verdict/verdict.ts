import type { Outcome } from '../outcome/outcome.ts';
import type { Expectation } from './expect.ts';

export type VerdictStatus = 'confirmed' | 'refuted' | 'inconclusive';

/**
 * Expected against observed. A harness failure or an unrecognised error can
 * say nothing about the article, so it is inconclusive, never confirmed.
 */
export function judge(expectation: Expectation, outcome: Outcome): VerdictStatus {
  if (outcome.kind === 'check-failed' || outcome.kind === 'other') return 'inconclusive';
  return expectation.accepts(outcome) ? 'confirmed' : 'refuted';
}

/** A claim with several attempts: refuted if any is, else inconclusive if any is, else confirmed. */
export function combine(statuses: readonly VerdictStatus[]): VerdictStatus {
  if (statuses.includes('refuted')) return 'refuted';
  if (statuses.length === 0 || statuses.includes('inconclusive')) return 'inconclusive';
  return 'confirmed';
}

/**
 * Why an attempt is there when it is not the article's own: a `contrast` or
 * `control` the lab needs to behave for the claim to count as tried, or a
 * `finding` — something the lab saw beside the claim (what `--internal` lets
 * through), reported with its evidence and never deciding the verdict.
 */
export type AttemptRole = 'contrast' | 'control' | 'finding';

/** What a claim's verdict rests on: each attempt's verdict, and whether it is the article's own or a contrast/control/finding. */
export interface JudgedAttempt {
  readonly verdict: VerdictStatus;
  readonly role?: AttemptRole;
  readonly half?: string;
  readonly connection: string;
  /** What it observed: a check that failed says why it could not be tried (an engine that refuses a swarm), and `because` repeats it. */
  readonly outcome?: Outcome;
}

/**
 * A claim's verdict from its attempts. A contrast or control that did not
 * behave as the lab needs (the same pair connecting on a default network, a
 * name resolving where Docker serves names) leaves the claim untested:
 * inconclusive. Otherwise the article's own attempts decide, and `because`
 * names the half (or connection) that was refuted or could not be checked.
 * Findings are left out: they are reported, not judged against the article.
 */
export function claimVerdict(attempts: readonly JudgedAttempt[]): { status: VerdictStatus; because?: string } {
  const name = (a: JudgedAttempt) => (a.half ? `"${a.half}" (${a.connection})` : a.connection);
  const notTried = (a: JudgedAttempt) => (a.outcome?.kind === 'check-failed' ? `not tried: ${a.outcome.reason}` : undefined);
  const controls = attempts.filter((a) => a.role === 'contrast' || a.role === 'control');
  const own = attempts.filter((a) => !a.role);
  const failedControl = controls.find((a) => a.verdict !== 'confirmed');
  if (failedControl) {
    const why = failedControl.verdict === 'refuted' ? 'not as the lab needs it' : `not checked${notTried(failedControl) ? ` (${notTried(failedControl)})` : ''}`;
    return { status: 'inconclusive', because: `the ${failedControl.role} ${name(failedControl)} was ${why}, so the claim was not really tried` };
  }
  const status = combine(own.map((a) => a.verdict));
  const off = own.filter((a) => a.verdict === status && status !== 'confirmed');
  return off.length > 0 ? { status, because: `${status}: ${off.map((a) => [name(a), notTried(a)].filter(Boolean).join(', ')).join('; ')}` } : { status };
}
