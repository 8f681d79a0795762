import type { ExecResult } from '../exec/exec-result.ts';
import { formatOutcome, type Outcome } from '../outcome/outcome.ts';

/**
 * A reachability matrix in the style of Kubernetes' NetworkPolicy e2e tests:
 * rows are clients, columns servers, each cell whether the connection is
 * expected to get through. `.` connects, `X` is blocked, `?` is a check that
 * could not be made, `-` a cell with no expectation (shown, not judged).
 */
export type Reach = 'connects' | 'blocked';

/** One observed cell: the probe's outcome, which server answered, and the commands behind it. */
export interface ObservedCell {
  readonly outcome: Outcome;
  /** Set where the outcome alone does not say it but the probe's evidence does (a refusal where the same cell connected without a policy: the filter rejects). */
  readonly reach?: Reach;
  readonly answeredBy?: string;
  readonly evidence: readonly ExecResult[];
}

export interface TruthTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** Expected reach per cell, `row→column`. */
  readonly expected: ReadonlyMap<string, Reach>;
}

export const cellKey = (row: string, column: string) => `${row}→${column}`;

/**
 * What an outcome says about reach: success connects; a timeout or no route is
 * blocked (a policy drops, it never answers); anything else (refused, other,
 * check-failed) is not evidence of a policy either way.
 */
export function reachOf(outcome: Outcome): Reach | 'inconclusive' {
  if (outcome.kind === 'success' || outcome.kind === 'http-status') return 'connects';
  if (outcome.kind === 'timeout' || outcome.kind === 'no-route') return 'blocked';
  return 'inconclusive';
}

export interface TableComparison {
  /** Every cell conclusive and as expected. */
  readonly matches: boolean;
  /** Some cell could not be judged (its probe failed, or the outcome says nothing about a policy). */
  readonly inconclusive: readonly string[];
  /** Cells whose conclusive outcome differs from the expectation. */
  readonly differences: readonly string[];
  /** Expected, observed and the comparison, as `.`/`X` tables. */
  readonly text: string;
}

/** Compares the observed cells with the table; a missing cell is inconclusive. */
export function compareTable(table: TruthTable, observed: ReadonlyMap<string, ObservedCell>): TableComparison {
  const inconclusive: string[] = [];
  const differences: string[] = [];
  const seen = new Map<string, Reach | 'inconclusive'>();
  for (const row of table.rows) {
    for (const column of table.columns) {
      const key = cellKey(row, column);
      const cell = observed.get(key);
      const reach = cell ? (cell.reach ?? reachOf(cell.outcome)) : 'inconclusive';
      seen.set(key, reach);
      // A cell without an expectation is shown, never judged.
      if (!table.expected.has(key)) continue;
      if (reach === 'inconclusive') inconclusive.push(`${key}: ${cell ? formatOutcome(cell.outcome) : 'not probed'}`);
      else if (reach !== table.expected.get(key)) differences.push(`${key}: expected ${table.expected.get(key)}, observed ${formatOutcome(cell!.outcome)}`);
    }
  }
  const mark = (reach: Reach | 'inconclusive' | undefined) => (reach === 'connects' ? '.' : reach === 'blocked' ? 'X' : reach === undefined ? '-' : '?');
  const same = (key: string) => {
    const reach = seen.get(key);
    return !table.expected.has(key) ? '-' : reach === 'inconclusive' ? '?' : reach === table.expected.get(key) ? '.' : 'X';
  };
  const text = [
    'expected', render(table, (key) => mark(table.expected.get(key))),
    'observed', render(table, (key) => mark(seen.get(key))),
    'comparison (. as expected, X differs, ? inconclusive, - not judged)', render(table, same),
  ].join('\n');
  return { matches: inconclusive.length === 0 && differences.length === 0, inconclusive, differences, text };
}

/** One table: a header of column indices, a row per client with its name. */
function render(table: TruthTable, cell: (key: string) => string): string {
  const width = Math.max(...table.rows.map((r) => r.length));
  const header = `${' '.repeat(width)}  ${table.columns.map((_, i) => String(i + 1).padEnd(2)).join('')}`;
  const lines = table.rows.map((row) => `${row.padEnd(width)}  ${table.columns.map((column) => cell(cellKey(row, column)).padEnd(2)).join('')}`);
  const legend = table.columns.map((column, i) => `${i + 1}=${column}`).join(' ');
  return [header, ...lines, `${' '.repeat(width)}  (${legend})`].join('\n');
}
