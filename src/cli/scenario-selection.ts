import { UsageError } from '../errors.ts';
import { loadScenario, scanScenarios } from '../scenario/registry.ts';
import type { ScenarioSpec } from '../scenario/scenario.ts';

export interface Selection {
  /** Scenario names given on the command line. */
  readonly names: readonly string[];
  /** `--all`: every scenario (narrowed by `environment` and `cni`). */
  readonly all?: boolean;
  readonly environment?: 'docker' | 'kind';
  /** `--cni X`: kind scenarios whose cluster runs that CNI. */
  readonly cni?: string;
  /** `--claim D1,K5`: only these claims; with no name and no --all, the scenarios that hold them. */
  readonly claims?: readonly string[];
}

/** Every scenario; a file that does not load is a usage error naming it (`--list` shows the others: scanScenarios). */
export async function allScenarios(): Promise<ScenarioSpec[]> {
  const { specs, broken } = await scanScenarios();
  if (broken[0]) throw broken[0];
  return specs;
}

/** The scenarios a command line asks for, each with only the claims it asks for; a claim id no scenario holds is a usage error. */
export async function selectScenarios(selection: Selection): Promise<ScenarioSpec[]> {
  const { names, claims } = selection;
  if (selection.all && names.length > 0) throw new UsageError('--all runs every scenario: name none');
  let specs: ScenarioSpec[];
  if (names.length > 0) specs = await Promise.all(names.map(loadScenario));
  else if (selection.all || claims?.length) {
    specs = (await allScenarios()).filter(
      (spec) =>
        (!selection.environment || spec.environment.kind === selection.environment) &&
        (!selection.cni || (spec.environment.kind === 'kind' && spec.environment.cluster?.cni === selection.cni)),
    );
  } else throw new UsageError('name a scenario, or use --all or --claim');
  if (!claims?.length) return specs;
  const held = new Set(specs.flatMap((spec) => spec.claims.map((c) => c.id)));
  // Ids are matched case-insensitively (`--claim d1` is D1): no two claims differ only in case.
  const byLowerCase = new Map([...held].map((id) => [id.toLowerCase(), id]));
  const wanted = claims.map((id) => byLowerCase.get(id.toLowerCase()) ?? id);
  const unknown = wanted.filter((id) => !held.has(id));
  if (unknown.length > 0) {
    throw new UsageError(`no selected scenario holds claim ${unknown.join(', ')}; they hold ${[...held].join(' ')}`);
  }
  // Every workload still starts: a claim's probes may use any of them (a server, a peer's address).
  return specs.map((spec) => ({ ...spec, claims: spec.claims.filter((c) => wanted.includes(c.id)) })).filter((spec) => spec.claims.length > 0);
}

/** `--claim D1,K5` → ['D1', 'K5'] (as typed: selectScenarios matches them case-insensitively). */
export const claimIds = (value: string | undefined): string[] | undefined =>
  value
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);

/** What `npm run scenario` with no name prints: each scenario, where it runs, and its claims. */
export function scenarioListing(specs: readonly ScenarioSpec[]): { name: string; environment: string; description: string; claims: string[] }[] {
  return specs.map((spec) => ({
    name: spec.name,
    environment: spec.environment.kind === 'kind' && spec.environment.cluster ? `kind (${spec.environment.cluster.cni})` : spec.environment.kind,
    description: spec.environment.description,
    claims: spec.claims.map((c) => c.id),
  }));
}

export function renderListing(entries: ReturnType<typeof scenarioListing>): string {
  const width = Math.max(...entries.map((e) => e.name.length));
  const envWidth = Math.max(...entries.map((e) => e.environment.length));
  return entries.map((e) => `${e.name.padEnd(width)}  ${e.environment.padEnd(envWidth)}  ${e.claims.join(' ')}`).join('\n') + '\n';
}
