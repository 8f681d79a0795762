import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { ScenarioSpec } from './scenario.ts';

export const scenariosDir = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Names of the scenarios in scenarios/, one file each. */
export async function scenarioNames(): Promise<string[]> {
  return (await readdir(scenariosDir)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
}

export async function loadScenario(name: string): Promise<ScenarioSpec> {
  const names = await scenarioNames();
  if (!names.includes(name)) {
    throw new UsageError(`unknown scenario "${name}". Known scenarios: ${names.join(', ')}`);
  }
  const module = (await import(pathToFileURL(join(scenariosDir, `${name}.ts`)).href)) as { default: ScenarioSpec };
  if (module.default.name !== name) throw new Error(`scenarios/${name}.ts declares the name "${module.default.name}"`);
  return module.default;
}
