import { appendFile } from 'node:fs/promises';
import { differs, type CompareMatrix } from './html/compare-page.ts';
import { markdownTable } from './markdown.ts';
import type { ScenarioResult } from './result.ts';

/**
 * In GitHub Actions, appends the run's claims table to the job summary
 * (the file GITHUB_STEP_SUMMARY names); elsewhere does nothing. Returns the
 * path written, if any.
 */
export async function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return undefined;
  await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return path;
}

/** The summary of one scenario run: a heading with the counts, then the claims table. */
export function scenarioSummary(result: ScenarioResult): string {
  const { confirmed, refuted, inconclusive } = result.summary;
  return [`### netproof: ${result.scenario}`, '', `${confirmed} confirmed, ${refuted} refuted, ${inconclusive} inconclusive (run \`${result.runId}\`)`, '', ...markdownTable(result), ''].join('\n');
}

/** The summary of a comparison: its matrix, differing rows first. */
export function compareSummary(matrix: CompareMatrix): string {
  const rows = [...matrix.rows].sort((a, b) => Number(differs(b, matrix.columns)) - Number(differs(a, matrix.columns)));
  const cell = (row: (typeof rows)[number], column: string) => row.cells[column]?.verdict ?? 'not run';
  return [
    `### netproof: ${matrix.title}`,
    '',
    `| claim | ${matrix.columns.join(' | ')} |`,
    `|---|${matrix.columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.claim}${differs(row, matrix.columns) ? ' (differs)' : ''} | ${matrix.columns.map((c) => cell(row, c)).join(' | ')} |`),
    '',
  ].join('\n');
}
