/**
 * The per-case summary line of the K18 detail, written by the probe and read
 * back by compare: `<case> <seconds> s  <verdict words>`, one per case,
 * under a fixed header.
 */
export interface CaseRow {
  readonly name: string;
  readonly convergedSeconds: number;
  /** `conformant`, `not enforced (…)`, `partly (…): …`, `inconclusive …`. */
  readonly verdict: string;
}

export const caseRowsHeader = 'case                         converged  verdict (against the model)';

export const formatCaseRow = (row: CaseRow) => `${row.name.padEnd(28)} ${row.convergedSeconds.toFixed(1).padStart(5)} s  ${row.verdict}`;

/** The rows under the header, up to the first blank line; none when the detail has no table. */
export function readCaseRows(detail: string | undefined): CaseRow[] {
  const lines = (detail ?? '').split('\n');
  const start = lines.indexOf(caseRowsHeader);
  if (start < 0) return [];
  const rows: CaseRow[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^(\S+) +(\d+\.\d) s {2}(.*)$/.exec(line);
    if (!match) break;
    rows.push({ name: match[1]!, convergedSeconds: Number(match[2]), verdict: match[3]! });
  }
  return rows;
}

/** The verdict's kind alone: `conformant`, `not enforced`, `partly`, `inconclusive`. */
export const verdictKind = (verdict: string) => /^(conformant|not enforced|partly|inconclusive)/.exec(verdict)?.[1] ?? verdict;
