import { UsageError } from '../errors.ts';
import { loadScenario, scanScenarios } from '../scenario/registry.ts';
import type { Cni } from '../environment/kind/index.ts';
import type { ScenarioSpec } from '../scenario/scenario.ts';

export interface Selection {
  /** Scenario names given on the command line. */
  readonly names: readonly string[];
  /** `--all`: every scenario (narrowed by `environment` and `cni`). */
  readonly all?: boolean;
  readonly environment?: 'docker' | 'kind';
  /** The CNI Kubernetes scenarios will run on: a named scenario that cannot is a usage error, others are left out (onSkip says why). */
  readonly cni?: Cni;
  readonly onSkip?: (spec: ScenarioSpec, reason: string) => void;
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
  if (names.length > 0) {
    specs = await Promise.all(names.map(loadScenario));
    for (const spec of specs) {
      const reason = cannotRunOn(spec, selection.cni);
      if (reason) throw new UsageError(`scenario ${spec.name} cannot run on ${selection.cni}: ${reason}`);
    }
  } else if (selection.all || claims?.length) {
    specs = (await allScenarios()).filter((spec) => !selection.environment || spec.environment.kind === selection.environment);
    specs = specs.filter((spec) => {
      const reason = cannotRunOn(spec, selection.cni);
      if (reason) selection.onSkip?.(spec, reason);
      return !reason;
    });
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

/** Why a scenario cannot run on a CNI (its file says so), or undefined. */
export const cannotRunOn = (spec: ScenarioSpec, cni: Cni | undefined): string | undefined =>
  cni === undefined ? undefined : spec.environment.cluster?.unsupportedCnis?.[cni];

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
    environment: kindListing(spec),
    description: spec.environment.description,
    claims: spec.claims.map((c) => c.id),
  }));
}

/** `kind`, or `kind (not on flannel)` when the file says where it cannot run. */
function kindListing(spec: ScenarioSpec): string {
  const unsupported = Object.keys(spec.environment.cluster?.unsupportedCnis ?? {});
  return unsupported.length > 0 ? `${spec.environment.kind} (not on ${unsupported.join(', ')})` : spec.environment.kind;
}

export function renderListing(entries: ReturnType<typeof scenarioListing>): string {
  const width = Math.max(...entries.map((e) => e.name.length));
  const envWidth = Math.max(...entries.map((e) => e.environment.length));
  return entries.map((e) => `${e.name.padEnd(width)}  ${e.environment.padEnd(envWidth)}  ${e.claims.join(' ')}`).join('\n') + '\n';
}
