import { EnvironmentError } from '../../errors.ts';
import type { ExecResult } from '../../exec/exec-result.ts';
import { succeeded, type EngineHost } from './engine-host.ts';

/** What the engine and host actually look like, read at run time, never assumed. */
export interface DockerFacts {
  readonly serverVersion: string;
  /** The default bridge's gateway: docker0's address (the article assumes 172.17.0.1). */
  readonly bridgeGateway: string;
  readonly bridgeSubnet: string;
  /** The host's primary interface (its IPv4 default route) and that interface's address: the "LAN IP". */
  readonly hostInterface: string;
  readonly hostAddress: string;
  /** Docker's NAT rules before any workload started, to compare with what publishing a port adds. */
  readonly natRulesAtStart: ExecResult;
  /** What the engine runs containers with, as it reports them (`containerd v2.3.5, runc 1.5.1`). */
  readonly components: string;
  /** Which firewall the engine wrote: `nftables` when its table is in the host's ruleset, else `iptables`. */
  readonly firewallBackend: 'iptables' | 'nftables';
  /** The default bridge's gateway mode and where it came from (`nat (the default; …)`). */
  readonly gatewayMode: string;
  /** Whether published ports go through docker-proxy, and where that was read. */
  readonly userlandProxy: string;
}

/** The facts of the scenario's Docker host: its engine, its bridge, its primary address. */
export async function readDockerFacts(host: EngineHost): Promise<DockerFacts> {
  // Every read at once: none depends on another (a run waited for eleven reads in a row).
  const [version, bridge, primary, natRulesAtStart, components, firewallBackend, gatewayMode, userlandProxy] = await Promise.all([
    succeeded(host.docker(['version', '--format', '{{.Server.Version}}'])),
    succeeded(host.docker(['network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}'])),
    primaryAddress(host),
    host.exec(['iptables', '-t', 'nat', '-S', 'DOCKER']),
    engineComponents(host),
    readFirewallBackend(host.system),
    readGatewayMode(host),
    readUserlandProxy(host),
  ]);
  const ipam = (JSON.parse(bridge.stdout) as { Subnet?: string; Gateway?: string }[]).find((c) => c.Subnet?.includes('.'));
  if (!ipam?.Subnet) {
    throw new EnvironmentError(`the default bridge has no IPv4 subnet: ${bridge.stdout}`, 'start dockerd with its default bridge enabled');
  }
  // dockerd records the gateway in IPAM only when it was configured; otherwise it is docker0's own address.
  const gateway = ipam.Gateway ?? (await interfaceAddress(host, 'docker0'));
  return { serverVersion: version.stdout.trim(), bridgeGateway: gateway, bridgeSubnet: ipam.Subnet, ...primary, natRulesAtStart, components, firewallBackend, gatewayMode, userlandProxy };
}

async function engineComponents(host: EngineHost): Promise<string> {
  const listed = await host.docker(['version', '--format', '{{json .Server.Components}}']);
  const parsed = listed.exitCode === 0 ? (JSON.parse(listed.stdout) as { Name: string; Version: string }[] | null) : null;
  // The machine's engine names its runc after the runtime it runs (netproof-capdrop wraps runc).
  return (parsed ?? []).filter((c) => c.Name !== 'Engine' && c.Name !== 'docker-init').map((c) => `${c.Name} ${c.Version}`).join(', ') || 'not reported';
}

/** Docker 29's nftables backend writes tables `docker-bridges`; the host's own nft (where it has one) lists them. */
export async function readFirewallBackend(system: EngineHost['system']): Promise<'iptables' | 'nftables'> {
  const tables = await system(['sh', '-c', 'command -v nft >/dev/null && nft list tables']);
  return /\bdocker-bridges\b/.test(tables.stdout) ? 'nftables' : 'iptables';
}

/**
 * The default bridge's gateway mode (Docker 28's `com.docker.network.bridge.gateway_mode_ipv4`:
 * nat, nat-unprotected, routed, isolated), as the engine reports the network's options.
 */
async function readGatewayMode(host: EngineHost): Promise<string> {
  const listed = await host.docker(['network', 'inspect', 'bridge', '--format', '{{json .Options}}']);
  const options = listed.exitCode === 0 ? (JSON.parse(listed.stdout) as Record<string, string> | null) : null;
  const mode = options?.['com.docker.network.bridge.gateway_mode_ipv4'];
  return mode ? `${mode} (set)` : 'nat (the default; no gateway_mode_ipv4 option)';
}

/**
 * Whether dockerd runs docker-proxy for published ports: its `--userland-proxy`
 * flag, else `userland-proxy` in /etc/docker/daemon.json, else the default
 * (true), read in the host's own system.
 */
export function userlandProxyFrom(cmdline: string, daemonJson: string): string {
  const flag = /--userland-proxy(?:=(\w+))?(?:\s|$)/.exec(cmdline);
  if (flag) return `${flag[1] ?? 'true'} (dockerd --userland-proxy)`;
  const configured = /"userland-proxy"\s*:\s*(true|false)/.exec(daemonJson);
  return configured ? `${configured[1]} (/etc/docker/daemon.json)` : 'true (the default)';
}

async function readUserlandProxy(host: EngineHost): Promise<string> {
  // The dockerd of this host's own network namespace: the machine also sees its lab hosts' dockerds (where /proc/self is not
  // this procfs's, inside a lab host, only its own dockerd is listed).
  const script = 'self=$(readlink /proc/self/ns/net 2>/dev/null); for p in $(pidof dockerd); do if [ -z "$self" ] || [ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$self" ]; then tr "\\0" " " < /proc/$p/cmdline; echo; fi; done; echo ===; cat /etc/docker/daemon.json 2>/dev/null';
  const read = await host.system(['sh', '-c', script]);
  const [cmdline = '', daemonJson = ''] = read.stdout.split('===');
  if (!/dockerd/.test(cmdline)) return 'not read (no dockerd process in the host)';
  return userlandProxyFrom(cmdline, daemonJson);
}

async function interfaceAddress(host: EngineHost, name: string): Promise<string> {
  const result = await succeeded(host.exec(['ip', '-j', '-4', 'addr', 'show', 'dev', name]));
  const local = (JSON.parse(result.stdout) as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
  if (!local) throw new EnvironmentError(`${name} has no IPv4 address`, 'start dockerd with its default bridge enabled');
  return local;
}

/** The address on the interface of the IPv4 default route; with no default route, the first global address outside the lab's bridges. */
async function primaryAddress(host: EngineHost): Promise<{ hostInterface: string; hostAddress: string }> {
  const [route, addrs] = await Promise.all([host.exec(['ip', '-j', '-4', 'route', 'show', 'default']), succeeded(host.exec(['ip', '-j', '-4', 'addr', 'show', 'scope', 'global']))]);
  const dev = route.exitCode === 0 && route.stdout.trim() ? (JSON.parse(route.stdout) as { dev?: string }[])[0]?.dev : undefined;
  const links = JSON.parse(addrs.stdout) as { ifname: string; addr_info: { local: string }[] }[];
  const candidates = links.filter((l) => !/^(docker0|br-|veth|cni|kind)/.test(l.ifname) && l.addr_info.length > 0);
  const chosen = candidates.find((l) => l.ifname === dev) ?? candidates[0];
  if (!chosen) throw new EnvironmentError('the host has no global IPv4 address outside the lab', 'give the host a network interface with an IPv4 address');
  return { hostInterface: chosen.ifname, hostAddress: chosen.addr_info[0]!.local };
}
