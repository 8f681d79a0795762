import { hostExec } from '../exec/host-exec.ts';
import { dockerHostNamed } from '../workloads/docker-host.ts';
import { checked, checkFact } from './check.ts';
import type { Probe } from './probe.ts';
import { madeBy, type ObservingProbe } from '../setup/setup.ts';
import { staticRoute, type StaticRoute } from '../setup/static-route.ts';

/**
 * A probe tried after the runner added `ip route replace TO via <VIA's LAN
 * address>` in ON's namespace (staticRoute); `ip route get` for the probe's
 * target is recorded, to show the path the packet took.
 */
export function throughRoute(probe: Probe, route: StaticRoute): ObservingProbe<void> {
  const setup = staticRoute(route);
  return {
    ...probe,
    note: [probe.note, `after ip route replace ${route.to} via <${route.via}'s LAN address> on ${route.on}`].filter(Boolean).join('; '),
    setup,
    run: (source, env) =>
      checked(probe.describe, async () => {
        madeBy(env, setup);
        const observed = await probe.run(source, env);
        const path = observed.target ? [await dockerHostNamed(route.on, env).inNamespace(['ip', 'route', 'get', observed.target.host])] : [];
        return { ...observed, evidence: [...observed.evidence, ...path] };
      }),
  };
}

/**
 * A probe from a container of HOST to an address HOST does not own, which
 * HOST therefore sends to its LAN gateway: this machine. The probe runs only
 * where this machine owns the address (`ip route get` says local), so the
 * packet is delivered here and never forwarded off the machine; otherwise the
 * check failed. This machine's listeners on the port are recorded: who could
 * have answered.
 */
export function toLanGateway(probe: Probe, host: string, address: string, port: number): Probe {
  return {
    ...probe,
    run: (source, env) =>
      checked(probe.describe, async (check) => {
        const here = await check.must(hostExec(['ip', 'route', 'get', address]), `how this machine routes ${address}`);
        check.need(/^local /.test(here.stdout) ? true : undefined, `${address} as an address of this machine (else the packet would be forwarded off it): ${here.stdout.trim()}`);
        const there = await check.must(dockerHostNamed(host, env).inNamespace(['ip', 'route', 'get', address]), `how ${host} routes ${address}`);
        const observed = await probe.run(source, env);
        const listeners = await hostExec(['ss', '-Hltn', `sport = :${port}`]);
        const where = `${host} routes ${address} ${/ via \S+/.exec(there.stdout)?.[0]?.trim() ?? there.stdout.trim()}; on this machine ${address} is local (${listeners.stdout.trim() ? 'listening here: ' + listeners.stdout.trim().replace(/\s+/g, ' ') : `nothing listens on ${port} here`})`;
        return { ...observed, evidence: [...observed.evidence, listeners], detail: [observed.detail, where].filter(Boolean).join('; ') };
      }),
  };
}

/** `ip link show docker0`: its flags and state, and the interfaces attached to it (`ip link show master docker0`). */
function bridgeState(link: string, attached: string): { state: string; flags: string; ports: string[] } | undefined {
  const state = /\bstate (\w+)/.exec(link)?.[1];
  const flags = /<([^>]*)>/.exec(link)?.[1];
  if (!state || flags === undefined) return undefined;
  const ports = attached.split('\n').flatMap((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? []);
  return { state, flags, ports };
}

/**
 * docker0 of a lab Docker host, as `ip link show` gives it, `at start` (read
 * when the engine first answered, before any container) or `now`; holds
 * when its state is `state`.
 */
export function docker0State(host: string, when: 'at start' | 'now', state: 'UP' | 'DOWN'): Probe {
  const describe = `ip link show docker0; ip link show master docker0 (${host}'s namespace, ${when})`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const docker = dockerHostNamed(host, env);
        const [link, attached] = when === 'at start' ? docker.bridgeAtStart : [docker.inNamespace(['ip', 'link', 'show', 'docker0']), docker.inNamespace(['ip', 'link', 'show', 'master', 'docker0'])];
        const read = check.need(bridgeState((await check.must(link!, 'reading docker0')).stdout, (await check.must(attached!, "listing docker0's ports")).stdout), 'the state and flags of docker0');
        const ports = read.ports.length ? `attached: ${read.ports.join(', ')}` : 'nothing attached';
        return { holds: read.state === state, observed: `docker0 state ${read.state} <${read.flags}>, ${ports}` };
      }),
  };
}
