import { machineEngine, succeeded } from '../environment/docker/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { hostExecOrThrow } from '../exec/host-exec.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { HostResource } from '../lab/host-resources.ts';
import { runLinkName } from '../lab/names.ts';
import { container } from './lab-container.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';

/**
 * "A client outside the host", built so that nothing can leave the machine:
 * a LAN segment (a bridge inside a router container with no uplink) joining
 * the Docker host (198.18.0.1 on a veth) and client containers. 198.18.0.0/15
 * is the range RFC 2544 sets aside for lab benchmarking; no one else owns it.
 * The router has no route anywhere, like a LAN whose gateway knows nothing of
 * the host's 172.17.0.0/16: packets for it come back as "network unreachable".
 */
export const lan = { subnet: '198.18.0.0/24', host: '198.18.0.1', router: '198.18.0.254', prefix: 24 } as const;

export function lanRouter(): WorkloadSpec {
  const inner = container({ image: 'toolbox', network: 'none' });
  return {
    description: `LAN router (no uplink) joining the host at ${lan.host} and outside clients on ${lan.subnet}`,
    images: inner.images,
    // The host's address on the LAN is fixed: one run's LAN at a time.
    hostResources: [HostResource.labLan(lan.subnet)],
    async start(name, env) {
      const router = await inner.start(name, onTheMachine(env));
      const pid = await pidOf(router);
      const hostEnd = runLinkName(env.run.id, 'h');
      await hostExecOrThrow(['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', `${hostEnd}p`]);
      await hostExecOrThrow(['ip', 'link', 'set', `${hostEnd}p`, 'netns', pid]);
      // The other end is the Docker host's: the machine's own, or moved into a lab host's namespace.
      await env.host.adoptLink(hostEnd);
      await inNetns(pid, [
        ['ip', 'link', 'add', 'lan', 'type', 'bridge'],
        ['ip', 'addr', 'add', `${lan.router}/${lan.prefix}`, 'dev', 'lan'],
        ['ip', 'link', 'set', 'lan', 'up'],
        ['ip', 'link', 'set', `${hostEnd}p`, 'master', 'lan', 'up'],
        // Forwarding on, routes none: anything not on the LAN gets an ICMP "network unreachable".
        ['sysctl', '-qw', 'net.ipv4.ip_forward=1'],
      ]);
      await succeeded(env.host.exec(['ip', 'addr', 'add', `${lan.host}/${lan.prefix}`, 'dev', hostEnd]));
      await succeeded(env.host.exec(['ip', 'link', 'set', hostEnd, 'up']));
      // The veth goes with the router's namespace; this covers a run that ends before that.
      env.run.defer(`remove ${hostEnd}`, async () => void (await env.host.exec(['ip', 'link', 'delete', hostEnd])));
      return { ...router, description: this.description, addresses: { lan: lan.router }, place: { kind: 'router' } };
    },
  };
}

export interface OutsideClientOptions {
  /** Its address on the LAN. */
  readonly address: string;
  /** Extra routes, e.g. the Docker bridge's subnet via the Docker host, as `ip route add` words. */
  readonly routes?: readonly (readonly string[])[];
  readonly description?: string;
}

/** A client container whose only interface is on the lab LAN, its default route the router. */
export function outsideClient(router: string, options: OutsideClientOptions): WorkloadSpec {
  const inner = container({ image: 'toolbox', network: 'none' });
  return {
    description: options.description ?? `client outside the host at ${options.address} on the lab LAN`,
    images: inner.images,
    dependsOn: [router],
    async start(name, env) {
      const client = await inner.start(name, onTheMachine(env));
      const [clientPid, routerPid] = await Promise.all([pidOf(client), pidOf(env.workloads[router]!)]);
      const end = runLinkName(env.run.id, name.slice(-1));
      await hostExecOrThrow(['ip', 'link', 'add', end, 'type', 'veth', 'peer', 'name', `${end}p`]);
      await hostExecOrThrow(['ip', 'link', 'set', end, 'netns', clientPid]);
      await hostExecOrThrow(['ip', 'link', 'set', `${end}p`, 'netns', routerPid]);
      await inNetns(routerPid, [['ip', 'link', 'set', `${end}p`, 'master', 'lan', 'up']]);
      await inNetns(clientPid, [
        ['ip', 'link', 'set', end, 'name', 'eth0'],
        ['ip', 'addr', 'add', `${options.address}/${lan.prefix}`, 'dev', 'eth0'],
        ['ip', 'link', 'set', 'eth0', 'up'],
        ['ip', 'route', 'add', 'default', 'via', lan.router],
        ...(options.routes ?? []).map((route) => ['ip', 'route', 'add', ...route]),
      ]);
      return { ...client, description: this.description, addresses: { lan: options.address }, place: { kind: 'outside-client' } };
    },
  };
}

/**
 * Routers and outside clients are other machines on the LAN: they run on the
 * machine's engine whichever engine the scenario's Docker host is.
 */
function onTheMachine(env: StartedEnvironment): StartedEnvironment {
  return env.host === machineEngine ? env : { ...env, host: machineEngine, networks: {} };
}

async function pidOf(workload: StartedWorkload): Promise<string> {
  return (await hostExecOrThrow(['docker', 'inspect', '--format', '{{.State.Pid}}', workload.containerName])).stdout.trim();
}

/** Runs commands in a container's network namespace with the host's tools (the container lacks CAP_NET_ADMIN). */
async function inNetns(pid: string, commands: readonly (readonly string[])[]): Promise<ExecResult[]> {
  const results: ExecResult[] = [];
  for (const argv of commands) results.push(await hostExecOrThrow(['nsenter', '-t', pid, '-n', ...argv]));
  return results;
}
