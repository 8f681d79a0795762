import { kindLabOf, type KindLab } from '../environment/kind/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { checkFact, type CheckContext, type FactFound } from './check.ts';
import type { Probe } from './probe.ts';

/**
 * How one pod of the run is wired on its node: the node-side end of its eth0
 * veth, the bridge that end is enslaved to (if any), its default gateway and
 * the node link that holds that gateway address (if any).
 */
export interface PodWiring {
  readonly pod: string;
  readonly veth: string;
  readonly vethMaster?: string;
  readonly gateway: string;
  readonly gatewayOn?: string;
}

/** One node as article 002's cni0 sentence is read there: its bridges and the run's pods on it. */
export interface NodeWiring {
  readonly node: string;
  readonly bridges: readonly string[];
  /** The run's pods on this node: empty means no pod was wired here, and the node is not judged. */
  readonly pods: readonly PodWiring[];
}

const judged = (nodes: readonly NodeWiring[]) => nodes.filter((n) => n.pods.length > 0);
const unjudged = (nodes: readonly NodeWiring[]) => nodes.filter((n) => n.pods.length === 0).map((n) => `${n.node}: no pod of the run, not judged`);

/**
 * "cni0 is created as the default bridge": the bridge of that name on every
 * node that runs pods. A node without pods is left out: flannel's bridge
 * plugin makes cni0 when it wires a node's first pod, so such a node says
 * where the scheduler put things, not what the CNI does.
 */
export function bridgeNamedOnPodNodes(nodes: readonly NodeWiring[], bridge: string): FactFound {
  const seen = judged(nodes).map((n) => ({ node: n.node, has: n.bridges.includes(bridge), others: n.bridges.filter((b) => b !== bridge) }));
  return {
    holds: seen.length > 0 && seen.every((s) => s.has),
    observed: [...seen.map((s) => `${s.node}: ${s.has ? `${bridge} present` : `no ${bridge}`}${s.others.length ? ` (bridges: ${s.others.join(', ')})` : ''}`), ...unjudged(nodes)].join('; '),
  };
}

/**
 * "cni0 plays the same role as docker0": on every node that runs pods, one
 * bridge holds the pods' veths and their gateway address, whatever its name
 * (kube-router's kube-bridge has the role; a /32 route per veth, kindnet's
 * ptp or Calico's 169.254.1.1, has no bridge at all).
 */
export function bridgeHoldsPods(nodes: readonly NodeWiring[]): FactFound {
  const seen = judged(nodes).map((n) => {
    const masters = new Set(n.pods.map((p) => p.vethMaster));
    const [bridge] = masters;
    const holds = masters.size === 1 && bridge !== undefined && n.bridges.includes(bridge) && n.pods.every((p) => p.gatewayOn === bridge);
    const pods = n.pods.map((p) => `${p.pod}'s ${p.veth} ${p.vethMaster ? `in ${p.vethMaster}` : 'in no bridge'}, gateway ${p.gateway} ${p.gatewayOn ? `on ${p.gatewayOn}` : 'on no link of the node'}`);
    return { holds, text: `${n.node}: ${holds ? `${bridge} holds the pods' veths and their gateway` : 'no bridge holds both the pods\' veths and their gateway'} (${pods.join('; ')})` };
  });
  return { holds: seen.length > 0 && seen.every((s) => s.holds), observed: [...seen.map((s) => s.text), ...unjudged(nodes)].join('; ') };
}

interface IpLink { ifindex: number; ifname: string; master?: string; linkinfo?: { info_kind?: string } }
interface IpAddr { ifname: string; addr_info?: { local: string }[] }

/** The run's pods (those with a pod IP) on the node at this address. */
export const runPodsOn = (env: StartedEnvironment, nodeAddress: string): StartedWorkload[] =>
  Object.values(env.workloads).filter((w) => w.place?.kind === 'pod' && w.addresses.pod && w.addresses.node === nodeAddress);

/** Reads each node's bridges and how each of the run's pods on it is wired. */
async function readWiring(check: CheckContext, lab: KindLab, env: StartedEnvironment): Promise<NodeWiring[]> {
  const nodes: NodeWiring[] = [];
  for (const node of lab.facts.nodes) {
    const short = node.name.replace(`${lab.cluster.name}-`, '');
    const here = runPodsOn(env, node.address);
    const links = check.json<IpLink[]>(await check.must(lab.cluster.nodeExec(node.name, ['ip', '-j', '-d', 'link', 'show']), `links on ${short}`), `links on ${short}`);
    const bridges = links.filter((l) => l.linkinfo?.info_kind === 'bridge').map((b) => b.ifname);
    const addrs = here.length ? check.json<IpAddr[]>(await check.must(lab.cluster.nodeExec(node.name, ['ip', '-j', '-4', 'addr', 'show']), `addresses on ${short}`), `addresses on ${short}`) : [];
    const wired: PodWiring[] = [];
    for (const pod of here) wired.push(await podWiring(check, pod, links, addrs, short));
    nodes.push({ node: short, bridges, pods: wired });
  }
  return nodes;
}

async function podWiring(check: CheckContext, pod: StartedWorkload, links: readonly IpLink[], addrs: readonly IpAddr[], node: string): Promise<PodWiring> {
  const eth0 = await check.must(pod.exec(['ip', '-o', 'link', 'show', 'eth0']), `${pod.name}'s eth0`);
  const peerIndex = Number(check.need(/eth0@if(\d+)/.exec(eth0.stdout)?.[1], `eth0@ifN in ${pod.name}`));
  const route = await check.must(pod.exec(['ip', '-4', 'route', 'show', 'default']), `${pod.name}'s default route`);
  const gateway = check.need(/default via (\S+)/.exec(route.stdout)?.[1], `${pod.name}'s default gateway`);
  const veth = check.need(links.find((l) => l.ifindex === peerIndex), `link ${peerIndex} (${pod.name}'s veth peer) on ${node}`);
  const gatewayOn = addrs.find((a) => a.addr_info?.some((i) => i.local === gateway))?.ifname;
  return { pod: pod.name, veth: veth.ifname, vethMaster: veth.master, gateway, gatewayOn };
}

/** One half of K17 read on every node that runs a pod of the run. */
function podBridgeHalf(connection: string, judge: (nodes: readonly NodeWiring[]) => FactFound): Probe {
  return {
    describe: connection,
    run: (_source, env) => checkFact(connection, async (check) => judge(await readWiring(check, kindLabOf(env), env))),
  };
}

const wiringCommands = 'ip -j -d link show, ip -j -4 addr show on the nodes; ip -o link show eth0, ip -4 route show default in the pods';

/** K17's first half: a bridge of this name on every node that runs pods. */
export const bridgeNamed = (bridge: string): Probe => podBridgeHalf(`${bridge} on every node running pods (${wiringCommands})`, (nodes) => bridgeNamedOnPodNodes(nodes, bridge));

/** K17's second half: docker0's role, a bridge holding the pods' veths and their gateway address, on every node that runs pods. */
export const bridgeInDocker0sRole = (): Probe => podBridgeHalf(`a bridge holding the pods' veths and gateway on every node running pods (${wiringCommands})`, bridgeHoldsPods);
