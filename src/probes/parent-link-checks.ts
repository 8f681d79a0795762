import { parentPeer, parentPeerNamespace } from '../environment/docker/index.ts';
import { hostExec } from '../exec/host-exec.ts';
import { checkFact } from './check.ts';
import type { Probe } from './probe.ts';

interface IpLink {
  readonly ifname: string;
  readonly ifindex: number;
  readonly master?: string;
  /** A veth's peer's ifindex (in the namespace link_netnsid names). */
  readonly link_index?: number;
  readonly linkinfo?: { readonly info_kind?: string };
}

/**
 * A macvlan/ipvlan network's parent has no way off the machine: it is a veth
 * in no bridge, whose peer is the only interface (beside lo) of the run's
 * namespace for it. Read on the host, so a parent that did get a master or a
 * namespace that gained an interface shows here as a fact that does not hold.
 */
export function parentHasNoWayOut(network: string): Probe {
  const describe = `ip -d link show <${network}'s parent>; ip -n <its peer's namespace> link show (host)`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const started = check.need(env.networks[network], `the scenario network ${network}`);
        check.need(started.driver === 'macvlan' || started.driver === 'ipvlan' ? started.driver : undefined, `${network} as a macvlan or ipvlan network`);
        const namespace = parentPeerNamespace(env.run.id, network);
        const [parent] = check.json<IpLink[]>(await check.must(env.host.exec(['ip', '-j', '-d', 'link', 'show', 'dev', started.bridge]), `reading the parent ${started.bridge}`), 'the parent link');
        const inside = check.json<IpLink[]>(await check.must(hostExec(['ip', '-n', namespace, '-j', '-d', 'link', 'show']), `reading namespace ${namespace}`), 'the namespace links');
        const link = check.need(parent, `the parent ${started.bridge}`);
        const peer = inside.find((l) => l.ifname === parentPeer);
        const others = inside.filter((l) => l.ifname !== 'lo' && l.ifname !== parentPeer).map((l) => l.ifname);
        const problems = [
          ...(link.linkinfo?.info_kind === 'veth' ? [] : [`${link.ifname} is a ${link.linkinfo?.info_kind ?? 'physical'} link, not the lab's veth`]),
          ...(link.master ? [`${link.ifname} is a port of ${link.master}`] : []),
          ...(peer && link.link_index === peer.ifindex ? [] : [`${link.ifname}'s peer is not ${parentPeer} in ${namespace}`]),
          ...(peer?.master ? [`${parentPeer} is a port of ${peer.master}`] : []),
          ...(others.length ? [`${namespace} also holds ${others.join(', ')}`] : []),
        ];
        return {
          holds: problems.length === 0,
          observed: problems.length ? problems.join('; ') : `${link.ifname} is a veth in no bridge; its peer ${parentPeer} is alone (with lo) in ${namespace}`,
        };
      }),
  };
}
