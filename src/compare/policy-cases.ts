/**
 * K18's conformance suite across environments: a row per policy case, a
 * column per results directory, each cell the case's verdict against the
 * model and how long the CNI took to converge.
 */
import { readCaseRows, verdictKind, type CaseRow } from '../netpol/case-rows.ts';
import type { ResultColumn } from './read-results.ts';

export interface PolicyCaseComparison {
  readonly columns: readonly string[];
  readonly cases: readonly { readonly name: string; readonly cells: Readonly<Record<string, CaseRow | undefined>> }[];
}

/** Undefined when no column ran the suite. */
export function comparePolicyCases(columns: readonly ResultColumn[]): PolicyCaseComparison | undefined {
  const perColumn = columns.map((column) => {
    const k18 = column.results.flatMap((r) => r.claims).find((c) => c.id === 'K18');
    return [column.name, readCaseRows(k18?.attempts[0]?.detail)] as const;
  });
  if (perColumn.every(([, rows]) => rows.length === 0)) return undefined;
  const names = [...new Set(perColumn.flatMap(([, rows]) => rows.map((r) => r.name)))];
  return {
    columns: columns.map((c) => c.name),
    cases: names.map((name) => ({ name, cells: Object.fromEntries(perColumn.map(([column, rows]) => [column, rows.find((r) => r.name === name)])) })),
  };
}

/** `partly (12 cells) · 3.1 s`, the cell's short words. */
export function policyCaseCell(row: CaseRow | undefined): string {
  if (!row) return 'not run';
  const cells = /\((\d+) cells/.exec(row.verdict)?.[1];
  return `${verdictKind(row.verdict)}${cells ? ` (${cells} cells)` : ''} · ${row.convergedSeconds.toFixed(1)} s`;
}

export function policyCasesMarkdown(comparison: PolicyCaseComparison): string[] {
  return [
    '## NetworkPolicy cases (K18): verdict against the model · convergence',
    '',
    `| case | ${comparison.columns.join(' | ')} |`,
    `|---|${comparison.columns.map(() => '---').join('|')}|`,
    ...comparison.cases.map((c) => `| ${c.name} | ${comparison.columns.map((col) => policyCaseCell(c.cells[col])).join(' | ')} |`),
    '',
  ];
}
