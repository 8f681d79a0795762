import { hostExec } from '../exec/host-exec.ts';
import { checkFact, type CheckContext } from './check.ts';
import type { Probe } from './probe.ts';

/** `docker network ls` lists every one of `names`. */
export function networksExist(names: readonly string[]): Probe {
  const describe = 'docker network ls';
  return {
    describe,
    run: () =>
      checkFact(describe, async (check) => {
        const listed = await check.must(hostExec(['docker', 'network', 'ls', '--format', '{{.Name}} {{.Driver}}']), 'listing networks');
        const present = new Set(listed.stdout.split('\n').map((line) => line.split(' ')[0]));
        const missing = names.filter((name) => !present.has(name));
        return { holds: missing.length === 0, observed: missing.length === 0 ? `${names.join(', ')} present` : `missing: ${missing.join(', ')}` };
      }),
  };
}

interface IpAddrJson {
  ifname: string;
  operstate: string;
  flags: string[];
  addr_info: { family: string; local: string; prefixlen: number }[];
}

/** Reads an interface as `ip -j addr show dev X` gives it. */
async function readInterface(check: CheckContext, device: string, argvPrefix: readonly string[] = []): Promise<IpAddrJson> {
  const shown = await check.must(hostExec([...argvPrefix, 'ip', '-j', 'addr', 'show', 'dev', device]), `reading ${device}`);
  return check.need(check.json<IpAddrJson[]>(shown, `ip addr of ${device}`)[0], `${device} in the output of ip addr`);
}

/**
 * docker0's address and the bridge subnet as the host shows them (`ip addr
 * show docker0`), beside what the engine says (`docker network inspect bridge`).
 */
export function bridgeAddressing(expected: { gateway: string; subnet: string }): Probe {
  const describe = 'ip addr show docker0; docker network inspect bridge (IPAM)';
  return {
    describe,
    run: () =>
      checkFact(describe, async (check) => {
        const docker0 = await readInterface(check, 'docker0');
        const v4 = check.need(docker0.addr_info.find((a) => a.family === 'inet'), 'an IPv4 address on docker0');
        const inspected = await check.must(hostExec(['docker', 'network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}']), 'inspecting the bridge network');
        const ipam = check.json<{ Subnet?: string; Gateway?: string }[]>(inspected, 'the bridge IPAM config').find((c) => c.Subnet?.includes('.'));
        const subnet = check.need(ipam?.Subnet, 'an IPv4 subnet in the bridge network');
        const [base, bits] = expected.subnet.split('/');
        const holds = v4.local === expected.gateway && v4.prefixlen === Number(bits) && subnet === expected.subnet && base !== undefined;
        return { holds, observed: `docker0 ${v4.local}/${v4.prefixlen}; engine's bridge subnet ${subnet}${ipam?.Gateway ? `, gateway ${ipam.Gateway}` : ''}` };
      }),
  };
}

/** docker0's link state (`ip link show docker0`): UP, or DOWN / NO-CARRIER when no container is attached. */
export function bridgeLinkState(expected: 'DOWN' | 'UP', device = 'docker0'): Probe {
  const describe = `ip link show ${device}`;
  return {
    describe,
    run: () =>
      checkFact(describe, async (check) => {
        const link = await readInterface(check, device);
        return { holds: link.operstate === expected, observed: `${device} state ${link.operstate} <${link.flags.join(',')}>` };
      }),
  };
}

interface IpLinkJson {
  ifindex: number;
  ifname: string;
  master?: string;
}

/**
 * The source container's eth0 is one end of a veth pair whose other end sits
 * on `bridge` in the host: eth0's iflink is the peer's ifindex on the host.
 */
export function vethPairOnBridge(bridge: string): Probe {
  const describe = `container eth0@ifN ↔ host veth* on ${bridge}`;
  return {
    describe,
    run: (source) =>
      checkFact(describe, async (check) => {
        const inside = await check.must(source.exec(['ip', '-o', 'link', 'show', 'eth0']), "reading the container's eth0");
        const peerIndex = Number(check.need(/eth0@if(\d+)/.exec(inside.stdout)?.[1], 'eth0@ifN in the container'));
        const links = check.json<IpLinkJson[]>(await check.must(hostExec(['ip', '-j', 'link', 'show']), "listing the host's links"), "the host's links");
        const peer = links.find((l) => l.ifindex === peerIndex);
        const holds = peer !== undefined && peer.ifname.startsWith('veth') && peer.master === bridge;
        return { holds, observed: peer ? `eth0@if${peerIndex} ↔ host ${peer.ifname} (master ${peer.master ?? 'none'})` : `no host interface with index ${peerIndex}` };
      }),
  };
}
