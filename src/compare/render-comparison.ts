import type { CompareMatrix } from '../report/html/compare-page.ts';
import type { Comparison } from './compare-matrix.ts';

type Cell = Comparison['rows'][number]['cells'][string];
const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
/** The verdict, then every attempt on a line of its own (`<br>`, which Markdown tables allow). */
const cellText = (cell: Cell) => (cell ? [`**${cell.verdict}**`, ...cell.attempts.map((a, i) => `${i + 1}. ${escapeCell(a)}`)].join('<br>') : 'not run');

/** The comparison as Markdown: one table (differing rows first, marked ≠), then each column's fingerprint. */
export function comparisonMarkdown(comparison: Comparison): string {
  const { columns, rows } = comparison;
  const differing = rows.filter((r) => r.differs).length;
  const lines = [
    `# netproof: ${columns.join(' vs ')}`,
    '',
    `${differing} of ${rows.length} claims differ between the environments; they come first (≠).`,
    '',
    `| | claim | ${columns.map(escapeCell).join(' | ')} |`,
    `|---|---|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.differs ? '≠' : ''} | ${[row.claim, ...(row.engineChanges ?? []).map((change) => `_${escapeCell(change)}_`)].join('<br>')} | ${columns.map((c) => cellText(row.cells[c])).join(' | ')} |`),
    '',
    '## Fingerprints',
    '',
  ];
  for (const column of columns) {
    lines.push(`### ${column}`, '', ...Object.entries(comparison.fingerprints[column] ?? {}).map(([key, value]) => `- ${key}: ${value}`), '');
  }
  return lines.join('\n');
}

/** The comparison in the HTML report's compare page shape (src/report/html/compare-page.ts); `dirOf` a column's results directory as seen from the page. */
export function comparisonMatrix(comparison: Comparison, dirOf: (column: string) => string): CompareMatrix {
  return {
    title: `netproof: ${comparison.columns.join(' vs ')}`,
    columns: comparison.columns,
    rows: comparison.rows.map((row) => ({
      claim: row.claim,
      says: row.says,
      differs: row.differs,
      ...(row.engineChanges ? { engineChanges: row.engineChanges } : {}),
      cells: Object.fromEntries(
        comparison.columns.map((c) => {
          const cell = row.cells[c];
          return [c, cell ? { verdict: cell.verdict, observed: cell.attempts.join('\n'), href: `${dirOf(c)}/${cell.scenario}.html#claim-${row.claim}` } : undefined];
        }),
      ),
    })),
  };
}
