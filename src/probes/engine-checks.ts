import type { EngineHost } from '../environment/docker/index.ts';
import { formatOutcome } from '../outcome/outcome.ts';
import { checkFact, type CheckContext } from './check.ts';
import { hostLink, hostPeerOf } from './veth-peer.ts';
import type { Probe } from './probe.ts';

/** `docker network ls` lists every one of `names`. */
export function networksExist(names: readonly string[]): Probe {
  const describe = 'docker network ls';
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const listed = await check.must(env.host.docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}}']), 'listing networks');
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
async function readInterface(check: CheckContext, host: EngineHost, device: string): Promise<IpAddrJson> {
  const shown = await check.must(host.exec(['ip', '-j', 'addr', 'show', 'dev', device]), `reading ${device}`);
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
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const docker0 = await readInterface(check, env.host, 'docker0');
        const v4 = check.need(docker0.addr_info.find((a) => a.family === 'inet'), 'an IPv4 address on docker0');
        const inspected = await check.must(env.host.docker(['network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}']), 'inspecting the bridge network');
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
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const link = await readInterface(check, env.host, device);
        return { holds: link.operstate === expected, observed: `${device} state ${link.operstate} <${link.flags.join(',')}>` };
      }),
  };
}

/**
 * The source container's eth0 is one end of a veth pair whose other end sits
 * on `bridge` in the host: eth0's iflink is the peer's ifindex on the host.
 */
export function vethPairOnBridge(bridge: string): Probe {
  const describe = `container eth0@ifN ↔ host veth* on ${bridge}`;
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const { peerIndex, peer } = await hostPeerOf(check, env.host, source);
        const holds = peer !== undefined && peer.ifname.startsWith('veth') && peer.master === bridge;
        return { holds, observed: peer ? `eth0@if${peerIndex} ↔ host ${peer.ifname} (master ${peer.master ?? 'none'})` : `no host interface with index ${peerIndex}` };
      }),
  };
}

/**
 * Whether an exchange with `server` went through a bridge: the packet
 * counters of the host end of the server's veth pair, a port of that
 * bridge, read around the exchange. Holds when it did NOT cross one
 * ("directly, without going through the bridge").
 */
export function withoutBridge(server: string, exchange: Probe): Probe {
  const describe = `${exchange.describe}, counting packets on the host end of ${server}'s veth`;
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const target = check.need(env.workloads[server], `the workload ${server}`);
        const { peerIndex, peer: before } = await hostPeerOf(check, env.host, target);
        const port = check.need(before, `a host link with index ${peerIndex}`);
        const done = await exchange.run(source, env);
        for (const result of done.evidence) await check.record(result);
        check.need(done.outcome.kind === 'success' || done.outcome.kind === 'http-status' ? true : undefined, `a completed exchange (it was ${formatOutcome(done.outcome)})`);
        const after = check.need(await hostLink(check, env.host, peerIndex), `${port.ifname} after the exchange`);
        const moved = { rx: after.packets.rx - port.packets.rx, tx: after.packets.tx - port.packets.tx };
        const crossed = port.master !== undefined && moved.rx + moved.tx > 0;
        const observed = `${server}'s eth0 ↔ host ${port.ifname}${port.master ? `, a port of bridge ${port.master}` : ' (no bridge)'}; ${done.connection} moved ${moved.tx} packets to and ${moved.rx} from ${server} through it`;
        return { holds: !crossed, observed };
      }),
  };
}
