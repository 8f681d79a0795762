import type { StartedEnvironment } from '../environment/started-environment.ts';
import { EnvironmentError, ScenarioError } from '../errors.ts';
import { succeeded } from '../environment/docker/index.ts';
import { HostResource } from '../lab/host-resources.ts';
import { runResourceName } from '../lab/names.ts';
import type { ImageName } from '../images/catalogue.ts';
import { containerContextCommands } from './container-exec.ts';
import { parseNetworkMode, sharedNamespaceOf } from './network-mode.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';

export interface ContainerOptions {
  readonly image: ImageName;
  /**
   * `bridge` (docker0, the default), `host`, `none`, `container:<workload>`
   * (that workload's namespace, as a pod's containers share one; started
   * after it), or the name of one of the scenario's networks.
   */
  readonly network?: string;
  /** Further scenario networks to connect it to after start. */
  readonly alsoOn?: readonly string[];
  /** Extra DNS names on a user-defined network (compose's service names work this way). */
  readonly aliases?: readonly string[];
  /** `--link <workload>:<alias>`, the legacy way to name a peer on the default bridge. */
  readonly links?: Readonly<Record<string, string>>;
  /** `-p host:container` (TCP); with `hostIp`, `-p hostIp:host:container` (e.g. only on 127.0.0.1). */
  readonly publish?: readonly { readonly host: number; readonly container: number; readonly hostIp?: string }[];
  readonly command?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly capAdd?: readonly string[];
  readonly privileged?: boolean;
  /** `--sysctl` settings of the container's own namespaces (e.g. `net.ipv4.ip_forward`). */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** A TCP port the command serves: start() returns once it accepts connections inside the container. */
  readonly listens?: number;
  readonly description?: string;
}

/**
 * Every lab container resolves through its own loopback, where nothing
 * listens: a name the lab does not own fails at once instead of becoming a
 * query to the host's upstream resolver, off the machine. Docker's embedded
 * DNS (user-defined networks) still answers container names itself; /etc/hosts
 * and --link entries are untouched.
 */
const labDns = ['127.0.0.1'];

/**
 * Any lab image as a workload: `docker run` with the run's labels, named
 * the run's resource name for the workload, on the network the scenario says.
 */
export function container(options: ContainerOptions): WorkloadSpec {
  const network = options.network ?? 'bridge';
  const joined = sharedNamespaceOf(network);
  if (joined !== undefined) refuseWhatTheSharedNamespaceOwns(network, options);
  return {
    description: options.description ?? (joined !== undefined ? `${options.image} container in ${joined}'s network namespace (--network ${network})` : `${options.image} container on ${network}`),
    images: [options.image],
    // A container on the engine: no pod of a cluster runs its image.
    podsOn: [],
    dependsOn: [...(joined !== undefined ? [joined] : []), ...Object.keys(options.links ?? {})],
    // A host-network server binds a host port; -p binds one on the host too.
    hostResources: [
      ...(network === 'host' && options.listens ? [HostResource.tcpPort(options.listens)] : []),
      ...(options.publish ?? []).map((p) => HostResource.tcpPort(p.host)),
    ],
    network,
    networks: options.alsoOn ?? [],
    async start(name, env) {
      const host = env.host;
      const started = await host.runContainer({
        name: runResourceName(env.run.id, name),
        image: env.images[options.image],
        network: dockerNetworkMode(network, env),
        labels: env.run.labels,
        // A joined namespace keeps its owner's resolv.conf (Docker refuses --dns there): the owner's is the lab's already.
        dns: joined === undefined ? labDns : undefined,
        // np-serve answers with this name: an answer says which lab server gave it.
        env: { NP_SERVER_ID: runResourceName(env.run.id, name), ...options.env },
        command: options.command,
        aliases: options.aliases,
        links: options.links && Object.fromEntries(Object.entries(options.links).map(([workload, alias]) => [runResourceName(env.run.id, workload), alias])),
        publish: options.publish,
        capAdd: options.capAdd,
        privileged: options.privileged,
        sysctls: options.sysctls,
        ready: options.listens ? `np-probe tcp 127.0.0.1 ${options.listens} --timeout 1` : undefined,
      });
      env.run.defer(`remove ${name}`, started.remove);
      for (const extra of options.alsoOn ?? []) await succeeded(host.docker(['network', 'connect', dockerNetworkMode(extra, env), started.id]));
      const workload = (addresses: Readonly<Record<string, string>>): StartedWorkload => ({
        name,
        description: this.description,
        containerName: started.containerName,
        exec: started.exec,
        contextCommands: containerContextCommands,
        addresses,
      });
      if (joined !== undefined) {
        // Docker reports no networks for it: its interfaces, addresses and ports are the owner's.
        const owner = env.workloads[joined]!;
        return { ...workload(owner.addresses), place: { kind: owner.place?.kind === 'host-netns' ? 'host-netns' : 'container', sharesNamespaceOf: joined } };
      }
      const own = workload(await addressesOf(started.id, env));
      return network === 'host' ? { ...own, place: { kind: 'host-netns' } } : own;
    },
  };
}

/** What Docker refuses beside --network container:<owner> (the namespace, its names and ports are the owner's), said when the file loads. */
function refuseWhatTheSharedNamespaceOwns(network: string, options: ContainerOptions): void {
  const owned = [
    ...(options.publish?.length ? ['publish (-p: publish the port on the owner; it serves this namespace)'] : []),
    ...(options.aliases?.length ? ["aliases (give them to the owner: its names reach this namespace)"] : []),
    ...(options.links ? ['links (give them to the owner)'] : []),
    ...(options.alsoOn?.length ? ['alsoOn (connect the owner to the network instead)'] : []),
  ];
  if (owned.length > 0) throw new ScenarioError(`a workload on network '${network}' shares that namespace and cannot also have ${owned.join(', ')}`, { near: network });
}

/** The container's IPv4 address on each network, keyed by the scenario's network names ("bridge" for docker0). */
export async function addressesOf(containerId: string, env: StartedEnvironment): Promise<Record<string, string>> {
  const inspected = await succeeded(env.host.docker(['inspect', containerId, '--format', '{{json .NetworkSettings.Networks}}']));
  const byDockerName = JSON.parse(inspected.stdout) as Record<string, { IPAddress: string }>;
  const scenarioName = (dockerName: string) => Object.values(env.networks).find((n) => n.dockerName === dockerName)?.name ?? dockerName;
  return Object.fromEntries(Object.entries(byDockerName).filter(([, n]) => n.IPAddress).map(([dockerName, n]) => [scenarioName(dockerName), n.IPAddress]));
}

/** `--network` for a mode as written: Docker's modes as they are, another workload's container, a scenario network's engine name. */
function dockerNetworkMode(written: string, env: StartedEnvironment): string {
  const mode = parseNetworkMode(written);
  switch (mode.kind) {
    case 'bridge':
    case 'host':
    case 'none':
      return mode.kind;
    case 'container': {
      const owner = env.workloads[mode.workload];
      if (!owner) throw new EnvironmentError(`no workload "${mode.workload}" has started to share its namespace`, 'name a workload of the scenario in container:<workload>');
      return `container:${owner.containerName}`;
    }
    case 'network': {
      const started = env.networks[mode.name];
      if (!started) throw new EnvironmentError(`no network "${mode.name}" in this scenario`, 'declare it under networks in the scenario file');
      return started.dockerName;
    }
  }
}
