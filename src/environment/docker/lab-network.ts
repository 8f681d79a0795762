import { HostResource } from '../../lab/host-resources.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import { runResourceName } from '../../lab/names.ts';
import { succeeded, type EngineHost } from './engine-host.ts';

/** A network as a scenario declares it under `networks`: a user-defined bridge, or macvlan/ipvlan on a lab-owned parent (lab-parent-network.ts). */
export interface NetworkSpec {
  readonly description: string;
  /** `docker network create --internal`: no route off the network. */
  readonly internal?: boolean;
  /** Driver options (`-o com.docker.network.bridge.enable_icc=false`). */
  readonly options?: Readonly<Record<string, string>>;
  /** Things of the host only one run may have at a time (a fixed subnet): taken before any network is created. */
  readonly hostResources?: readonly string[];
  /** Creates it on the engine of `host`, the scenario's Docker host. */
  start(name: string, run: LabRun, host: EngineHost): Promise<StartedLabNetwork>;
}

/** A network that exists on the engine for this run. */
export interface StartedLabNetwork {
  /** The name in the scenario (`front`). */
  readonly name: string;
  /** The name on the engine: the run's resource name for it (names.ts). */
  readonly dockerName: string;
  readonly id: string;
  /**
   * The Docker host's interface the network's traffic crosses, which the traffic
   * guard covers: its bridge (`br-` and the id's first 12 characters), or
   * for macvlan/ipvlan the lab-owned parent link.
   */
  readonly bridge: string;
  /** Docker's driver; absent: bridge. */
  readonly driver?: 'bridge' | 'macvlan' | 'ipvlan';
  readonly subnet: string;
  readonly gateway: string;
}

export interface UserNetworkOptions {
  /** `--internal`: Docker drops what its containers send off the network. */
  readonly internal?: boolean;
  /** Driver options, e.g. `com.docker.network.bridge.enable_icc: 'false'`. */
  readonly options?: Readonly<Record<string, string>>;
  /**
   * `--subnet` (and `--gateway`), where a scenario needs fixed addresses.
   * One run at a time holds it (another run with the same subnet waits).
   * Take it from ranges nothing else on the machine routes (198.18.0.0/15,
   * the lab's benchmarking range, beside the lab LAN's 198.18.0.0/24).
   */
  readonly subnet?: string;
  readonly gateway?: string;
}

/**
 * `docker network create` with the run's labels; removed with the run.
 * (The default bridge's own subnet, dockerd's `--bip`, is the engine's, not
 * a network's: `dockerHost({ bip })` sets it on a lab host.)
 */
export function userNetwork(options: UserNetworkOptions = {}): NetworkSpec {
  const driverOptions = Object.entries(options.options ?? {});
  const addressing = [...(options.subnet ? ['--subnet', options.subnet] : []), ...(options.gateway ? ['--gateway', options.gateway] : [])];
  return {
    description: `user-defined bridge network${options.internal ? ' (internal)' : ''}${addressing.length ? ` ${addressing.join(' ')}` : ''}${driverOptions.map(([k, v]) => ` -o ${k}=${v}`).join('')}`,
    internal: options.internal,
    options: options.options,
    hostResources: options.subnet ? [HostResource.subnet(options.subnet)] : [],
    async start(name, run, host) {
      const flags = [...(options.internal ? ['--internal'] : []), ...addressing, ...driverOptions.flatMap(([k, v]) => ['-o', `${k}=${v}`])];
      const { id, dockerName } = await createNetwork(name, run, flags, host);
      const { bridge, subnet, gateway } = await inspectNetwork(id, host);
      return { name, dockerName, id, bridge: options.options?.['com.docker.network.bridge.name'] ?? bridge, driver: 'bridge', subnet, gateway };
    },
  };
}

/** `docker network create` with the run's labels and resource name (names.ts); its removal deferred to the run's teardown. */
export async function createNetwork(name: string, run: LabRun, flags: readonly string[], host: EngineHost): Promise<{ id: string; dockerName: string }> {
  const dockerName = runResourceName(run.id, name);
  const labels = Object.entries(run.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const created = await succeeded(host.docker(['network', 'create', ...labels, ...flags, dockerName]));
  const id = created.stdout.trim();
  run.defer(`remove network ${dockerName}`, async () => void (await succeeded(host.docker(['network', 'rm', id]))));
  return { id, dockerName };
}

/** A Docker network as the engine reports it: id, the host bridge for it (`br-` + 12 of the id), first subnet, labels. */
export async function inspectNetwork(nameOrId: string, host: EngineHost): Promise<{ id: string; bridge: string; subnet: string; gateway: string; labels: Record<string, string> }> {
  const inspected = await succeeded(host.docker(['network', 'inspect', nameOrId, '--format', '{{json .}}']));
  const network = JSON.parse(inspected.stdout) as { Id: string; Labels: Record<string, string> | null; IPAM: { Config: { Subnet: string; Gateway?: string }[] } };
  const ipam = network.IPAM.Config[0]!;
  return { id: network.Id, bridge: `br-${network.Id.slice(0, 12)}`, subnet: ipam.Subnet, gateway: ipam.Gateway ?? '', labels: network.Labels ?? {} };
}
