import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { renderCompareHtml } from '../report/html/compare-page.ts';
import { appendStepSummary, compareSummary } from '../report/step-summary.ts';
import { compareColumns } from './compare-matrix.ts';
import { readColumn } from './read-results.ts';
import { comparisonMarkdown, comparisonMatrix } from './render-comparison.ts';

export const compareUsage = `  npm run compare -- DIR|NAME=DIR ... [--out DIR]   one table of several result directories (a column each: a CNI, an engine, a machine)`;

/** `npm run compare -- results/kindnet results/flannel`: writes compare.md, .json, .html and prints the Markdown. */
export async function compareCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { out: { type: 'string', default: 'results/compare' } }, allowPositionals: true });
  if (positionals.length < 2) throw new UsageError('compare: give two or more result directories (e.g. results/kindnet results/flannel)');
  const columns = await Promise.all(positionals.map(readColumn));
  const comparison = compareColumns(columns);
  const markdown = comparisonMarkdown(comparison);
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'compare.md'), markdown);
  await writeFile(join(values.out, 'compare.json'), JSON.stringify(comparison, null, 2) + '\n');
  const matrix = comparisonMatrix(comparison, (name) => relative(values.out, columns.find((c) => c.name === name)!.source) || '.');
  await writeFile(join(values.out, 'compare.html'), renderCompareHtml(matrix));
  // In GitHub Actions the matrix goes to the job summary too.
  await appendStepSummary(compareSummary(matrix));
  process.stdout.write(markdown);
  process.stderr.write(`wrote ${values.out}/compare.{md,json,html}\n`);
  return 0;
}
