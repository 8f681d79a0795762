import type { NetworkSpec } from '../environment/docker/lab-network.ts';
import type { EnvironmentSpec } from '../environment/environment.ts';
import type { WorkloadSpec } from '../workloads/workload.ts';
import type { ClaimSpec } from './claim.ts';

/** A scenario file's default export: one environment, its workloads, and the claims tried in it. */
export interface ScenarioSpec {
  /** File name without extension, e.g. "docker-host-db". */
  readonly name: string;
  readonly title: string;
  /** Where it runs: `docker()` (one engine) or `kind({ cni, workers })` (a cluster on that engine). */
  readonly environment: EnvironmentSpec;
  /** User-defined networks, created before the workloads; workloads name them in `network`. */
  readonly networks?: Readonly<Record<string, NetworkSpec>>;
  /** Started together, each after its `dependsOn`; claims name them in `from`. */
  readonly workloads: Readonly<Record<string, WorkloadSpec>>;
  readonly claims: readonly ClaimSpec[];
}

/** Checks a scenario's internal references once, when it is loaded. */
export function defineScenario(spec: ScenarioSpec): ScenarioSpec {
  const ids = new Set<string>();
  for (const claim of spec.claims) {
    if (ids.has(claim.id)) throw new Error(`scenario ${spec.name}: claim ${claim.id} appears twice`);
    ids.add(claim.id);
    for (const from of [claim.from, ...claim.attempts.flatMap((a) => (a.from ? [a.from] : []))]) {
      if (from !== 'host' && !(from in spec.workloads)) {
        throw new Error(`scenario ${spec.name}: claim ${claim.id} is tried from "${from}", which is not a workload (${Object.keys(spec.workloads).join(', ')}) or "host"`);
      }
    }
    if (claim.attempts.length === 0) throw new Error(`scenario ${spec.name}: claim ${claim.id} has no attempts`);
    if (!/^\d{3}$/.test(claim.article)) throw new Error(`scenario ${spec.name}: claim ${claim.id} names article "${claim.article}", not a 3-digit file number`);
  }
  for (const [name, workload] of Object.entries(spec.workloads)) {
    for (const dependency of workload.dependsOn ?? []) {
      if (!(dependency in spec.workloads)) throw new Error(`scenario ${spec.name}: workload ${name} depends on "${dependency}", which is not a workload`);
    }
  }
  return spec;
}
