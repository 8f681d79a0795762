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
