import type { ExecResult } from '../exec/exec-result.ts';
import { formatOutcome } from '../outcome/outcome.ts';
import type { AttemptSpec, Probed } from '../scenario/claim.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { Expect } from '../verdict/expect.ts';
import { dockerHostNamed } from '../workloads/docker-host.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { runNpProbe } from './np-probe.ts';

/**
 * Probes across two Docker hosts (workloads/docker-host.ts). Each turns a
 * connection into a `fact`: whether it went the way the article says, with
 * the connection's own outcome in `observed`. A harness failure or an
 * unclassified error stays what it is (inconclusive), never a fact.
 */
function asFact(probed: Probed, holds: boolean, observed: string, evidence: readonly ExecResult[]): Probed {
  const { outcome } = probed;
  if (outcome.kind === 'check-failed' || outcome.kind === 'other') return { ...probed, evidence };
  return { outcome: { kind: 'fact', holds, observed: `${formatOutcome(outcome)}: ${observed}` }, evidence, detail: probed.detail };
}

/** A stopped procedure: a harness failure, with what was run so far as evidence. */
const stopped = (reason: string, evidence: readonly ExecResult[]): Probed => ({ outcome: { kind: 'check-failed', reason }, evidence });

/** How each host's engine and namespace see their bridges: `docker network inspect` and `ip route`. */
async function hostsView(env: StartedEnvironment, hosts: readonly string[], network: string): Promise<ExecResult[]> {
  const views = await Promise.all(
    hosts.map((name) => dockerHostNamed(name, env)).map(async (host) => [await host.docker(['network', 'inspect', network]), await host.exec(['ip', 'route', 'show'])]),
  );
  return views.flat();
}

export interface AcrossBridgesOptions {
  /** The container served on the other host's default bridge. */
  readonly target: { readonly workload: string; readonly host: string; readonly port: number };
  /** Both docker hosts, for their bridges' evidence. */
  readonly hosts: readonly string[];
}

/**
 * From a container on one host's default bridge, HTTP to a container on the
 * other host's default bridge by its 172.17.x address (as that host's engine
 * gave it). Holds when the request does not get through.
 */
export function acrossDefaultBridges(options: AcrossBridgesOptions): AttemptSpec {
  const { workload, host, port } = options.target;
  const addressOf = (env: StartedEnvironment) => env.workloads[workload]!.addresses.bridge!;
  return {
    connection: (env) => `GET http://${addressOf(env)}:${port}/`,
    note: `${workload}'s address on ${host}'s default bridge`,
    async probe(source, env) {
      const target = addressOf(env);
      const probed = await runNpProbe(source, ['http', `http://${target}:${port}/`], 5);
      const own = source.addresses.bridge === target;
      const where = own
        ? `${target} is also ${source.name}'s own address on its host's bridge: the request went to ${source.name} itself, never off its host`
        : `no container on ${source.name}'s host holds ${target}; the address is on-link on its own docker0, so nothing leaves that host`;
      const evidence = [...probed.evidence, ...(await hostsView(env, options.hosts, 'bridge'))];
      return asFact(probed, Expect.fails.accepts(probed.outcome), where, evidence);
    },
  };
}

export interface OverSwarmOverlayOptions {
  readonly manager: string;
  readonly worker: string;
  /** The container served on the worker; the claim's source is attached on the manager. */
  readonly target: { readonly workload: string; readonly port: number; readonly body: string };
  readonly overlay: string;
}

/**
 * What the article prescribes instead: both engines in one swarm, an
 * attachable overlay network, the same two containers connected to it; then
 * HTTP from the source to the target's overlay address. Holds when the
 * target itself answers (its page names it).
 */
export function overSwarmOverlay(options: OverSwarmOverlayOptions): AttemptSpec {
  const { workload, port, body } = options.target;
  const resolved = new WeakMap<StartedEnvironment, string>();
  return {
    connection: (env) => `GET http://${resolved.get(env) ?? `<${workload} on ${options.overlay}>`}:${port}/ (overlay ${options.overlay})`,
    note: `${workload}'s address on the swarm overlay, after swarm init/join and docker network connect`,
    async probe(source, env) {
      const manager = dockerHostNamed(options.manager, env);
      const worker = dockerHostNamed(options.worker, env);
      const evidence: ExecResult[] = [];
      const step = async (done: Promise<ExecResult>) => {
        const result = await done;
        evidence.push(result);
        return result.exitCode === 0 ? result : undefined;
      };
      if (!(await step(manager.docker(['swarm', 'init', '--advertise-addr', manager.lanAddress])))) return stopped('docker swarm init failed', evidence);
      const token = await step(manager.docker(['swarm', 'join-token', '-q', 'worker']));
      if (!token) return stopped('no worker join token', evidence);
      if (!(await step(worker.docker(['swarm', 'join', '--token', token.stdout.trim(), `${manager.lanAddress}:2377`])))) return stopped('docker swarm join failed', evidence);
      if (!(await step(manager.docker(['network', 'create', '--driver', 'overlay', '--attachable', options.overlay])))) return stopped('creating the overlay failed', evidence);
      const connected = await Promise.all([step(manager.docker(['network', 'connect', options.overlay, source.containerName])), step(worker.docker(['network', 'connect', options.overlay, workload]))]);
      if (connected.includes(undefined)) return stopped('docker network connect failed', evidence);
      const inspected = await step(worker.docker(['inspect', workload, '--format', `{{(index .NetworkSettings.Networks "${options.overlay}").IPAddress}}`]));
      const address = inspected?.stdout.trim();
      if (!address) return stopped(`${workload} has no address on ${options.overlay}`, evidence);
      resolved.set(env, address);

      const probed = await runNpProbe(source, ['http', `http://${address}:${port}/`], 5);
      const targetWorkload: StartedWorkload = env.workloads[workload]!;
      // http.server logs each request with the client's address: the source as the target saw it.
      const serverLog = await worker.docker(['logs', '--tail', '1', workload]);
      evidence.push(
        ...probed.evidence,
        serverLog,
        ...(await hostsView(env, [options.manager, options.worker], options.overlay)),
        await manager.docker(['node', 'ls']),
        await source.exec(['ip', 'route', 'show']),
        await targetWorkload.exec(['ip', 'route', 'show']),
      );
      const answered = probed.outcome.kind === 'http-status' && probed.outcome.status === 200 && (probed.detail ?? '').includes(body);
      const seenAs = /^(\S+) - - .*"GET \//m.exec(serverLog.stderr + serverLog.stdout)?.[1];
      const observed = answered
        ? `${workload} on ${options.worker} answered ${source.name} on ${options.manager} at ${address} and saw it as ${seenAs ?? 'an address its log does not show'}`
        : `${workload} at ${address} did not answer as itself`;
      return asFact(probed, answered, observed, evidence);
    },
  };
}
