import type { VerdictStatus } from '../verdict/verdict.ts';
import type { ClaimResult } from './result.ts';

/** How a claim came out over `--repeat N` rounds on one environment. */
export interface ClaimRepeats {
  readonly rounds: number;
  /** Per attempt (in order), how often each outcome kind occurred. */
  readonly outcomes: readonly Readonly<Record<string, number>>[];
  readonly verdicts: Readonly<Partial<Record<VerdictStatus, number>>>;
  /** The verdict was not the same in every round. */
  readonly flaky: boolean;
}

const count = <K extends string>(keys: readonly K[]): Partial<Record<K, number>> => {
  const counts: Partial<Record<K, number>> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

/**
 * One result per claim from several rounds: the first round's attempts and
 * evidence, with the counts of every round beside them. A flaky claim keeps
 * the first round's verdict and says it is flaky; it is never averaged away.
 */
export function mergeRounds(rounds: readonly (readonly ClaimResult[])[]): ClaimResult[] {
  const [first, ...rest] = rounds;
  if (!first) return [];
  return first.map((claim, i) => {
    const all = [claim, ...rest.map((round) => round[i]!)];
    const verdicts = count(all.map((c) => c.verdict));
    const repeats: ClaimRepeats = {
      rounds: all.length,
      outcomes: claim.attempts.map((_, a) => count(all.map((c) => c.attempts[a]?.outcome.kind ?? 'missing'))),
      verdicts,
      flaky: Object.keys(verdicts).length > 1,
    };
    return { ...claim, repeats };
  });
}

/** `success×4 timeout×1`: how often each outcome occurred over the rounds. */
export const outcomeCounts = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([kind, n]) => `${kind}×${n}`)
    .join(' ');

/** `confirmed 4/5, refuted 1/5 (flaky)` for tables. */
export function repeatsWords(repeats: ClaimRepeats): string {
  const verdicts = Object.entries(repeats.verdicts).map(([verdict, n]) => `${verdict} ${n}/${repeats.rounds}`);
  return `${verdicts.join(', ')}${repeats.flaky ? ' (flaky)' : ''}`;
}
