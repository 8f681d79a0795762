import { EnvironmentError } from '../../errors.ts';
import { hostExec, hostExecOrThrow } from '../../exec/host-exec.ts';
import { HostResource } from '../../lab/host-resources.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import { runLinkName, runLinkPrefix, runResourceName } from '../../lab/names.ts';
import { linksNamed } from '../../lab/sweep.ts';
import { succeeded, type EngineHost } from './engine-host.ts';
import { createNetwork, inspectNetwork, type NetworkSpec, type StartedLabNetwork } from './lab-network.ts';

/**
 * macvlan and ipvlan put a container's interface straight on a parent link,
 * below iptables: whatever the parent reaches, the container reaches. So the
 * parent is never one of the machine's interfaces but a link the run makes:
 * one end of a veth pair (a run link, runLinkName with a digit: the traffic
 * guard and the sweep already cover it) whose other end sits alone in a
 * namespace of the run's named after the network, with no address and no route.
 * Frames sent out of the parent end there: nothing can leave the machine.
 *
 * The host routes the network's subnet into the parent (it holds the
 * gateway address there, as a host on that segment would): a probe from the
 * host to a child's address stays on the machine instead of following the
 * default route out.
 */
export interface ParentNetworkOptions {
  /** `--subnet`; absent: the engine picks one from its pools. Fixed: one run at a time (see userNetwork). */
  readonly subnet?: string;
  readonly description?: string;
}

export interface MacvlanOptions extends ParentNetworkOptions {
  /** `-o macvlan_mode=`: bridge (children reach each other through the parent, Docker's default), private, vepa, passthru. */
  readonly mode?: 'bridge' | 'private' | 'vepa' | 'passthru';
}

export interface IpvlanOptions extends ParentNetworkOptions {
  /** `-o ipvlan_mode=`: l2 (one segment, Docker's default) or l3 (routed by the parent, no ARP). */
  readonly mode?: 'l2' | 'l3';
}

export function macvlanNetwork(options: MacvlanOptions = {}): NetworkSpec {
  return parentNetwork('macvlan', options.mode ?? 'bridge', options);
}

export function ipvlanNetwork(options: IpvlanOptions = {}): NetworkSpec {
  return parentNetwork('ipvlan', options.mode ?? 'l2', options);
}

/** Where a started parent network's wire ends: the namespace holding the parent's peer, alone. */
export const parentPeerNamespace = (runId: string, network: string) => runResourceName(runId, network);
/** The peer's name inside that namespace. */
export const parentPeer = 'wire';

function parentNetwork(driver: 'macvlan' | 'ipvlan', mode: string, options: ParentNetworkOptions): NetworkSpec {
  return {
    description: options.description ?? `${driver} network (${mode} mode${options.subnet ? `, --subnet ${options.subnet}` : ''}) on a lab-owned parent link with no way off the machine`,
    hostResources: options.subnet ? [HostResource.subnet(options.subnet)] : [],
    async start(name, run, host): Promise<StartedLabNetwork> {
      const parent = await labParentLink(name, run, host);
      await refuseWithoutKernelSupport(driver, mode, parentPeerNamespace(run.id, name));
      const flags = ['--driver', driver, ...(options.subnet ? ['--subnet', options.subnet] : []), '-o', `parent=${parent}`, '-o', `${driver}_mode=${mode}`];
      const { id, dockerName } = await createNetwork(name, run, flags, host);
      const { subnet, gateway } = await inspectNetwork(id, host);
      // The host's way to the subnet is the parent, never the default route; with the gateway address where Docker reserved one.
      if (gateway) await succeeded(host.exec(['ip', 'addr', 'add', `${gateway}/${subnet.split('/')[1]}`, 'dev', parent]));
      else await succeeded(host.exec(['ip', 'route', 'add', subnet, 'dev', parent]));
      return { name, dockerName, id, bridge: parent, driver, subnet, gateway };
    },
  };
}

/**
 * The veth pair: the parent (the run's link name with a digit) up on the host (the first
 * digit free: the networks of a run are created one after another), its
 * peer up, alone, in the run's namespace for this network.
 */
async function labParentLink(network: string, run: LabRun, host: EngineHost): Promise<string> {
  const taken = new Set(await linksNamed(runLinkPrefix(run.id)));
  const parent = [...'0123456789'].map((digit) => runLinkName(run.id, digit)).find((name) => !taken.has(name));
  if (!parent) throw new EnvironmentError(`run ${run.id} has no free parent link name left (ten macvlan/ipvlan networks at most)`, 'declare fewer macvlan/ipvlan networks in the scenario');
  const namespace = parentPeerNamespace(run.id, network);
  await hostExecOrThrow(['ip', 'netns', 'add', namespace]);
  run.defer(`remove namespace ${namespace}`, async () => void (await hostExec(['ip', 'netns', 'delete', namespace])));
  await hostExecOrThrow(['ip', 'link', 'add', parent, 'type', 'veth', 'peer', 'name', parentPeer, 'netns', namespace]);
  // Deleting either end deletes both; the namespace going also takes the peer with it.
  run.defer(`remove ${parent}`, async () => void (await hostExec(['ip', 'link', 'delete', parent])));
  await hostExecOrThrow(['ip', '-n', namespace, 'link', 'set', parentPeer, 'up']);
  // The parent is the Docker host's link: a lab host takes it into its namespace.
  await host.adoptLink(parent);
  await succeeded(host.exec(['ip', 'link', 'set', parent, 'up']));
  return parent;
}

/** A kernel without the driver (CONFIG_IPVLAN unset, say) is said before any workload starts: a child is tried on the isolated peer. */
async function refuseWithoutKernelSupport(driver: string, mode: string, namespace: string): Promise<void> {
  const tried = await hostExec(['ip', '-n', namespace, 'link', 'add', 'try', 'link', parentPeer, 'type', driver, 'mode', mode]);
  if (tried.exitCode !== 0) {
    throw new EnvironmentError(`this kernel cannot make ${driver} links (${mode} mode): ${tried.stderr.trim()}`, `run the scenario on a kernel with ${driver} support (CONFIG_${driver.toUpperCase()})`);
  }
  await hostExecOrThrow(['ip', '-n', namespace, 'link', 'delete', 'try']);
}
