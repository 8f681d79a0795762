import { policyCaseCell, type PolicyCaseComparison } from '../../compare/policy-cases.ts';
import { verdictKind } from '../../netpol/case-rows.ts';
import { html } from './escape.ts';

/** The verdict kinds as the page's badge classes. */
const badge: Record<string, string> = { conformant: 'confirmed', 'not enforced': 'refuted', partly: 'refuted', inconclusive: 'inconclusive' };

/** K18's per-case table on the compare page: a row per policy case, a column per environment. */
export function policyCasesSection(comparison: PolicyCaseComparison): string {
  const cell = (row: PolicyCaseComparison['cases'][number]['cells'][string]) =>
    row ? `<td class="cell" title="${html(row.verdict)}"><span class="badge ${badge[verdictKind(row.verdict)] ?? 'inconclusive'}">${html(policyCaseCell(row))}</span></td>` : '<td class="cell muted">not run</td>';
  return `<h2>NetworkPolicy cases (K18): verdict against the model · convergence</h2>
<table class="matrix"><thead><tr><th>case</th>${comparison.columns.map((c) => `<th>${html(c)}</th>`).join('')}</tr></thead>
<tbody>${comparison.cases.map((c) => `<tr><th scope="row">${html(c.name)}</th>${comparison.columns.map((col) => cell(c.cells[col])).join('')}</tr>`).join('\n')}</tbody></table>`;
}
