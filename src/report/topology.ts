import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { StartedWorkload, WorkloadPlace } from '../workloads/workload.ts';
import { runResourceName } from '../lab/names.ts';

/**
 * The lab as it stood during a run, for the report's picture: machines (the
 * lab host, Docker hosts in containers, kind nodes) hold bridges, namespaces,
 * containers and pods; segments outside any machine (a lab LAN) hold routers
 * and outside clients. Read from the started environment, never drawn by
 * hand. Plain data: it is saved in results/<scenario>.json and the HTML is
 * rendered from that.
 */
export interface Topology {
  readonly nodes: readonly TopologyNode[];
  /** An interface of a node on a bridge or segment, labelled with its address. */
  readonly links: readonly TopologyLink[];
}

export type TopologyNodeKind =
  /** Machines: drawn as boxes that hold their own bridges and workloads. */
  | 'host'
  | 'docker-host'
  | 'kind-node'
  /** A bridge or segment: docker0, br-*, a compose network, the nodes' network, a lab LAN. */
  | 'bridge'
  /** A machine's own network namespace (its interfaces), what "the host's address" reaches. */
  | 'netns'
  | 'container'
  | 'pod'
  /** A workload sharing its machine's namespace (--network host, a host install). */
  | 'host-netns'
  | 'router'
  | 'outside-client'
  /** An address an attempt went to that nothing in the lab holds. */
  | 'address';

export interface TopologyNode {
  readonly id: string;
  readonly kind: TopologyNodeKind;
  readonly label: string;
  readonly detail?: string;
  /** The machine node it sits in; absent: outside every machine. */
  readonly parent?: string;
  /** Addresses that reach it, and names that resolve to it: arrows find their target by these. */
  readonly addresses?: readonly string[];
  readonly names?: readonly string[];
}

