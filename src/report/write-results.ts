import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { renderScenarioHtml } from './html/scenario-page.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { ScenarioResult } from './result.ts';

/**
 * Writes results/<scenario>.json, .md and .html, and the JUnit file when
 * asked; returns the paths. Everything is rendered first, then each file is
 * written beside its place and renamed over it: a killed run never leaves a
 * truncated file, and the previous result stays readable until the new one
 * is whole.
 */
export async function writeResults(result: ScenarioResult, dir: string, junitPath?: string): Promise<string[]> {
  const files: [string, string][] = [
    [join(dir, `${result.scenario}.json`), JSON.stringify(result, null, 2) + '\n'],
    [join(dir, `${result.scenario}.md`), renderMarkdown(result)],
    [join(dir, `${result.scenario}.html`), await renderScenarioHtml(result)],
    ...(junitPath ? [[junitPath, renderJunit(result)] as [string, string]] : []),
  ];
  for (const [path, content] of files) await writeAtomically(path, content);
  return files.map(([path]) => path);
}

/** A temporary file in the same directory, then rename(2): readers see the old file or the new one, never half. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Checked before a run starts, so a results directory that cannot be written is said at once, not after the lab ran. */
export async function ensureWritable(dir: string): Promise<void> {
  const probe = join(dir, `.netproof-write-check.${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new UsageError(`cannot write results to ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; choose another directory with --results DIR`);
  }
}
