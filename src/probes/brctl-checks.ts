import { hostExec } from '../exec/host-exec.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { checkFact, type CheckContext } from './check.ts';
import type { Probe } from './probe.ts';
import { hostPeerOf } from './veth-peer.ts';

/** Debian's priorities a default install includes (debootstrap's and the installer's "standard system utilities"). */
const installedByDefault = ['required', 'important', 'standard'];

/**
 * Whether `brctl` comes with Linux as installed by default: the priority of
 * the package that carries it (bridge-utils) in this host's distribution,
 * beside whether this host has the command at all.
 */
export function brctlInstalledByDefault(): Probe {
  const describe = "command -v brctl; apt-cache show bridge-utils (Priority) (host)";
  return {
    describe,
    note: "Linux here is this host's distribution, read from /etc/os-release",
    run: () =>
      checkFact(describe, async (check) => {
        const os = await check.must(hostExec(['sh', '-c', '. /etc/os-release && echo "$PRETTY_NAME"']), "reading the host's distribution");
        const command = await check.must(hostExec(['sh', '-c', 'command -v brctl']), 'looking for brctl on the host', [0, 1, 127]);
        const shown = await check.must(hostExec(['apt-cache', 'show', '--no-all-versions', 'bridge-utils']), "reading bridge-utils' package record");
        const priority = check.need(/^Priority: (\S+)/m.exec(shown.stdout)?.[1], "bridge-utils' priority");
        const holds = installedByDefault.includes(priority);
        const here = command.exitCode === 0 ? `this host has ${command.stdout.trim()}` : 'this host has no brctl';
        return { holds, observed: `bridge-utils (brctl) is Priority: ${priority} on ${os.stdout.trim()}, ${holds ? 'part of' : 'not part of'} a default install (${installedByDefault.join('/')}); ${here}` };
      }),
  };
}

/** `brctl show`: each bridge with the interfaces bound to it. */
export function parseBrctlShow(output: string): Map<string, string[]> {
  const bridges = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const words = line.trim().split(/\s+/);
    if (/^\S/.test(line)) {
      current = words.slice(3);
      bridges.set(words[0]!, current);
    } else current?.push(...words);
  }
  return bridges;
}

async function brctlShow(check: CheckContext, source: StartedWorkload): Promise<Map<string, string[]>> {
  const shown = await check.must(source.exec(['brctl', 'show']), 'running brctl show');
  return parseBrctlShow(shown.stdout);
}

/**
 * `brctl show`, run in the host's network namespace, against the host ends of
 * these containers' veths (eth0@ifN on the host, and the bridge it is a port
 * of, from `ip link`): holds when every one is listed under its own bridge.
 * brctl names interfaces, not containers: the observation says which veth is
 * which container's.
 */
export function brctlListsContainers(workloads: readonly string[]): Probe {
  const describe = `brctl show (host namespace), against the host veths of ${workloads.join(', ')}`;
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const peers = [];
        for (const name of workloads) {
          const { peerIndex, peer } = await hostPeerOf(check, env.host, check.need(env.workloads[name], `the workload ${name}`));
          const found = check.need(peer, `host link ${peerIndex}, ${name}'s veth peer`);
          peers.push({ name, ifname: found.ifname, bridge: check.need(found.master, `the bridge ${found.ifname} is a port of`) });
        }
        const bridges = await brctlShow(check, source);
        const missing = peers.filter((p) => !bridges.get(p.bridge)?.includes(p.ifname));
        const listed = peers.map((p) => `${p.ifname} (${p.name}) under ${p.bridge}`).join(', ');
        return {
          holds: missing.length === 0,
          observed:
            missing.length === 0
              ? `brctl show lists every container's veth under its bridge: ${listed}; it names the veths, not the containers`
              : `brctl show leaves out ${missing.map((p) => `${p.ifname} (${p.name}) of ${p.bridge}`).join(', ')}`,
        };
      }),
  };
}

/** `brctl show` lists the bridge of the scenario network `network`, with no interface bound to it. */
export function brctlListsNothingOn(network: string): Probe {
  const describe = `brctl show (host namespace): the bridge of ${network}, which no container joined`;
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const bridge = check.need(env.networks[network]?.bridge, `the bridge of ${network}`);
        const interfaces = check.need((await brctlShow(check, source)).get(bridge), `${bridge} in the output of brctl show`);
        return { holds: interfaces.length === 0, observed: interfaces.length === 0 ? `${bridge} listed with no interface` : `${bridge} lists ${interfaces.join(', ')}` };
      }),
  };
}
