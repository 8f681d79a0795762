import { formatOutcome } from '../outcome/outcome.ts';
import { outcomeCounts, repeatsWords } from './repeats.ts';
import type { ScenarioResult } from './result.ts';

const headers = ['claim', 'connection string', 'expected', 'observed', 'verdict', 'time'] as const;

/** Rows of claim × attempt: what was tried, what the article expected, what happened. */
export function resultRows(result: ScenarioResult): string[][] {
  return result.claims.flatMap((claim) =>
    claim.attempts.map((attempt, i) => [
      i === 0 ? claim.id : '',
      (attempt.from ? `[from ${attempt.from}] ` : '') + attempt.connection + (attempt.note ? ` (${attempt.note})` : ''),
      i === 0 || attempt.expected !== claim.attempts[i - 1]!.expected ? attempt.expected : '',
      formatOutcome(attempt.outcome) + (claim.repeats && claim.repeats.rounds > 1 ? ` [${outcomeCounts(claim.repeats.outcomes[i] ?? {})}]` : ''),
      attempt.verdict + (i === 0 && claim.repeats ? ` — claim ${repeatsWords(claim.repeats)}` : ''),
      `${(attempt.durationMs / 1000).toFixed(1)} s`,
    ]),
  );
}

/** A plain-text table for the terminal. */
export function renderTable(result: ScenarioResult): string {
  const rows = [headers.slice(), ...resultRows(result)];
  const widths = headers.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const { confirmed, refuted, inconclusive } = result.summary;
  return [
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    '',
    `${result.scenario}: ${confirmed} confirmed, ${refuted} refuted, ${inconclusive} inconclusive in ${(result.durationMs / 1000).toFixed(1)} s (run ${result.runId})`,
  ].join('\n');
}

/** The end of a batch (`--all`, several names, `--claim` across scenarios): one line per scenario, then the totals. */
export function renderBatchSummary(results: readonly ScenarioResult[]): string {
  const width = Math.max(8, ...results.map((r) => r.scenario.length));
  const flaky = (r: ScenarioResult) => r.claims.filter((c) => c.repeats?.flaky).map((c) => c.id);
  const lines = results.map((r) => {
    const { confirmed, refuted, inconclusive } = r.summary;
    const marks = flaky(r).length ? `  flaky: ${flaky(r).join(' ')}` : '';
    return `${r.scenario.padEnd(width)}  ${confirmed} confirmed  ${refuted} refuted  ${inconclusive} inconclusive  ${(r.durationMs / 1000).toFixed(1)} s${marks}`;
  });
  const total = (key: 'confirmed' | 'refuted' | 'inconclusive') => results.reduce((sum, r) => sum + r.summary[key], 0);
  return ['', 'scenario'.padEnd(width) + '  verdicts', ...lines, `${results.length} scenarios: ${total('confirmed')} confirmed, ${total('refuted')} refuted, ${total('inconclusive')} inconclusive`].join('\n');
}
