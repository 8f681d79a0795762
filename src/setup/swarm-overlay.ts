import { dockerHostNamed } from '../workloads/docker-host.ts';
import type { Setup } from './setup.ts';

export interface SwarmOverlaySpec {
  /** The lab Docker host that inits the swarm; the attempt's source, a container of it, joins the overlay. */
  readonly manager: string;
  /** The lab Docker host that joins as a worker; `workload`, a container of it, joins the overlay. */
  readonly worker: string;
  readonly workload: string;
  /** The attachable overlay network's name. */
  readonly overlay: string;
}

/**
 * Both engines in one swarm and an attachable overlay with the two
 * containers on it: `docker swarm init` on the manager, `join` on the
 * worker, `network create --driver overlay --attachable`, `network connect`
 * each. Every command must succeed, else the attempt's check failed. Nothing
 * to undo: the swarm and the overlay live in the lab hosts' engines, which
 * go with the run. A second claim declaring the same swarm finds it made and
 * only reads it (each step runs when what it makes is missing).
 */
export function swarmOverlay(spec: SwarmOverlaySpec): Setup<void> {
  return {
    describe: `a swarm of ${spec.manager} and ${spec.worker} with the attachable overlay ${spec.overlay}`,
    async apply(check, env, source) {
      const manager = dockerHostNamed(spec.manager, env);
      const worker = dockerHostNamed(spec.worker, env);
      const swarmState = async (host: typeof manager) => (await check.must(host.docker(['info', '--format', '{{.Swarm.LocalNodeState}}']), 'reading the swarm state')).stdout.trim();
      if ((await swarmState(manager)) !== 'active') await check.must(manager.docker(['swarm', 'init', '--advertise-addr', manager.lanAddress]), 'docker swarm init');
      if ((await swarmState(worker)) !== 'active') {
        const token = (await check.must(manager.docker(['swarm', 'join-token', '-q', 'worker']), 'reading the worker join token')).stdout.trim();
        await check.must(worker.docker(['swarm', 'join', '--token', token, `${manager.lanAddress}:2377`]), 'docker swarm join');
      }
      if ((await check.record(manager.docker(['network', 'inspect', '--format', '{{.Driver}}', spec.overlay]))).exitCode !== 0) {
        await check.must(manager.docker(['network', 'create', '--driver', 'overlay', '--attachable', spec.overlay]), 'creating the overlay');
      }
      const onOverlay = async (host: typeof manager, container: string) =>
        (await check.must(host.docker(['inspect', '--format', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}', container]), `listing ${container}'s networks`)).stdout.split(' ').includes(spec.overlay);
      if (!(await onOverlay(manager, source.containerName))) await check.must(manager.docker(['network', 'connect', spec.overlay, source.containerName]), `connecting ${source.name} to the overlay`);
      if (!(await onOverlay(worker, spec.workload))) await check.must(worker.docker(['network', 'connect', spec.overlay, spec.workload]), `connecting ${spec.workload} to the overlay`);
    },
  };
}
