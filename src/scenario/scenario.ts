import type { NetworkSpec } from '../environment/docker/index.ts';
import { cniNames, isCni } from '../environment/kind/index.ts';
import { ScenarioError } from '../errors.ts';
import { catalogue } from '../images/catalogue.ts';
import type { EnvironmentSpec } from '../environment/environment.ts';
import { networkProblem } from '../workloads/network-mode.ts';
import type { WorkloadSpec } from '../workloads/workload.ts';
import type { ClaimSpec } from './claim.ts';

/** A scenario file's default export: one environment, its workloads, and the claims tried in it. */
export interface ScenarioSpec {
  /** File name without extension, e.g. "docker-host-db". */
  readonly name: string;
  readonly title: string;
  /** Where it runs: `docker()` (one engine) or `kind({ workers, unsupportedCnis })` (a cluster on that engine, of the CNI the user chose). */
  readonly environment: EnvironmentSpec;
  /** User-defined networks, created before the workloads; workloads name them in `network`. */
  readonly networks?: Readonly<Record<string, NetworkSpec>>;
  /** Started together, each after its `dependsOn`; claims name them in `from`. */
  readonly workloads: Readonly<Record<string, WorkloadSpec>>;
  readonly claims: readonly ClaimSpec[];
}

/**
 * Checks a scenario's internal references once, when its file is loaded: a
 * mistake is a usage error naming what to change (the registry adds the
 * file and line), never a stack trace halfway through a run.
 */
export function defineScenario(spec: ScenarioSpec): ScenarioSpec {
  const fail = (message: string, near: string): never => {
    throw new ScenarioError(message, { near });
  };
  const workloadNames = Object.keys(spec.workloads);
  const ids = new Set<string>();
  for (const claim of spec.claims) {
    if (ids.has(claim.id)) fail(`claim ${claim.id} appears twice: give each claim its own id`, claim.id);
    ids.add(claim.id);
    for (const from of [claim.from, ...claim.attempts.flatMap((a) => (a.from ? [a.from] : []))]) {
      if (from !== 'host' && !(from in spec.workloads)) fail(`claim ${claim.id} is tried from "${from}", which is not a workload (${workloadNames.join(', ')}) or "host"`, from);
    }
    if (claim.attempts.length === 0) fail(`claim ${claim.id} has no attempts`, claim.id);
    if (!/^\d{3}$/.test(claim.article)) fail(`claim ${claim.id} names article "${claim.article}", not a 3-digit file number of shared/articles`, claim.article);
  }
  const networkChoices = { declared: Object.keys(spec.networks ?? {}), workloads: workloadNames };
  for (const [name, workload] of Object.entries(spec.workloads)) {
    // Networks first: `container:<workload>` is also a dependency, and its own message says what can be written.
    for (const [network, primary] of [...(workload.network ? [[workload.network, true] as const] : []), ...(workload.networks ?? []).map((n) => [n, false] as const)]) {
      const problem = networkProblem(name, network, networkChoices, primary);
      if (problem) fail(problem, network);
    }
    for (const dependency of workload.dependsOn ?? []) {
      if (!(dependency in spec.workloads)) fail(`workload ${name} depends on "${dependency}", which is not a workload (${workloadNames.join(', ')})`, dependency);
    }
    for (const image of workload.images) {
      if (!(image in catalogue)) fail(`workload ${name} runs image "${image}", which the lab does not build (${Object.keys(catalogue).join(', ')})`, image);
    }
  }
  const cycle = dependencyCycle(spec.workloads);
  if (cycle) fail(`workloads depend on each other in a circle: ${cycle.join(' → ')}`, cycle[0]!);
  for (const cni of Object.keys(spec.environment.cluster?.unsupportedCnis ?? {})) {
    if (!isCni(cni)) fail(`unsupportedCnis names "${cni}", which is not a CNI the lab can install (${cniNames.join(', ')})`, cni);
  }
  return spec;
}

/** A circle in dependsOn (a → b → a), or undefined. */
function dependencyCycle(workloads: ScenarioSpec['workloads']): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === 'done' || !(name in workloads)) return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    for (const next of workloads[name]!.dependsOn ?? []) {
      const found = visit(next, [...path, name]);
      if (found) return found;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(workloads)) {
    const found = visit(name, []);
    if (found) return found;
  }
  return undefined;
}
