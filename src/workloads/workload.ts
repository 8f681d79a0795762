import type { PodPlacement } from '../environment/kind/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import type { ImageName } from '../images/catalogue.ts';

/** A workload as a scenario declares it; `start` makes it real inside a run. */
export interface WorkloadSpec {
  /** One line for reports, e.g. "PostgreSQL 15 in the host's network namespace". */
  readonly description: string;
  readonly images: readonly ImageName[];
  /** In a kind cluster, where its pods run, so its images are loaded only there; absent: every node. A container on the engine has none (`[]`). */
  readonly podsOn?: PodPlacement;
  /** Workloads that must be running first (a --link target, a server a client waits for). */
  readonly dependsOn?: readonly string[];
  /** Things of the host only one run may have at a time (src/lab/host-resources.ts): taken before any workload starts. */
  readonly hostResources?: readonly string[];
  /** Things of the kind cluster only one run on it may have at a time (a fixed nodePort): taken like host resources, per cluster. */
  readonly clusterResources?: readonly string[];
  /** Its network as written (`bridge`, `host`, `none`, `container:<workload>`, a declared network): checked when the scenario is loaded (src/workloads/network-mode.ts). */
  readonly network?: string;
  /** Further scenario networks it is connected to after it starts (checked when the scenario is loaded). */
  readonly networks?: readonly string[];
  start(name: string, env: StartedEnvironment): Promise<StartedWorkload>;
}

/** A running workload: something probes can run commands in. */
export interface StartedWorkload {
  readonly name: string;
  readonly description: string;
  /** The container's name on the engine, for pasteable commands. */
  readonly containerName: string;
  exec(argv: readonly string[], options?: { env?: Record<string, string> }): Promise<ExecResult>;
  /** Commands whose output explains this workload's view of the network (addresses, routes, resolv.conf). */
  readonly contextCommands: readonly (readonly string[])[];
  /** IPv4 address per network it is on, by the scenario's network names ("bridge" for docker0); empty for none/host. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Where it sits, for the report's topology picture; absent: a container on the lab host's engine. */
  readonly place?: WorkloadPlace;
}

/** What a workload is in the lab's picture, and the machine workload it runs in. */
export interface WorkloadPlace {
  readonly kind: 'container' | 'pod' | 'host-netns' | 'docker-host' | 'kind-node' | 'router' | 'outside-client';
  /** The machine workload it runs in (a Docker host, a kind node); absent: the lab host. */
  readonly on?: string;
  /** The workload whose network namespace it shares (`--network container:<workload>`): its addresses are that one's. */
  readonly sharesNamespaceOf?: string;
}
