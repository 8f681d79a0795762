import { BlockList } from 'node:net';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { EnvironmentError } from '../errors.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { hostExec, hostExecOrThrow, type HostExecOptions } from '../exec/host-exec.ts';
import type { ImageName } from '../images/catalogue.ts';
import { runResourceName } from '../lab/names.ts';
import { containerContextCommands, dockerExecArgs } from './container-exec.ts';
import { container } from './lab-container.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';

/** The inner engine's API port, on the lab LAN only (the lab is its only client). */
const apiPort = 2375;

/**
 * A Docker host of its own: Debian's dockerd in a privileged container
 * (images/dind) on one of the scenario's networks, the "lab LAN" joining the
 * hosts. Its `exec` runs in the host's own network namespace; `docker` talks
 * to its engine. Everything the inner engine makes (containers, bridges,
 * swarm state, images on a tmpfs) goes with the outer container.
 */
export interface StartedDockerHost extends StartedWorkload {
  /** Its address on the lab LAN: where its engine listens and what a swarm advertises. */
  readonly lanAddress: string;
  /** `docker -H tcp://<lan address>:2375 …`, recorded as a pasteable command; a non-zero exit is data. */
  docker(args: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Makes a lab image present in the inner engine (`docker save | docker load`), once per image. */
  load(image: ImageName): Promise<string>;
  /** Runs a command of this machine's (iptables, ip) in the host's network namespace: `nsenter -t <pid> -n`, pasteable here. */
  inNamespace(argv: readonly string[]): Promise<ExecResult>;
  /** `ip link show docker0` and the interfaces on it, read when the engine first answered: before any container existed. */
  readonly bridgeAtStart: readonly ExecResult[];
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
  // No TLS on purpose: the API is on the lab LAN only, and --tls=false skips dockerd's 15 s warning pause.
  const outer = container({
    image: 'dind',
    network: options.lan,
    privileged: true,
    // As on a fresh Linux host, forwarding is off until dockerd turns it on, and with it sets FORWARD's
    // policy to DROP; a new namespace would otherwise inherit this machine's ip_forward=1 and keep ACCEPT.
    sysctls: { 'net.ipv4.ip_forward': '0' },
    command: [`--host=tcp://0.0.0.0:${apiPort}`, '--tls=false', '--dns=127.0.0.1', ...(options.bip ? [`--bip=${options.bip}`] : [])],
  });
  return {
    description: options.description ?? `a Docker engine in a privileged container on the lab LAN (${options.lan})`,
    // toolbox: run in the host's namespace for its view of the network.
    images: ['dind', 'toolbox'],
    async start(name, env) {
      const lanSubnet = env.networks[options.lan]?.subnet;
      if (options.bip && lanSubnet && overlaps(options.bip, lanSubnet)) {
        throw new EnvironmentError(`${name}'s --bip ${options.bip} overlaps the lab LAN ${lanSubnet}`, 'choose a --bip outside the networks Docker hands out on this machine');
      }
      const started = await outer.start(name, env);
      const lanAddress = started.addresses[options.lan];
      if (!lanAddress) throw new Error(`${name} has no address on ${options.lan}`);
      const endpoint = `tcp://${lanAddress}:${apiPort}`;
      const docker = (args: readonly string[], execOptions?: HostExecOptions) => hostExec(['docker', '-H', endpoint, ...args], execOptions);
      await waitForEngine(docker, started.containerName);
      const pid = (await hostExecOrThrow(['docker', 'inspect', '--format', '{{.State.Pid}}', started.containerName])).stdout.trim();
      const inNamespace = (argv: readonly string[]) => hostExec(['nsenter', '-t', pid, '-n', ...argv]);
      const bridgeAtStart = await Promise.all([inNamespace(['ip', 'link', 'show', 'docker0']), inNamespace(['ip', 'link', 'show', 'master', 'docker0'])]);
      for (const network of options.networks ?? []) {
        const created = await docker(['network', 'create', network]);
        if (created.exitCode !== 0) throw new Error(`on ${name}: ${created.command} failed: ${created.stderr.trim()}`);
      }
      const loaded = new Map<ImageName, Promise<string>>();
      const load = (image: ImageName) => {
        if (!loaded.has(image)) loaded.set(image, loadImage(env.images[image], endpoint));
        return loaded.get(image)!;
      };
      return {
        name,
        description: this.description,
        containerName: started.containerName,
        addresses: started.addresses,
        place: { kind: 'docker-host' },
        lanAddress,
        docker,
        load,
        inNamespace,
        bridgeAtStart,
        // `docker exec` into a privileged container asks for every capability, which this
        // sandbox's bounding set lacks; a throwaway toolbox in the host's namespace sees the same.
        async exec(argv) {
          const toolbox = await load('toolbox');
          return docker(['run', '--rm', '--pull', 'never', '--network', 'host', toolbox, ...argv]);
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
      const image = await host.load(options.image);
      // NP_SERVER_ID: np-serve answers with the lab's name for it, like every lab server.
      const flags = [...(options.publish ?? []).flatMap((p) => ['-p', `${p.host}:${p.container}`]), ...(options.addHosts ?? []).flatMap((entry) => ['--add-host', entry])];
      const run = ['run', '-d', '--pull', 'never', '--name', name, '-e', `NP_SERVER_ID=${runResourceName(env.run.id, name)}`, '--network', network, ...flags, image, ...(options.command ?? ['sleep', 'infinity'])];
      const ran = await host.docker(run);
      if (ran.exitCode !== 0) throw new Error(`on ${options.host}: ${ran.command} failed: ${ran.stderr.trim()}`);
      if (options.listens) await waitForListener(host, name, options.listens);
      const inspected = await host.docker(['inspect', name, '--format', '{{json .NetworkSettings.Networks}}']);
      const networks = JSON.parse(inspected.stdout) as Record<string, { IPAddress: string }>;
      return {
        name,
        description: this.description,
        containerName: name,
        exec: (argv, execOptions) => host.docker(dockerExecArgs(name, argv, execOptions?.env)),
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

async function waitForEngine(docker: (args: readonly string[]) => Promise<ExecResult>, containerName: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const version = await docker(['version', '--format', '{{.Server.Version}}']);
    if (version.exitCode === 0) return;
    if (Date.now() > deadline) {
      const logs = await hostExec(['docker', 'logs', '--tail', '15', containerName]);
      throw new EnvironmentError(
        `the Docker engine in ${containerName} did not answer within 60 s:\n${logs.stderr || logs.stdout}`,
        'a nested dockerd needs a privileged container, overlay2 on a tmpfs and iptables; see the log above',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitForListener(host: StartedDockerHost, name: string, port: number): Promise<void> {
  for (let tries = 0; ; tries++) {
    const probe = await host.docker(['exec', name, 'np-probe', 'tcp', '127.0.0.1', String(port), '--timeout', '1']);
    if (probe.exitCode === 0) return;
    if (tries === 40) throw new Error(`${name} on ${host.name} does not listen on ${port}: ${probe.stdout || probe.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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

/** Inner engines reach no registry: images go across as a tar stream. */
async function loadImage(ref: string, endpoint: string): Promise<string> {
  await hostExecOrThrow(['bash', '-c', 'set -o pipefail; docker save "$1" | docker -H "$2" load -q', 'load', ref, endpoint], { timeoutMs: 5 * 60_000 });
  return ref;
}
