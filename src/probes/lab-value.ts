import type { StartedEnvironment } from '../environment/started-environment.ts';
import { CheckFailed, checkFailed } from './check.ts';
import type { Observation } from './probe.ts';

/** A value of this lab, read at run time rather than assumed (an address, a container name). */
export interface LabValue {
  readonly label: string;
  resolve(env: StartedEnvironment): string;
}

/** An article's literal (`172.17.0.1`) or a value read off this lab. */
export type HostRef = string | LabValue;

/** Resolves a host; a lab value that cannot be read is a check that cannot be made. */
export function resolveHost(host: HostRef, env: StartedEnvironment): string {
  if (typeof host === 'string') return host;
  try {
    return host.resolve(env);
  } catch (error) {
    throw new CheckFailed(`cannot read ${host.label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs a probe on the resolved host; a host that cannot be read is check-failed on the `unresolved` connection. */
export function onHost(host: HostRef, env: StartedEnvironment, unresolved: string, probe: (resolved: string) => Promise<Observation>): Promise<Observation> {
  let resolved: string;
  try {
    resolved = resolveHost(host, env);
  } catch (error) {
    return Promise.resolve(checkFailed(unresolved, error));
  }
  return probe(resolved);
}

/** The host as a listing shows it before the lab exists: the literal, or `<what it is>`. */
export const describeHost = (host: HostRef): string => (typeof host === 'string' ? host : `<${host.label}>`);
export const noteFor = (host: HostRef): string | undefined => (typeof host === 'string' ? undefined : host.label);

const need = (value: string | undefined, what: string): string => {
  if (!value) throw new Error(`${what} is not known in this run`);
  return value;
};

/** Values the Docker lab reads off the engine and host. */
export const Found = {
  bridgeGateway: { label: 'the docker0 gateway read from the engine', resolve: (env) => need(env.facts.bridgeGateway, 'the docker0 gateway') } satisfies LabValue,
  hostAddress: { label: "the host's primary interface address", resolve: (env) => need(env.facts.hostAddress, "the host's primary address") } satisfies LabValue,
  /** A workload's container name on the engine (its run resource name, names.ts), as it started. */
  containerName: (workload: string): LabValue => ({
    label: `${workload}'s container name`,
    resolve: (env) => need(env.workloads[workload]?.containerName, `${workload}'s container name`),
  }),
  /** A workload's address on a network ("bridge" for docker0), as `docker inspect` gave it. */
  addressOf: (workload: string, network = 'bridge'): LabValue => ({
    label: `${workload}'s address on ${network}`,
    resolve: (env) => need(env.workloads[workload]?.addresses[network], `${workload}'s address on ${network}`),
  }),
  /** A fixed address the lab itself set up (the lab LAN's host side, a router). */
  labAddress: (label: string, address: string): LabValue => ({ label, resolve: () => address }),
} as const;
