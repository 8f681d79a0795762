import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ScenarioResult } from '../report/result.ts';

/** One environment's results: a directory of results/<scenario>.json files (one CNI, one engine, one machine). */
export interface ResultColumn {
  /** The directory's name (`results/flannel` → `flannel`), or `name=DIR` given on the command line. */
  readonly name: string;
  readonly source: string;
  readonly results: readonly ScenarioResult[];
}

/** Reads `DIR` or `NAME=DIR`: every schema-1 results file in it; a directory without one is an error. */
export async function readColumn(argument: string): Promise<ResultColumn> {
  const [name, source] = argument.includes('=') ? (argument.split('=', 2) as [string, string]) : [basename(argument.replace(/\/+$/, '')), argument];
  const files = (await stat(source)).isDirectory() ? (await readdir(source)).filter((f) => f.endsWith('.json')).sort().map((f) => join(source, f)) : [source];
  const results: ScenarioResult[] = [];
  for (const file of files) {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ScenarioResult>;
    // Other JSON beside results (vitest.json, an earlier compare.json) is not a scenario's.
    if (parsed.schemaVersion === 1 && typeof parsed.scenario === 'string' && Array.isArray(parsed.claims)) results.push(parsed as ScenarioResult);
  }
  if (results.length === 0) throw new Error(`${source} holds no results/<scenario>.json of schema 1`);
  return { name, source, results };
}
