import { hostExec } from '../exec/host-exec.ts';
import { deleteRule, insertRule, rulesMarked } from './iptables-rules.ts';
import type { LabRun } from './lab-run.ts';
import { ruleMarker } from './sweep.ts';

/**
 * The traffic rule, enforced: while a run lasts, nothing forwarded from a lab
 * bridge or link (docker0, br-*, np*) may leave through an uplink (an interface holding a
 * default route). The DROP rules also count what tried, so tests can assert
 * that a run sent nothing off the machine. Lab traffic to the host's own
 * addresses is delivered locally and never forwarded, so it is untouched.
 */
export interface TrafficGuard {
  readonly uplinks: readonly string[];
  /** Packets the guard stopped so far: lab traffic that tried to leave. */
  packetsStopped(): Promise<number>;
}

/** docker0, user-defined networks' br-<id>, and the lab's own veths (np<run>…) to outside clients. */
const labBridges = ['docker0', 'br-+', 'np+'];

export async function installTrafficGuard(run: LabRun): Promise<TrafficGuard> {
  const uplinks = await uplinkInterfaces();
  const v4Chain = (await hostExec(['iptables', '-S', 'DOCKER-USER'])).exitCode === 0 ? 'DOCKER-USER' : 'FORWARD';
  const marker = `${ruleMarker(run.id)} guard`;
  const comment = ['-m', 'comment', '--comment', marker];
  run.defer('remove the traffic guard', async () => {
    for (const rule of await rulesMarked(marker)) await deleteRule(rule);
  });
  for (const uplink of uplinks) {
    for (const bridge of labBridges) {
      await insertRule('ipv4', 'filter', [v4Chain, '-i', bridge, '-o', uplink, ...comment, '-j', 'DROP']);
      if ((await hostExec(['ip6tables', '-S', 'FORWARD'])).exitCode === 0) {
        await insertRule('ipv6', 'filter', ['FORWARD', '-i', bridge, '-o', uplink, ...comment, '-j', 'DROP']);
      }
    }
  }
  return {
    uplinks,
    packetsStopped: async () => (await rulesMarked(marker)).reduce((sum, rule) => sum + rule.packets, 0),
  };
}

/** Interfaces that carry a default route, IPv4 or IPv6: the ways off the machine. */
export async function uplinkInterfaces(): Promise<string[]> {
  const devices = new Set<string>();
  for (const family of ['-4', '-6']) {
    const routes = await hostExec(['ip', '-j', family, 'route', 'show', 'default']);
    if (routes.exitCode !== 0 || !routes.stdout.trim()) continue;
    for (const route of JSON.parse(routes.stdout) as { dev?: string }[]) if (route.dev) devices.add(route.dev);
  }
  return [...devices];
}