export interface TopologyLink {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

export const labHostId = 'host';
const kindNodeId = (name: string) => `kind:${name}`;
export const workloadId = (name: string) => (name === 'host' ? labHostId : `w:${name}`);
/** The namespace node of a machine: the lab host's is `host:ns`, a docker host's `w:hostA:ns`. */
export const netnsId = (machine: string) => `${machine}:ns`;
const bridgeId = (machine: string, network: string) => `${machine}:net:${network}`;

interface HostInterface {
  readonly ifname: string;
  readonly addr_info: readonly { readonly local: string; readonly prefixlen: number }[];
}

/** The topology of a started environment: one `ip addr` on the host, the rest from what the run already knows. */
export async function readTopology(env: StartedEnvironment): Promise<Topology> {
  const listed = await env.host.exec(['ip', '-j', '-4', 'addr', 'show']);
  const interfaces = listed.exitCode === 0 ? (JSON.parse(listed.stdout) as HostInterface[]) : [];
  return buildTopology(env, interfaces, env.run.id);
}

/** Pure part of readTopology, given the host's interfaces. */
export function buildTopology(env: Pick<StartedEnvironment, 'facts' | 'networks' | 'workloads' | 'kind'>, hostInterfaces: readonly HostInterface[], runId?: string): Topology {
  // A workload answers by the name the lab gave it (its run resource name): arrows find the server that answered by it.
  const namesOf = (w: StartedWorkload) => [...new Set([w.name, w.containerName, ...(runId ? [runResourceName(runId, w.name)] : [])].filter(Boolean))];
  const nodes = new Map<string, TopologyNode>();
  const links: TopologyLink[] = [];
  const add = (node: TopologyNode) => void (nodes.has(node.id) || nodes.set(node.id, node));
  const { facts } = env;
  const hostAddresses = [facts.hostAddress, facts.bridgeGateway, ...Object.values(env.networks).map((n) => n.gateway)];
  add({ id: labHostId, kind: 'host', label: 'lab host', detail: facts.serverVersion ? `Docker ${facts.serverVersion}` : undefined });
  add({ id: netnsId(labHostId), kind: 'netns', label: `host namespace\n${facts.hostInterface} ${facts.hostAddress}`, parent: labHostId, addresses: hostAddresses, names: ['host'] });
  add({ id: bridgeId(labHostId, 'bridge'), kind: 'bridge', label: `docker0\n${facts.bridgeSubnet}`, parent: labHostId });
  links.push({ from: netnsId(labHostId), to: bridgeId(labHostId, 'bridge'), label: facts.bridgeGateway });
  for (const network of Object.values(env.networks)) {
    const role = network.driver && network.driver !== 'bridge' ? `, ${network.driver} parent` : '';
    add({ id: bridgeId(labHostId, network.name), kind: 'bridge', label: `${network.bridge} (${network.name}${role})\n${network.subnet}`, parent: labHostId });
    links.push({ from: netnsId(labHostId), to: bridgeId(labHostId, network.name), label: network.gateway });
  }

  // kind nodes: containers of the lab host's engine on the kind network, each a machine holding its pods.
  const kindNodes = env.kind?.facts.nodes ?? [];
  for (const node of kindNodes) {
    const id = kindNodeId(node.name);
    add({ id, kind: 'kind-node', label: node.name, detail: `${node.role}, pods ${node.podCidr}`, parent: labHostId });
    add({ id: netnsId(id), kind: 'netns', label: `${node.name} namespace\npods ${node.podCidr}`, parent: id, addresses: [node.address], names: [node.name] });
    const segment = segmentFor('kind', node.address, labHostId, false);
    add(segment);
    links.push({ from: netnsId(id), to: segment.id, label: node.address });
  }

  const workloads = Object.values(env.workloads).filter((w) => w.name !== 'host');
  const placeOf = (w: StartedWorkload): WorkloadPlace => w.place ?? { kind: 'container' };
  const machineOf = (w: StartedWorkload) => {
    const { on, kind } = placeOf(w);
    if (on) return kindNodes.some((n) => n.name === on) ? kindNodeId(on) : workloadId(on);
    // A pod runs on the node whose address it reports (its hostIP).
    const node = kind === 'pod' || kind === 'host-netns' ? kindNodes.find((n) => n.address === w.addresses.node) : undefined;
    return node ? kindNodeId(node.name) : labHostId;
  };
  /** The addresses that are interfaces of the workload itself: a pod's node address, a Service's virtual IP and a joined namespace's are not. */
  const ownInterfaces = (w: StartedWorkload) =>
    w.place?.sharesNamespaceOf
      ? []
      : Object.entries(w.addresses).filter(([network, address]) => address && !(machineOf(w).startsWith('kind:') && (network === 'node' || network === 'clusterIP')));
  // Machines first, so that their children have a parent to sit in.
  for (const w of workloads.filter((w) => ['docker-host', 'kind-node'].includes(placeOf(w).kind))) {
    const id = workloadId(w.name);
    add({ id, kind: placeOf(w).kind as 'docker-host' | 'kind-node', label: w.name, detail: w.description, parent: machineOf(w) });
    add({ id: netnsId(id), kind: 'netns', label: `${w.name} namespace`, parent: id, addresses: Object.values(w.addresses), names: namesOf(w) });
  }
  // A workload made of several containers (a compose project) is drawn with each of them; it is its client's.
  const parts = (w: StartedWorkload): StartedWorkload[] =>
    'services' in w ? Object.values((w as StartedWorkload & { services: Record<string, StartedWorkload> }).services).filter((s) => s.containerName !== w.containerName) : [];
  const entries = workloads.flatMap((w) => [
    { w, id: workloadId(w.name), place: placeOf(w), machine: machineOf(w) },
    ...parts(w).map((s) => ({ w: s, id: `${workloadId(w.name)}/${s.name}`, place: placeOf(w), machine: machineOf(w) })),
  ]);
  for (const { w, id: entryId, place, machine } of entries) {
    const isMachine = place.kind === 'docker-host' || place.kind === 'kind-node';
    const id = isMachine ? netnsId(entryId) : entryId;
    const outside = place.kind === 'router' || place.kind === 'outside-client';
    if (!isMachine) {
      const own = ownInterfaces(w).map(([, address]) => address);
      // A Service's virtual IP reaches the workload behind it, though no interface holds it.
      const service = machine.startsWith('kind:') && w.addresses.clusterIP ? w.addresses.clusterIP : undefined;
      add({
        id,
        kind: place.kind === 'pod' || place.kind === 'host-netns' || outside ? place.kind : 'container',
        label: [w.name, ...own, ...(service ? [`Service ${service}`] : [])].join('\n'),
        detail: w.description,
        parent: outside ? undefined : machine,
        addresses: [...own, ...(service ? [service] : [])],
        names: namesOf(w),
      });
    }
    if (place.sharesNamespaceOf) links.push({ from: id, to: workloadId(place.sharesNamespaceOf), label: 'shares the namespace' });
    else if (place.kind === 'host-netns') links.push({ from: id, to: netnsId(machine), label: 'shares the namespace' });
    for (const [network, address] of ownInterfaces(w)) {
      // A pod's address is routed by its node (a veth into the node's namespace), whatever bridge the CNI may add.
      if (machine.startsWith('kind:') && place.kind === 'pod') {
        links.push({ from: id, to: netnsId(machine), label: address });
        continue;
      }
      const segment = segmentFor(network, address, machine, outside);
      add(segment);
      links.push({ from: id, to: segment.id, label: address });
      // The lab host on a segment it does not bridge itself (a lab LAN through a veth): its interface there.
      if (!segment.parent) {
        const hostSide = hostInterfaces.flatMap((i) => i.addr_info.map((a) => ({ ifname: i.ifname, ...a }))).find((a) => a.local !== address && sameSubnet(a.local, address, a.prefixlen));
        if (hostSide && !links.some((l) => l.from === netnsId(labHostId) && l.to === segment.id)) {
          links.push({ from: netnsId(labHostId), to: segment.id, label: `${hostSide.ifname} ${hostSide.local}` });
          nodes.set(netnsId(labHostId), { ...nodes.get(netnsId(labHostId))!, addresses: [...hostAddresses, hostSide.local] });
        }
      }
    }
  }
  return { nodes: [...nodes.values()], links };

  /** The bridge or segment a workload's address is on, as seen from its machine. */
  function segmentFor(network: string, address: string, machine: string, outside: boolean): TopologyNode {
    if (outside) return { id: `lan:${network}`, kind: 'bridge', label: `${network} (lab LAN, no uplink)` };
    // docker0 and the scenario's own networks are known already.
    const known = nodes.get(bridgeId(machine, network));
    if (known) return known;
    // A network the run did not create itself (a compose project's, kind's): the host's bridge holding the address
    // names it, so two projects' `default` networks are two bridges.
    const bridge = machine === labHostId ? hostInterfaces.find((i) => i.addr_info.some((a) => sameSubnet(a.local, address, a.prefixlen))) : undefined;
    const id = bridgeId(machine, bridge?.ifname ?? network);
    const existing = nodes.get(id);
    if (existing) return existing;
    const subnet = bridge?.addr_info[0];
    if (bridge && subnet) links.push({ from: netnsId(machine), to: id, label: subnet.local });
    return { id, kind: 'bridge', label: `${bridge?.ifname ?? (network === 'bridge' ? 'docker0' : network)}${bridge ? ` (${network})` : ''}${subnet ? `\n${network === 'bridge' ? '' : subnet.local + '/' + subnet.prefixlen}` : ''}`.trim(), parent: machine };
  }
}

function toNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function sameSubnet(a: string, b: string, prefix: number): boolean {
  const [x, y] = [toNumber(a), toNumber(b)];
  if (x === undefined || y === undefined || prefix <= 0) return false;
  const mask = prefix >= 32 ? 0xffffffff : (~0 << (32 - prefix)) >>> 0;
  return ((x & mask) >>> 0) === ((y & mask) >>> 0);
}
