import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { helpOption, renderHelp, type CommandHelp } from '../cli/help.ts';
import { labNeeded, type Mode } from '../cli/mode.ts';
import { UsageError } from '../errors.ts';
import { renderCompareHtml } from '../report/html/compare-page.ts';
import { appendStepSummary, compareSummary } from '../report/step-summary.ts';
import { ensureWritable } from '../report/write-results.ts';
import { policyCasesSection } from '../report/html/policy-cases-section.ts';
import { compareColumns, distinctColumnNames } from './compare-matrix.ts';
import { comparePolicyCases, policyCasesMarkdown } from './policy-cases.ts';
import { columnArgument, readColumn } from './read-results.ts';
import { comparisonMarkdown, comparisonMatrix } from './render-comparison.ts';

export const compareUsage = `  npm run compare -- DIR|NAME=DIR ... [--out DIR]   one table of several result directories (a column each: a CNI, an engine, a machine)`;

export const compareOptions = { ...helpOption, out: { type: 'string', default: 'results/compare' } } as const satisfies ParseArgsOptionsConfig;
export const compareHelp: CommandHelp = {
  command: 'compare',
  usage: compareUsage,
  options: compareOptions,
  variables: ['GITHUB_STEP_SUMMARY'],
  notes: 'A column is a directory `npm run scenario -- … --results DIR` wrote; its name is the directory\'s, or NAME in NAME=DIR. Reads files only: no root, no engine.',
};

/** `npm run compare -- results/kindnetd-lab results/flannel`: writes compare.md, .json, .html and prints the Markdown. */
export async function compareCommand(args: readonly string[], mode: Mode = 'run'): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: compareOptions, allowPositionals: true });
  if (values.help) {
    if (mode === 'validate') return labNeeded(false);
    process.stdout.write(renderHelp(compareHelp));
    return 0;
  }
  if (positionals.length < 2) throw new UsageError('compare: give two or more result directories (e.g. results/kindnetd-lab results/flannel)');
  distinctColumnNames(positionals.map((argument) => columnArgument(argument).name));
  if (mode === 'validate') return labNeeded(false);
  await ensureWritable(values.out, '--out DIR');
  const columns = await Promise.all(positionals.map(readColumn));
  for (const column of columns) {
    for (const file of column.skipped) process.stderr.write(`compare: skipped ${file}: JSON that no scenario wrote (no schemaVersion and scenario)\n`);
  }
  const comparison = compareColumns(columns);
  const policyCases = comparePolicyCases(columns);
  const markdown = [comparisonMarkdown(comparison), ...(policyCases ? policyCasesMarkdown(policyCases) : [])].join('\n');
  await writeFile(join(values.out, 'compare.md'), markdown);
  await writeFile(join(values.out, 'compare.json'), JSON.stringify({ ...comparison, ...(policyCases ? { policyCases } : {}) }, null, 2) + '\n');
  const matrix = comparisonMatrix(comparison, (name) => relative(values.out, columns.find((c) => c.name === name)!.source) || '.');
  await writeFile(join(values.out, 'compare.html'), renderCompareHtml(matrix, policyCases ? policyCasesSection(policyCases) : ''));
  // In GitHub Actions the matrix goes to the job summary too.
  await appendStepSummary(compareSummary(matrix));
  process.stdout.write(markdown);
  process.stderr.write(`wrote ${values.out}/compare.{md,json,html}\n`);
  return 0;
}
