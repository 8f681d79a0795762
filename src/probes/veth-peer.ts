import type { EngineHost } from '../environment/docker/index.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import type { CheckContext } from './check.ts';

/** The host end of a container's eth0 veth pair, with its bridge and packet counters (`ip -j -s link`). */
export interface HostPeer {
  readonly ifindex: number;
  readonly ifname: string;
  readonly master?: string;
  readonly packets: { readonly rx: number; readonly tx: number };
}

interface IpLinkStatsJson {
  ifindex: number;
  ifname: string;
  master?: string;
  stats64?: { rx: { packets: number }; tx: { packets: number } };
}

/** The container's eth0 names its peer's ifindex (eth0@ifN); that index on the host is the peer. */
export async function hostPeerOf(check: CheckContext, host: EngineHost, workload: StartedWorkload): Promise<{ peerIndex: number; peer?: HostPeer }> {
  const inside = await check.must(workload.exec(['ip', '-o', 'link', 'show', 'eth0']), `reading ${workload.name}'s eth0`);
  const peerIndex = Number(check.need(/eth0@if(\d+)/.exec(inside.stdout)?.[1], `eth0@ifN in ${workload.name}`));
  return { peerIndex, peer: await hostLink(check, host, peerIndex) };
}

/** One host link by index, with its counters; undefined when the host has none of that index. */
export async function hostLink(check: CheckContext, host: EngineHost, ifindex: number): Promise<HostPeer | undefined> {
  const links = check.json<IpLinkStatsJson[]>(await check.must(host.exec(['ip', '-j', '-s', 'link', 'show']), "listing the host's links"), "the host's links");
  const link = links.find((l) => l.ifindex === ifindex);
  if (!link) return undefined;
  const stats = check.need(link.stats64, `packet counters of ${link.ifname}`);
  return { ifindex, ifname: link.ifname, master: link.master, packets: { rx: stats.rx.packets, tx: stats.tx.packets } };
}
