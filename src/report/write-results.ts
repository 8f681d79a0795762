import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderScenarioHtml } from './html/scenario-page.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { ScenarioResult } from './result.ts';

/** Writes results/<scenario>.json, .md and .html, and the JUnit file when asked; returns the paths. */
export async function writeResults(result: ScenarioResult, dir: string, junitPath?: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = [join(dir, `${result.scenario}.json`), join(dir, `${result.scenario}.md`), join(dir, `${result.scenario}.html`)];
  await writeFile(paths[0]!, JSON.stringify(result, null, 2) + '\n');
  await writeFile(paths[1]!, renderMarkdown(result));
  await writeFile(paths[2]!, await renderScenarioHtml(result));
  if (junitPath) {
    await mkdir(dirname(junitPath), { recursive: true });
    await writeFile(junitPath, renderJunit(result));
    paths.push(junitPath);
  }
  return paths;
}
