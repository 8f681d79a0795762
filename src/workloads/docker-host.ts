import { BlockList } from 'node:net';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { EnvironmentError } from '../errors.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import type { HostExecOptions } from '../exec/host-exec.ts';
import type { ImageName } from '../images/catalogue.ts';
import { startLabHost, type LabHost } from '../environment/docker/index.ts';
import { containerContextCommands } from './container-exec.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';
import { runResourceName } from '../lab/names.ts';

/**
 * A Docker host of its own: a lab host (src/environment/docker/lab-host-engine.ts,
 * Debian's dockerd in a privileged container) on one of the scenario's
 * networks, the "lab LAN" joining the hosts. Its `exec` runs in the host's own
 * network namespace; `docker` talks to its engine. Everything the inner engine
 * makes (containers, bridges, swarm state, images on a tmpfs) goes with it.
 */
export interface StartedDockerHost extends StartedWorkload {
  /** Its address on the lab LAN: where its engine listens and what a swarm advertises. */
  readonly lanAddress: string;
  /** `docker -H tcp://<lan address>:2375 …`, recorded as a pasteable command; a non-zero exit is data. */
  docker(args: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Makes a lab image present in the inner engine (`docker save | docker load`), once per image. */
  load(image: ImageName): Promise<string>;
  /** Runs a command of this machine's (iptables, ip) in the host's network namespace: `nsenter -t <pid> -n`, pasteable here. */
  inNamespace(argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** A command of the host's own system (its mount namespace too: its own nft). */
  inSystem(argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** `ip link show docker0` and the interfaces on it, read when the engine first answered: before any container existed. */
  readonly bridgeAtStart: readonly ExecResult[];
  /** Runs a container on its engine (the lab host provider's own `docker run`). */
  runContainer: LabHost['runContainer'];
}

export interface DockerHostOptions {
  /** The scenario network that joins the hosts. */
  readonly lan: string;
  /** dockerd `--bip`: the default bridge's address and prefix (e.g. 172.16.0.1/16) instead of 172.17.0.1/16. */
  readonly bip?: string;
  /** User-defined networks to create on this engine once it answers (`docker network create NAME`). */
  readonly networks?: readonly string[];
  readonly description?: string;
}

export function dockerHost(options: DockerHostOptions): WorkloadSpec {
  return {
    description: options.description ?? `a Docker engine in a privileged container on the lab LAN (${options.lan})`,
    // toolbox: run in the host's namespace for its view of the network. The engine's image comes from env.dockerHosts.
    images: ['toolbox'],
    network: options.lan,
    async start(name, env) {
      const engine = env.dockerHosts;
      if (!engine) throw new EnvironmentError(`${name} is a Docker host of the scenario's own, but its environment makes none`, "declare the scenario's environment as docker({ engineRuns: 'docker-hosts' })");
      const lan = env.networks[options.lan];
      if (!lan) throw new EnvironmentError(`no network "${options.lan}" in this scenario`, 'declare it under networks in the scenario file');
      if (options.bip && overlaps(options.bip, lan.subnet)) {
        throw new EnvironmentError(`${name}'s --bip ${options.bip} overlaps the lab LAN ${lan.subnet}`, 'choose a --bip outside the networks Docker hands out on this machine');
      }
      const image = await engine.image(env.logger);
      const host = await startLabHost({ name: runResourceName(env.run.id, name), engine: engine.name, image, network: lan.dockerName, labels: env.run.labels, bip: options.bip, daemonArgs: engine.daemonArgs, sysctls: engine.sysctls, images: [env.images.toolbox], warn: (message) => env.logger.info(message) });
      env.run.defer(`remove ${name}`, host.remove);
      const bridgeAtStart = await Promise.all([host.exec(['ip', 'link', 'show', 'docker0']), host.exec(['ip', 'link', 'show', 'master', 'docker0'])]);
      for (const network of options.networks ?? []) {
        const created = await host.docker(['network', 'create', network]);
        if (created.exitCode !== 0) throw new Error(`on ${name}: ${created.command} failed: ${created.stderr.trim()}`);
      }
      return {
        name,
        description: this.description,
        containerName: host.containerName,
        addresses: { [options.lan]: host.lanAddress },
        place: { kind: 'docker-host' },
        lanAddress: host.lanAddress,
        docker: host.docker,
        load: (image: ImageName) => host.load(env.images[image]),
        inNamespace: (argv: readonly string[], options?: HostExecOptions) => host.exec(argv, options),
        inSystem: (argv: readonly string[], options?: HostExecOptions) => host.system(argv, options),
        bridgeAtStart,
        runContainer: host.runContainer,
        // `docker exec` into a privileged container asks for every capability, which this
        // sandbox's bounding set lacks; a throwaway toolbox in the host's namespace sees the same.
        async exec(argv) {
          const toolbox = await host.load(env.images.toolbox);
          return host.docker(['run', '--rm', '--pull', 'never', '--network', 'host', toolbox, ...argv]);
        },
        contextCommands: containerContextCommands.filter(([command]) => command === 'ip'),
      };
    },
  };
}

export interface InnerContainerOptions {
  /** The docker host workload to run on. */
  readonly host: string;
  readonly image: ImageName;
  /** On the inner engine's default bridge unless told (`docker run --network`). */
  readonly network?: string;
  readonly command?: readonly string[];
  /** Workloads to start first (on a default bridge, start order decides the addresses). */
  readonly after?: readonly string[];
  /** A TCP port the command serves: start() returns once it accepts connections inside. */
  readonly listens?: number;
  /** `-p host:container` on that engine. */
  readonly publish?: readonly { readonly host: number; readonly container: number }[];
  /** `--add-host name:address` (e.g. `host.docker.internal:host-gateway`). */
  readonly addHosts?: readonly string[];
  readonly description?: string;
}

/** A container on one of the lab's Docker hosts, named as its workload there. */
export function innerContainer(options: InnerContainerOptions): WorkloadSpec {
  const network = options.network ?? 'bridge';
  return {
    description: options.description ?? `${options.image} container on ${options.host}'s ${network}`,
    images: [options.image],
    dependsOn: [options.host, ...(options.after ?? [])],
    async start(name, env) {
      const host = dockerHostNamed(options.host, env);
      // NP_SERVER_ID: np-serve answers with the lab's name for it, like every lab server.
      const started = await host.runContainer({
        name,
        image: env.images[options.image],
        network,
        labels: {},
        env: { NP_SERVER_ID: runResourceName(env.run.id, name) },
        command: options.command,
        publish: options.publish,
        addHosts: options.addHosts,
        ready: options.listens ? `np-probe tcp 127.0.0.1 ${options.listens} --timeout 1` : undefined,
      });
      const inspected = await host.docker(['inspect', name, '--format', '{{json .NetworkSettings.Networks}}']);
      const networks = JSON.parse(inspected.stdout) as Record<string, { IPAddress: string }>;
      return {
        name,
        description: this.description,
        containerName: name,
        exec: started.exec,
        contextCommands: containerContextCommands,
        place: { kind: network === 'host' ? 'host-netns' : 'container', on: options.host },
        addresses: Object.fromEntries(Object.entries(networks).filter(([, n]) => n.IPAddress).map(([networkName, n]) => [networkName, n.IPAddress])),
      };
    },
  };
}

/** The started docker host of that name, or a clear error when the scenario names something else. */
export function dockerHostNamed(name: string, env: StartedEnvironment): StartedDockerHost {
  const workload = env.workloads[name];
  if (!workload || !('docker' in workload)) throw new Error(`workload "${name}" is not a docker host (dockerHost())`);
  return workload as StartedDockerHost;
}

/** Whether two CIDR blocks share addresses: one holds the other's first address. */
function overlaps(a: string, b: string): boolean {
  const holds = (cidr: string, address: string) => {
    const [base, bits] = cidr.split('/');
    const list = new BlockList();
    list.addSubnet(base!, Number(bits), 'ipv4');
    return list.check(address.split('/')[0]!, 'ipv4');
  };
  return holds(a, b) || holds(b, a);
}
