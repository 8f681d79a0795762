import type { StartedEnvironment } from '../environment/started-environment.ts';
import { dockerHostNamed } from '../workloads/docker-host.ts';
import { checked, checkFact, type CheckContext } from './check.ts';
import { runNpProbe } from './np-probe.ts';
import type { Probe } from './probe.ts';
import { madeBy, type ObservingProbe } from '../setup/setup.ts';
import { swarmOverlay } from '../setup/swarm-overlay.ts';

/** How each host's engine and namespace see a network: `docker network inspect` and `ip route`, recorded. */
async function recordHostsView(check: CheckContext, env: StartedEnvironment, hosts: readonly string[], network: string): Promise<void> {
  for (const host of hosts.map((name) => dockerHostNamed(name, env))) {
    await check.record(host.docker(['network', 'inspect', network]));
    await check.record(host.exec(['ip', 'route', 'show']));
  }
}

export interface AcrossBridgesOptions {
  /** The container served on the other host's default bridge. */
  readonly target: { readonly workload: string; readonly host: string; readonly port: number };
  /** Both docker hosts, for their bridges' evidence. */
  readonly hosts: readonly string[];
}

/**
 * From a container on one host's default bridge, HTTP to a container on the
 * other host's default bridge by its bridge address (as that host's engine
 * gave it). The outcome is the request's own; the evidence adds both hosts'
 * view of their bridges and routes.
 */
export function acrossDefaultBridges(options: AcrossBridgesOptions): Probe {
  const { workload, host, port } = options.target;
  const describe = `GET http://<${workload}'s address on ${host}'s docker0>:${port}/`;
  return {
    describe,
    note: `${workload}'s address on ${host}'s default bridge`,
    run: (source, env) =>
      checked(describe, async (check) => {
        const address = check.need(env.workloads[workload]?.addresses.bridge, `${workload}'s address on ${host}'s default bridge`);
        const requested = await runNpProbe(source, ['http', `http://${address}:${port}/`], 5, `GET http://${address}:${port}/`, { host: address, port });
        await recordHostsView(check, env, options.hosts, 'bridge');
        const own = source.addresses.bridge === address ? `; ${address} is also ${source.name}'s own address on its host's bridge` : '';
        return { ...requested, detail: `${requested.detail ?? ''}${own}` };
      }),
  };
}

export interface OverSwarmOverlayOptions {
  readonly manager: string;
  readonly worker: string;
  /** The container served on the worker; the claim's source is attached on the manager. */
  readonly target: { readonly workload: string; readonly port: number };
  readonly overlay: string;
}

/**
 * What the article prescribes instead: both engines in one swarm, an
 * attachable overlay network, the same two containers connected to it (the
 * runner sets that up, see swarmOverlay); then HTTP from the source to the
 * target's overlay address. The answer names its server.
 */
export function overSwarmOverlay(options: OverSwarmOverlayOptions): ObservingProbe<void> {
  const { workload, port } = options.target;
  const describe = `GET http://<${workload} on ${options.overlay}>:${port}/ (overlay ${options.overlay})`;
  const setup = swarmOverlay({ manager: options.manager, worker: options.worker, workload, overlay: options.overlay });
  return {
    describe,
    note: `${workload}'s address on the swarm overlay, after swarm init/join and docker network connect`,
    setup,
    run: (source, env) =>
      checked(describe, async (check) => {
        madeBy(env, setup);
        const manager = dockerHostNamed(options.manager, env);
        const worker = dockerHostNamed(options.worker, env);
        const inspected = await check.must(worker.docker(['inspect', workload, '--format', `{{(index .NetworkSettings.Networks "${options.overlay}").IPAddress}}`]), `reading ${workload}'s overlay address`);
        const address = check.need(inspected.stdout.trim() || undefined, `${workload}'s address on ${options.overlay}`);
        const requested = await runNpProbe(source, ['http', `http://${address}:${port}/`], 5, `GET http://${address}:${port}/ (overlay ${options.overlay})`, { host: address, port });
        // np-serve logs each request with the client's address: the source as the target saw it.
        await check.record(worker.docker(['logs', '--tail', '2', workload]));
        await recordHostsView(check, env, [options.manager, options.worker], options.overlay);
        await check.record(manager.docker(['node', 'ls']));
        return requested;
      }),
  };
}

/**
 * The built-in overlay driver on an engine in no swarm, as a reader would try
 * it first: `docker network create --driver overlay --attachable`. Holds when
 * the engine refuses it (it wants configuration: a swarm).
 */
export function overlayWithoutSwarm(host: string, overlay: string): Probe {
  const describe = `docker network create --driver overlay --attachable ${overlay} (on ${host}, in no swarm)`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const docker = dockerHostNamed(host, env);
        const state = (await check.must(docker.docker(['info', '--format', '{{.Swarm.LocalNodeState}}']), 'reading the swarm state')).stdout.trim();
        check.need(state === 'inactive' ? state : undefined, `${host} in no swarm (its state: ${state})`);
        const created = await check.record(docker.docker(['network', 'create', '--driver', 'overlay', '--attachable', overlay]));
        if (created.exitCode === 0) await check.record(docker.docker(['network', 'rm', overlay]));
        const refusal = created.stderr.trim().split('\n').pop() ?? '';
        return { holds: created.exitCode !== 0, observed: created.exitCode !== 0 ? `refused: ${refusal}` : `created on an engine in no swarm` };
      }),
  };
}

/**
 * What the hosts run besides the engine: `docker plugin ls` (installed
 * plugins) and the network drivers the engine reports. Holds when no plugin
 * is installed and `overlay` is one of the engine's own drivers.
 */
export function nothingInstalledButTheEngine(hosts: readonly string[]): Probe {
  const describe = `docker plugin ls; docker info --format '{{json .Plugins.Network}}' (on ${hosts.join(', ')})`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const seen: string[] = [];
        let holds = true;
        for (const name of hosts) {
          const docker = dockerHostNamed(name, env);
          const plugins = (await check.must(docker.docker(['plugin', 'ls', '--format', '{{.Name}}']), 'listing plugins')).stdout.split('\n').filter(Boolean);
          const drivers = JSON.parse((await check.must(docker.docker(['info', '--format', '{{json .Plugins.Network}}']), 'listing network drivers')).stdout) as string[];
          holds &&= plugins.length === 0 && drivers.includes('overlay');
          seen.push(`${name}: ${plugins.length ? `plugins ${plugins.join(', ')}` : 'no plugin'}; network drivers ${drivers.join(', ')}`);
        }
        return { holds, observed: seen.join('; ') };
      }),
  };
}
