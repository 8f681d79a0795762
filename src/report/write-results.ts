import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { renderScenarioHtml } from './html/scenario-page.ts';
import { renderJunit } from './junit.ts';
import { makeDirectory } from './make-directory.ts';
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
  await makeDirectory(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Checked before a run starts, so a directory that cannot be written is said
 * at once, not after the lab ran: made where missing, then a file written
 * and removed in it. `flag` is the option that names it (`--results DIR`), for the message.
 */
export async function ensureWritable(dir: string, flag = '--results DIR'): Promise<void> {
  const probe = join(dir, `.netproof-write-check.${process.pid}`);
  try {
    await makeDirectory(dir);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new UsageError(`cannot write to ${dir}: ${reason(error)}; choose another with ${flag}`);
  }
}

/** The same for one file (`--junit FILE`): its directory writable, and the name not a directory's. */
export async function ensureWritableFile(path: string, flag: string): Promise<void> {
  if (path === '' || path.endsWith('/')) throw new UsageError(`${flag} takes a file name, not "${path}"`);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new UsageError(`${flag} ${path} is a directory: name a file in it instead`);
  await ensureWritable(dirname(path), `${flag} FILE`);
}

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
