import { hostExec } from '../exec/host-exec.ts';
import type { AttemptSpec } from '../scenario/claim.ts';

/** `docker network ls` lists every one of `names`. */
export function networksExist(names: readonly string[]): AttemptSpec {
  return {
    connection: () => 'docker network ls',
    async probe() {
      const result = await hostExec(['docker', 'network', 'ls', '--format', '{{.Name}} {{.Driver}}']);
      const present = new Set(result.stdout.split('\n').map((line) => line.split(' ')[0]));
      const missing = names.filter((name) => !present.has(name));
      const observed = missing.length === 0 ? `${names.join(', ')} present` : `missing: ${missing.join(', ')}`;
      return { outcome: { kind: 'fact', holds: missing.length === 0, observed }, evidence: [result] };
    },
  };
}

/** The default bridge's gateway and subnet, as `docker network inspect bridge` gives them. */
export function bridgeAddressing(expected: { gateway: string; subnet: string }): AttemptSpec {
  return {
    connection: () => 'docker network inspect bridge (IPAM gateway, subnet)',
    async probe(_source, env) {
      const result = await hostExec(['docker', 'network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}']);
      const { bridgeGateway, bridgeSubnet } = env.facts;
      const holds = bridgeGateway === expected.gateway && bridgeSubnet === expected.subnet;
      return { outcome: { kind: 'fact', holds, observed: `gateway ${bridgeGateway}, subnet ${bridgeSubnet}` }, evidence: [result] };
    },
  };
}

/**
 * The source container's eth0 is one end of a veth pair whose other end sits
 * on `bridge` in the host: eth0's iflink is the peer's ifindex on the host.
 */
export function vethPairOnBridge(bridge: string): AttemptSpec {
  return {
    connection: () => `container eth0@ifN ↔ host veth* on ${bridge}`,
    async probe(source) {
      const inside = await source.exec(['ip', '-o', 'link', 'show', 'eth0']);
      const peerIndex = Number(/eth0@if(\d+)/.exec(inside.stdout)?.[1]);
      const links = await hostExec(['ip', '-j', 'link', 'show']);
      const peer = (JSON.parse(links.stdout || '[]') as { ifindex: number; ifname: string; master?: string }[]).find((l) => l.ifindex === peerIndex);
      const holds = peer !== undefined && peer.ifname.startsWith('veth') && peer.master === bridge;
      const observed = peer ? `eth0@if${peerIndex} ↔ host ${peer.ifname} (master ${peer.master ?? 'none'})` : `no host interface with index ${peerIndex}`;
      return { outcome: { kind: 'fact', holds, observed }, evidence: [inside, links] };
    },
  };
}
