import { describe, expect, it } from 'vitest';
import { comparePolicyCases, policyCasesMarkdown } from '../../src/compare/policy-cases.ts';
import type { ResultColumn } from '../../src/compare/read-results.ts';
import { caseRowsHeader, formatCaseRow, readCaseRows } from '../../src/netpol/case-rows.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { policyCasesSection } from '../../src/report/html/policy-cases-section.ts';

const detail = (rows: [string, number, string][]) => ['CNI x; 2 cases', 'no policy: open after 1.0 s', caseRowsHeader, ...rows.map(([name, s, verdict]) => formatCaseRow({ name, convergedSeconds: s, verdict })), '', '=== deny-all-ingress — …', '80/TCP x/b→x/a  0.1 s  not a row'].join('\n');
const column = (name: string, text: string | undefined): ResultColumn => ({
  name,
  source: `results/${name}`,
  skipped: [],
  results: [{ scenario: 'k8s-network-policy', claims: [{ id: 'K18', attempts: text === undefined ? [] : [{ detail: text }] }] } as unknown as ScenarioResult],
});

describe('K18 per-case summary across CNIs', () => {
  it('reads back the rows the probe writes, and only those', () => {
    const rows = readCaseRows(detail([['deny-all-ingress', 2.5, 'conformant'], ['from-pod-selector', 12.25, 'partly (3 cells differ): 80/UDP …']]));
    expect(rows).toEqual([{ name: 'deny-all-ingress', convergedSeconds: 2.5, verdict: 'conformant' }, { name: 'from-pod-selector', convergedSeconds: 12.3, verdict: 'partly (3 cells differ): 80/UDP …' }]);
    expect(readCaseRows('no table here')).toEqual([]);
  });

  it('puts each case in a row and each CNI in a column, a CNI without the suite "not run"', () => {
    const comparison = comparePolicyCases([
      column('kindnet', detail([['deny-all-ingress', 6.1, 'not enforced (72 cells differ, every cell open)']])),
      column('kube-router', detail([['deny-all-ingress', 1.2, 'conformant'], ['named-port', 1.9, 'partly (4 cells differ): …']])),
      column('flannel', undefined),
    ])!;
    const markdown = policyCasesMarkdown(comparison).join('\n');
    expect(markdown).toContain('| case | kindnet | kube-router | flannel |');
    expect(markdown).toContain('| deny-all-ingress | not enforced (72 cells) · 6.1 s | conformant · 1.2 s | not run |');
    expect(markdown).toContain('| named-port | not run | partly (4 cells) · 1.9 s | not run |');
    expect(policyCasesSection(comparison)).toContain('<span class="badge refuted">not enforced (72 cells) · 6.1 s</span>');
    expect(comparePolicyCases([column('flannel', undefined)])).toBeUndefined();
  });
});
