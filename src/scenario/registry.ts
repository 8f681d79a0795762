import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, relative } from 'node:path';
import { ScenarioError, UsageError } from '../errors.ts';
import type { ScenarioSpec } from './scenario.ts';

/** scenarios/, one file a scenario; NETPROOF_SCENARIOS_DIR points elsewhere (tests of broken files). */
export const scenariosDir = process.env.NETPROOF_SCENARIOS_DIR ?? fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Names of the scenarios in scenarios/ (or `dir`: the tests' fixture scenarios), one file each. */
export async function scenarioNames(dir = scenariosDir): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
}

export function loadScenario(name: string): Promise<ScenarioSpec> {
  return loadScenarioFrom(scenariosDir, name);
}

/** A scenario file of another folder, loaded and checked as scenarios/' are (the tests' fixture scenarios). */
export async function loadScenarioFrom(dir: string, name: string): Promise<ScenarioSpec> {
  const names = await scenarioNames(dir);
  if (!names.includes(name)) {
    throw new UsageError(`unknown scenario "${name}". Known scenarios: ${names.join(', ')}`);
  }
  const file = join(dir, `${name}.ts`);
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: ScenarioSpec };
    if (!module.default) throw new ScenarioError('it has no default export: end it with `export default defineScenario({ … })`');
    if (module.default.name !== name) throw new ScenarioError(`it declares the name "${module.default.name}": a scenario is named after its file`, { near: module.default.name });
    return module.default;
  } catch (error) {
    throw await asScenarioError(error, file);
  }
}

/** Every scenario that loads, and each file that does not with its usage error: one broken file does not hide the others. */
export async function scanScenarios(): Promise<{ specs: ScenarioSpec[]; broken: ScenarioError[] }> {
  const loaded = await Promise.allSettled((await scenarioNames()).map(loadScenario));
  return {
    specs: loaded.flatMap((l) => (l.status === 'fulfilled' ? [l.value] : [])),
    broken: loaded.flatMap((l) => (l.status === 'rejected' ? [l.reason as ScenarioError] : [])),
  };
}

/**
 * Any failure while loading a file, as a usage error that names it: the
 * line from the error's own position (a syntax error, a throw at load) or,
 * for a definition that does not hold together, the first line naming the
 * thing it is about; and what to do.
 */
async function asScenarioError(error: unknown, file: string): Promise<ScenarioError> {
  const where = relative(process.cwd(), file) || file;
  const message = error instanceof Error ? error.message.split('\n').find((l) => l.trim() && !/^\s*at /.test(l) && !l.includes(file)) ?? error.message : String(error);
  const text = await readFile(file, 'utf8').catch(() => '');
  const positioned = error instanceof Error ? new RegExp(`${escape(file)}:(\\d+)`).exec(`${error.stack ?? ''}\n${error.message}`)?.[1] : undefined;
  const near = error instanceof ScenarioError && error.near ? lineOf(text, error.near) : undefined;
  // A definition error names what it is about; the stack would only point at the defineScenario call.
  const line = near ?? positioned;
  return new ScenarioError(`${where}${line ? `:${line}` : ''}: ${message.replace(/^scenario [\w-]+: /, '')} (fix the file, or move it out of scenarios/)`, { cause: error });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first line quoting `word` ('word' or "word"). */
function lineOf(text: string, word: string): string | undefined {
  const index = text.split('\n').findIndex((line) => line.includes(`'${word}'`) || line.includes(`"${word}"`) || new RegExp(`\\b${escape(word)}\\s*:`).test(line));
  return index >= 0 ? String(index + 1) : undefined;
}
