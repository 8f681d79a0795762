import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { ScenarioResult } from '../report/result.ts';

/** One environment's results: a directory of results/<scenario>.json files (one CNI, one engine, one machine). */
export interface ResultColumn {
  /** The directory's name (`results/flannel` → `flannel`), or `name=DIR` given on the command line. */
  readonly name: string;
  readonly source: string;
  readonly results: readonly ScenarioResult[];
  /** JSON files beside the results that are no scenario's (vitest.json, an earlier compare.json): skipped, and said so. */
  readonly skipped: readonly string[];
}

/** The schema this netproof reads (src/report/result.ts). */
const schemaVersion = 1;

/** `DIR` or `NAME=DIR` → the column's name and directory; an empty name or directory is a usage error. */
export function columnArgument(argument: string): { name: string; source: string } {
  const at = argument.indexOf('=');
  if (at < 0) return { name: basename(argument.replace(/\/+$/, '')) || argument, source: argument };
  const [name, source] = [argument.slice(0, at).trim(), argument.slice(at + 1)];
  if (!name) throw new UsageError(`compare: "${argument}" has an empty column name: write NAME=DIR (e.g. flannel=${source || 'results/flannel'})`);
  if (!source) throw new UsageError(`compare: "${argument}" names no directory: write NAME=DIR (e.g. ${name}=results/${name})`);
  return { name, source };
}

/**
 * Reads `DIR` or `NAME=DIR`: every results file in it. A user's mistake is a
 * usage error naming the file and what to do: a path that is not there, a
 * directory without results, a file that is not whole JSON or not an object,
 * a results file of another schema. JSON that is no scenario's is skipped
 * and listed in `skipped`.
 */
export async function readColumn(argument: string): Promise<ResultColumn> {
  const { name, source } = columnArgument(argument);
  const found = await stat(source).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`compare: ${source}: ${error.code === 'ENOENT' ? 'no such directory' : error.code ?? error.message}; give a directory that \`npm run scenario -- --results DIR\` wrote`);
  });
  const files = found.isDirectory() ? await resultFiles(source) : [source];
  const results: ScenarioResult[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    const parsed = await readJson(file);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`compare: ${file} holds ${parsed === null ? 'null' : Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`}, not a scenario's results: run its scenario again, or move the file out of the directory`);
    }
    if (isResults(parsed)) results.push(checkedResults(file, parsed));
    else skipped.push(file);
  }
  if (results.length === 0) {
    const held = skipped.length > 0 ? ` (only ${skipped.join(', ')}, which no scenario wrote)` : '';
    throw new UsageError(`compare: ${source} holds no results/<scenario>.json${held}; run \`npm run scenario -- --all --results ${source}\` first, or give the directory a run wrote`);
  }
  return { name, source, results, skipped };
}

/** The directory's *.json entries, sorted; an entry named *.json that is not a file is a mistake said by name. */
async function resultFiles(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.name.endsWith('.json')).sort((a, b) => a.name.localeCompare(b.name));
  const odd = entries.find((e) => !e.isFile() && !e.isSymbolicLink());
  if (odd) throw new UsageError(`compare: ${join(dir, odd.name)} is ${odd.isDirectory() ? 'a directory' : 'not a regular file'}, not a results file: rename it or move it out of ${dir}`);
  return entries.map((e) => join(dir, e.name));
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`compare: cannot read ${file}: ${error.code ?? error.message}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`compare: ${file} is not whole JSON (${(error as Error).message}): a run was cut short? run its scenario again, or move the file out of the directory`);
  }
}

/** A scenario's results file, of any schema: it says which scenario it is (vitest.json and compare.json do not). */
function isResults(parsed: object): parsed is Record<string, unknown> {
  return 'schemaVersion' in parsed && 'scenario' in parsed;
}

function checkedResults(file: string, parsed: Record<string, unknown>): ScenarioResult {
  if (parsed.schemaVersion !== schemaVersion) {
    throw new UsageError(`compare: ${file} is a results file of schema ${JSON.stringify(parsed.schemaVersion)}; this netproof reads schema ${schemaVersion}: compare it with the netproof that wrote it, or run its scenario again`);
  }
  if (typeof parsed.scenario !== 'string' || !Array.isArray(parsed.claims)) {
    throw new UsageError(`compare: ${file} says schema ${schemaVersion} but has no scenario name or claims list: run its scenario again, or move the file out of the directory`);
  }
  return parsed as unknown as ScenarioResult;
}
