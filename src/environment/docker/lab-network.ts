import { hostExecOrThrow } from '../../exec/host-exec.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import { runResourceName } from '../../lab/names.ts';

/** A user-defined bridge network as a scenario declares it. */
export interface NetworkSpec {
  readonly description: string;
  /** `docker network create --internal`: no route off the network. */
  readonly internal?: boolean;
  /** Driver options (`-o com.docker.network.bridge.enable_icc=false`). */
  readonly options?: Readonly<Record<string, string>>;
  start(name: string, run: LabRun): Promise<StartedLabNetwork>;
}

/** A network that exists on the engine for this run. */
export interface StartedLabNetwork {
  /** The name in the scenario (`front`). */
  readonly name: string;
  /** The name on the engine: the run's resource name for it (names.ts). */
  readonly dockerName: string;
  readonly id: string;
  /** The host's bridge interface for it: `br-` and the id's first 12 characters. */
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
}

/** `docker network create` with the run's labels; removed with the run. */
export function userNetwork(options: { internal?: boolean; options?: Readonly<Record<string, string>> } = {}): NetworkSpec {
  const driverOptions = Object.entries(options.options ?? {});
  return {
    description: `user-defined bridge network${options.internal ? ' (internal)' : ''}${driverOptions.map(([k, v]) => ` -o ${k}=${v}`).join('')}`,
    internal: options.internal,
    options: options.options,
    async start(name, run) {
      const dockerName = runResourceName(run.id, name);
      const labels = Object.entries(run.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
      const flags = [...(options.internal ? ['--internal'] : []), ...driverOptions.flatMap(([k, v]) => ['-o', `${k}=${v}`])];
      const created = await hostExecOrThrow(['docker', 'network', 'create', ...labels, ...flags, dockerName]);
      const id = created.stdout.trim();
      run.defer(`remove network ${dockerName}`, async () => void (await hostExecOrThrow(['docker', 'network', 'rm', id])));
      const { bridge, subnet, gateway } = await inspectNetwork(id);
      return { name, dockerName, id, bridge, subnet, gateway };
    },
  };
}

/** A Docker network as the engine reports it: id, the host bridge for it (`br-` + 12 of the id), first subnet, labels. */
export async function inspectNetwork(nameOrId: string): Promise<{ id: string; bridge: string; subnet: string; gateway: string; labels: Record<string, string> }> {
  const inspected = await hostExecOrThrow(['docker', 'network', 'inspect', nameOrId, '--format', '{{json .}}']);
  const network = JSON.parse(inspected.stdout) as { Id: string; Labels: Record<string, string> | null; IPAM: { Config: { Subnet: string; Gateway?: string }[] } };
  const ipam = network.IPAM.Config[0]!;
  return { id: network.Id, bridge: `br-${network.Id.slice(0, 12)}`, subnet: ipam.Subnet, gateway: ipam.Gateway ?? '', labels: network.Labels ?? {} };
}
