import { formatOutcome } from '../outcome/outcome.ts';
import type { ScenarioResult } from './result.ts';

const headers = ['claim', 'connection string', 'expected', 'observed', 'verdict', 'time'] as const;

/** Rows of claim × attempt: what was tried, what the article expected, what happened. */
export function resultRows(result: ScenarioResult): string[][] {
  return result.claims.flatMap((claim) =>
    claim.attempts.map((attempt, i) => [
      i === 0 ? claim.id : '',
      (attempt.from ? `[from ${attempt.from}] ` : '') + attempt.connection + (attempt.note ? ` (${attempt.note})` : ''),
      i === 0 || attempt.expected !== claim.attempts[i - 1]!.expected ? attempt.expected : '',
      formatOutcome(attempt.outcome),
      attempt.verdict,
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
