import type { VerdictStatus } from '../../verdict/verdict.ts';
import { html } from './escape.ts';
import { filters, page } from './page.ts';

/** One cell of a comparison: a claim's verdict in one environment (a CNI), and where its evidence is. */
export interface CompareCell {
  readonly verdict: VerdictStatus;
  /** Short words for the cell, e.g. the outcomes (`timeout, refused`); one line per attempt. */
  readonly observed?: string;
  /** The evidence: a relative link, e.g. `kind-netpol-calico.html#claim-K5`. */
  readonly href?: string;
}

/** A claim × environment matrix, e.g. the claims of the Kubernetes scenarios across CNIs. */
export interface CompareMatrix {
  readonly title: string;
  /** Column names in order (`kindnetd-lab`, `flannel`, `cilium`). */
  readonly columns: readonly string[];
  readonly rows: readonly { readonly claim: string; readonly says?: string; readonly differs?: boolean; readonly engineChanges?: readonly string[]; readonly cells: Readonly<Record<string, CompareCell | undefined>> }[];
}

/** A row whose verdict is not the same in every column (a missing cell counts as different), unless the row says itself (compare: any attempt's outcome). */
export const differs = (row: CompareMatrix['rows'][number], columns: readonly string[]): boolean =>
  row.differs ?? new Set(columns.map((column) => row.cells[column]?.verdict ?? 'missing')).size > 1;

/** results/compare.html: the matrix with differing rows first, each cell linking to its evidence; `after`, HTML placed below it (K18's per-case table). */
export function renderCompareHtml(matrix: CompareMatrix, after = ''): string {
  const rows = [...matrix.rows].sort((a, b) => Number(differs(b, matrix.columns)) - Number(differs(a, matrix.columns)));
  const worst = (row: (typeof rows)[number]) =>
    (['refuted', 'inconclusive'] as const).filter((v) => matrix.columns.some((c) => row.cells[c]?.verdict === v));
  const cell = (value: CompareCell | undefined) => {
    if (!value) return '<td class="cell muted">not run</td>';
    const words = `<span class="badge ${html(value.verdict)}">${html(value.verdict)}</span>${value.observed ? ` <span class="muted">${value.observed.split('\n').map(html).join('<br>')}</span>` : ''}`;
    return `<td class="cell">${value.href ? `<a href="${html(value.href)}">${words}</a>` : words}</td>`;
  };
  const body = rows
    .map((row) => {
      const classes = ['row', differs(row, matrix.columns) ? 'differs' : 'same', ...worst(row).map((v) => `verdict-${v}`)].join(' ');
      return `<tr class="${classes}" id="row-${html(row.claim)}"><th scope="row">${html(row.claim)}${differs(row, matrix.columns) ? ' <span class="badge flaky">differs</span>' : ''}${row.says ? `<div class="muted">${html(row.says)}</div>` : ''}${(row.engineChanges ?? []).map((change) => `<div class="engine-change">${html(change)}</div>`).join('')}</th>${matrix.columns.map((c) => cell(row.cells[c])).join('')}</tr>`;
    })
    .join('\n');
  const count = (verdict: VerdictStatus) => rows.filter((r) => worst(r).includes(verdict as 'refuted' | 'inconclusive')).length;
  return page(
    `${matrix.title} — netproof`,
    `<h1>${html(matrix.title)}</h1>
<p class="meta">${rows.filter((r) => differs(r, matrix.columns)).length} of ${rows.length} claims differ between ${matrix.columns.map(html).join(', ')}; they come first.</p>
${filters({ all: rows.length, refuted: count('refuted'), inconclusive: count('inconclusive') })}
<table class="matrix"><thead><tr><th>claim</th>${matrix.columns.map((c) => `<th>${html(c)}</th>`).join('')}</tr></thead>
<tbody>${body}</tbody></table>${after}`,
  );
}
