import { hostExec, hostExecOrThrow } from '../../exec/host-exec.ts';
import { deleteRule, insertRule, rulesMarked } from '../../lab/iptables-rules.ts';
import { uplinkInterfaces } from '../../lab/traffic-guard.ts';

/**
 * The Docker network the lab's kind nodes sit on (kind is pointed at it with
 * KIND_EXPERIMENTAL_DOCKER_NETWORK), with a fixed bridge name so the traffic
 * rule can be enforced from before the first node starts: DROP rules stop
 * anything forwarded from that bridge to an uplink, and count what tried.
 */
export const kindNetwork = 'netproof-kind';
export const kindBridge = 'npkind0';
const guardMarker = 'netproof kind guard';

/** Creates the network (once) and the guard rules (once); safe to repeat. */
export async function ensureKindNetwork(): Promise<void> {
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
  for (const rule of await rulesMarked(guardMarker)) await deleteRule(rule);
}
