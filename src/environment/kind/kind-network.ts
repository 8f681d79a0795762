import { hostExec, hostExecOrThrow } from '../../exec/host-exec.ts';
import { deleteRules, insertRule, rulesMarked } from '../../lab/iptables-rules.ts';
import { uplinkInterfaces } from '../../lab/traffic-guard.ts';
import { serviceSubnet } from './cluster-config.ts';
import { cniModules } from './cni/registry.ts';

/**
 * The Docker network the lab's kind nodes sit on (kind is pointed at it with
 * KIND_EXPERIMENTAL_DOCKER_NETWORK), with a fixed bridge name so the traffic
 * rule can be enforced from before the first node starts: DROP rules stop
 * anything forwarded from that bridge to an uplink, and count what tried.
 */
export const kindNetwork = 'netproof-kind';
export const kindBridge = 'npkind0';
const guardMarker = 'netproof kind guard';

/**
 * kind's known limit: every node's kubelet and kube-proxy take inotify
 * instances from the host's one pool (128 by default). With a few clusters
 * up, kube-proxy fails "too many open files" and crash-loops, and without its
 * rules a node's SYNs to the API's ClusterIP follow the node's default route
 * (the guard drops them, but they tried). Raised, never lowered.
 */
const inotifyFloor = { 'fs.inotify.max_user_instances': 8192, 'fs.inotify.max_user_watches': 524288 } as const;

async function raiseInotifyLimits(): Promise<void> {
  for (const [key, floor] of Object.entries(inotifyFloor)) {
    const current = Number((await hostExec(['sysctl', '-n', key])).stdout.trim());
    if (Number.isFinite(current) && current < floor) await hostExec(['sysctl', '-qw', `${key}=${floor}`]);
  }
}

/**
 * The clusters' own ranges are routed nowhere beyond the lab: a node whose
 * kube-proxy rules are not in yet (its first seconds, a crash-looping
 * kube-proxy) sends a SYN for the API's ClusterIP to its default route, the
 * host. For traffic coming in from the kind bridge, the host's policy rules
 * blackhole the service and pod ranges, so such a packet dies here instead of
 * heading for an uplink (where the guard would drop it).
 */
const clusterRanges = [serviceSubnet, ...new Set(cniModules.map((cni) => cni.podSubnet))];
const rulePreference = '1000';

async function blackholeClusterRanges(): Promise<void> {
  const rules = (await hostExec(['ip', 'rule', 'list'])).stdout;
  for (const range of clusterRanges) {
    if (!rules.includes(`to ${range} iif ${kindBridge} blackhole`)) await hostExecOrThrow(['ip', 'rule', 'add', 'iif', kindBridge, 'to', range, 'blackhole', 'pref', rulePreference]);
  }
}

async function removeClusterRangeRules(): Promise<void> {
  for (const range of clusterRanges) await hostExec(['ip', 'rule', 'del', 'iif', kindBridge, 'to', range, 'blackhole', 'pref', rulePreference]);
}

/** Creates the network (once), the guard rules and routing policy (once), and makes room for the nodes' inotify use; safe to repeat. */
export async function ensureKindNetwork(): Promise<void> {
  await raiseInotifyLimits();
  await blackholeClusterRanges();
  if ((await hostExec(['docker', 'network', 'inspect', kindNetwork])).exitCode !== 0) {
    const mtu = (await hostExec(['docker', 'network', 'inspect', 'bridge', '-f', '{{index .Options "com.docker.network.driver.mtu"}}'])).stdout.trim();
    await hostExecOrThrow([
      'docker', 'network', 'create', '-d', 'bridge', '--label', 'netproof.kind=1',
      '-o', `com.docker.network.bridge.name=${kindBridge}`,
      '-o', 'com.docker.network.bridge.enable_ip_masquerade=true',
      ...(/^\d+$/.test(mtu) ? ['-o', `com.docker.network.driver.mtu=${mtu}`] : []),
      kindNetwork,
    ]);
  }
  const existing = await rulesMarked(guardMarker);
  const chain = (await hostExec(['iptables', '-S', 'DOCKER-USER'])).exitCode === 0 ? 'DOCKER-USER' : 'FORWARD';
  for (const uplink of await uplinkInterfaces()) {
    if (existing.some((rule) => rule.spec.includes(uplink))) continue;
    await insertRule('ipv4', 'filter', [chain, '-i', kindBridge, '-o', uplink, '-m', 'comment', '--comment', guardMarker, '-j', 'DROP']);
  }
}

/** Packets from kind nodes or pods that tried to leave the machine and were dropped. */
export async function packetsStoppedFromKind(): Promise<number> {
  return (await rulesMarked(guardMarker)).reduce((sum, rule) => sum + rule.packets, 0);
}

/** Removes the network and its guard once no container uses it. */
export async function removeKindNetworkIfUnused(): Promise<void> {
  const users = await hostExec(['docker', 'network', 'inspect', kindNetwork, '--format', '{{len .Containers}}']);
  if (users.exitCode === 0 && users.stdout.trim() !== '0') return;
  if (users.exitCode === 0) await hostExec(['docker', 'network', 'rm', kindNetwork]);
  await deleteRules(await rulesMarked(guardMarker));
  await removeClusterRangeRules();
}
