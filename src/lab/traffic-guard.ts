import { hostExec, hostExecOrThrow } from '../exec/host-exec.ts';
import { deleteRules, insertRule, rulesMarked } from './iptables-rules.ts';
import type { LabRun } from './lab-run.ts';
import { runLabel, runLinkPrefix, runRuleMarker } from './names.ts';

/**
 * The traffic rule, enforced: while a run lasts, nothing forwarded from the
 * run's own bridges, links and containers may leave through an uplink (an
 * interface holding a default route). The DROP rules also count what tried,
 * so tests can assert that a run sent nothing off the machine. Traffic to
 * the host's own addresses is delivered locally and never forwarded.
 *
 * Only the lab is touched: the run's links (np<run>…) and the bridges of
 * its own networks wholesale, and on docker0, which other containers share,
 * only its containers' addresses. While its workloads start (their
 * addresses not yet known), docker0 is held wholesale for those seconds.
 */
export interface TrafficGuard {
  readonly uplinks: readonly string[];
  /** Packets the guard stopped so far: lab traffic that tried to leave. */
  packetsStopped(): Promise<number>;
  /** Covers a bridge of the run's own (a network it just created), wholesale. */
  coverBridge(device: string): Promise<void>;
  /** Holds docker0 wholesale until `coverRunContainers` names the run's containers on it. */
  holdSharedBridge(): Promise<void>;
  /** Covers every network and docker0 address of the run's containers (found by the run's label), then lets docker0 go. */
  coverRunContainers(): Promise<void>;
}

/** A container as `docker inspect` gives it: the networks it is attached to. */
interface InspectedContainer {
  NetworkSettings: { Networks: Record<string, { NetworkID: string; IPAddress: string }> };
}

/** A network as `docker network inspect` gives it. */
interface InspectedNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
}

export async function installTrafficGuard(run: LabRun): Promise<TrafficGuard> {
  const [uplinks, dockerUser, ip6Forward] = await Promise.all([uplinkInterfaces(), hostExec(['iptables', '-S', 'DOCKER-USER']), hostExec(['ip6tables', '-S', 'FORWARD'])]);
  const v4Chain = dockerUser.exitCode === 0 ? 'DOCKER-USER' : 'FORWARD';
  const ipv6 = ip6Forward.exitCode === 0;
  const marker = `${runRuleMarker(run.id)} guard`;
  const holdMarker = `${marker} hold`;
  const covered = new Set<string>();
  run.defer('remove the traffic guard', async () => {
    await deleteRules(await rulesMarked(marker));
  });
  /** DROP from a device (and a source address on it) to every uplink, IPv4, and IPv6 for whole devices. */
  const drop = async (device: string, source?: string, tag = marker) => {
    const key = `${device} ${source ?? ''} ${tag}`;
    if (covered.has(key)) return;
    covered.add(key);
    const match = ['-i', device, ...(source ? ['-s', source] : [])];
    for (const uplink of uplinks) {
      await insertRule('ipv4', 'filter', [v4Chain, ...match, '-o', uplink, '-m', 'comment', '--comment', tag, '-j', 'DROP']);
      if (ipv6 && !source) await insertRule('ipv6', 'filter', ['FORWARD', ...match, '-o', uplink, '-m', 'comment', '--comment', tag, '-j', 'DROP']);
    }
  };
  await drop(`${runLinkPrefix(run.id)}+`);
  return {
    uplinks,
    packetsStopped: async () => (await rulesMarked(marker)).reduce((sum, rule) => sum + rule.packets, 0),
    coverBridge: (device) => drop(device),
    holdSharedBridge: () => drop('docker0', undefined, holdMarker),
    async coverRunContainers() {
      const ids = (await hostExecOrThrow(['docker', 'ps', '-q', '--filter', `label=${runLabel}=${run.id}`])).stdout.split('\n').filter(Boolean);
      const inspected = ids.length ? (JSON.parse((await hostExecOrThrow(['docker', 'inspect', ...ids])).stdout) as InspectedContainer[]) : [];
      /** The host device of each of the run's own bridge networks, by id; ids of docker0 ("bridge") and networks not the run's are absent. */
      const ownBridges = new Map<string, string>();
      let docker0Id: string | undefined;
      const networkIds = [...new Set(inspected.flatMap((c) => Object.values(c.NetworkSettings.Networks).map((n) => n.NetworkID)))];
      const networks = networkIds.length ? (JSON.parse((await hostExecOrThrow(['docker', 'network', 'inspect', ...networkIds])).stdout) as InspectedNetwork[]) : [];
      for (const network of networks) {
        if (network.Name === 'bridge') docker0Id = network.Id;
        // A run's macvlan/ipvlan network has no bridge: its parent is a run link, covered from the start.
        else if (network.Labels?.[runLabel] === run.id && network.Driver === 'bridge') ownBridges.set(network.Id, network.Options?.['com.docker.network.bridge.name'] ?? `br-${network.Id.slice(0, 12)}`);
      }
      // The run's own networks wholesale; docker0 by address; other networks (kind's, guarded on their own) are not the run's to hold.
      const attachments = inspected.flatMap((container) => Object.values(container.NetworkSettings.Networks));
      await Promise.all(
        attachments.map((attached) => {
          const own = ownBridges.get(attached.NetworkID);
          if (own) return drop(own);
          return attached.NetworkID === docker0Id && attached.IPAddress ? drop('docker0', attached.IPAddress) : undefined;
        }),
      );
      await deleteRules(await rulesMarked(holdMarker));
    },
  };
}

/** Interfaces that carry a default route, IPv4 or IPv6: the ways off the machine. */
export async function uplinkInterfaces(): Promise<string[]> {
  const devices = new Set<string>();
  for (const routes of await Promise.all(['-4', '-6'].map((family) => hostExec(['ip', '-j', family, 'route', 'show', 'default'])))) {
    if (routes.exitCode !== 0 || !routes.stdout.trim()) continue;
    for (const route of JSON.parse(routes.stdout) as { dev?: string }[]) if (route.dev) devices.add(route.dev);
  }
  return [...devices];
}
