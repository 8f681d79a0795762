import { EnvironmentError } from '../../errors.ts';
import type { ExecResult } from '../../exec/exec-result.ts';
import { hostExec, hostExecOrThrow, type HostExecOptions } from '../../exec/host-exec.ts';
import { dockerExecArgs } from '../../workloads/container-exec.ts';
import type { ContainerRun, EngineHost, RunningContainer } from './engine-host.ts';
import { findSeed, keepSeed, seedDir, seedMountPoint } from './engine-seed.ts';
import { machineEngine } from './machine-engine.ts';

/** The inner engine's API port, on the lab LAN only (the lab is its only client). */
const apiPort = 2375;

export interface LabHostOptions {
  /** Its name on the machine's engine (a run resource name, names.ts): the run's label sweeps it. */
  readonly name: string;
  /** The engine's name as `--engine` takes it. */
  readonly engine: string;
  /** The machine's image that runs the dockerd (images/dind). */
  readonly image: string;
  /** The machine's network it sits on: its lab LAN. */
  readonly network: string;
  readonly labels: Readonly<Record<string, string>>;
  /** dockerd `--bip`: the default bridge's address and prefix. */
  readonly bip?: string;
  /** More dockerd flags (`--firewall-backend=nftables`). */
  readonly daemonArgs?: readonly string[];
  /** The host's sysctls before dockerd starts, over a fresh host's (`net.ipv4.ip_forward=0`). */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** The lab images it needs: from its engine image's seed for them where one was kept (engine-seed.ts), else loaded, and the seed kept. */
  readonly images?: readonly string[];
  /** Where a kept seed's trouble is said (it costs speed, not results). */
  readonly warn?: (message: string) => void;
}

/** A Docker host of its own: the provider, plus what the machine knows it by. */
export interface LabHost extends EngineHost {
  readonly containerName: string;
  /** Its address on the LAN it sits on: where its engine listens. */
  readonly lanAddress: string;
  /** A process in its namespaces, for nsenter. */
  readonly pid: string;
  /** Makes a machine image present in its engine (`docker save | docker load`), once per image. */
  load(image: string): Promise<string>;
  /** The same for several images in one stream: the layers they share cross once. */
  loadAll(images: readonly string[]): Promise<void>;
  /** Removes it and, with it, everything its engine made (the engine's data is on a tmpfs). */
  remove(): Promise<void>;
}

/**
 * A dockerd in a privileged container on a lab LAN (images/dind): as on a
 * fresh Linux host, forwarding is off until dockerd turns it on and sets
 * FORWARD's policy to DROP. Its API has no TLS on purpose: it listens on the
 * lab LAN only, and --tls=false skips dockerd's 15 s warning pause.
 */
export async function startLabHost(options: LabHostOptions): Promise<LabHost> {
  const images = options.images ?? [];
  const seed = images.length > 0 ? await findSeed(options.image, images) : undefined;
  const outer = await machineEngine.runContainer({
    name: options.name,
    image: options.image,
    network: options.network,
    labels: options.labels,
    privileged: true,
    dns: ['127.0.0.1'],
    sysctls: { 'net.ipv4.ip_forward': '0', ...options.sysctls },
    ...(seed ? { readOnlyMounts: [{ source: seed, target: seedMountPoint }] } : {}),
    command: [`--host=tcp://0.0.0.0:${apiPort}`, '--tls=false', '--dns=127.0.0.1', ...(options.bip ? [`--bip=${options.bip}`] : []), ...(options.daemonArgs ?? [])],
  });
  const inspected = await hostExecOrThrow(['docker', 'inspect', '--format', `{{.State.Pid}} {{(index .NetworkSettings.Networks "${options.network}").IPAddress}}`, outer.id]);
  const [pid, lanAddress] = inspected.stdout.trim().split(' ') as [string, string];
  const endpoint = `tcp://${lanAddress}:${apiPort}`;
  const dockerArgv = (args: readonly string[]) => ['docker', '-H', endpoint, ...args];
  const docker = (args: readonly string[], execOptions?: HostExecOptions) => hostExec(dockerArgv(args), execOptions);
  await waitForEngine(docker, outer.containerName);
  const loaded = new Map<string, Promise<string>>();
  // What the seed brought is there already.
  for (const image of await imagesIn(docker)) loaded.set(image, Promise.resolve(image));
  const loadAll = async (images: readonly string[]) => {
    const missing = [...new Set(images)].filter((image) => !loaded.has(image));
    const stream = missing.length > 0 ? loadImages(missing, endpoint) : undefined;
    for (const image of missing) loaded.set(image, stream!.then(() => image));
    await Promise.all(images.map((image) => loaded.get(image)));
  };
  const load = async (image: string) => {
    await loadAll([image]);
    return image;
  };
  if (images.length > 0) {
    await loadAll(images);
    if (!seed) {
      const trouble = await keepSeed(outer.containerName, seedDir(options.image, images));
      if (trouble) options.warn?.(trouble);
    }
  }
  return {
    engine: options.engine,
    where: `lab host ${outer.containerName} (dockerd in a privileged container at ${lanAddress} on ${options.network})`,
    containerName: outer.containerName,
    lanAddress,
    pid,
    dockerArgv,
    docker,
    // The machine's tools in the host's network namespace: pasteable here, and the same iptables as the engine's.
    exec: (argv, execOptions) => hostExec(['nsenter', '-t', pid, '-n', ...argv], execOptions),
    system: (argv, execOptions) => hostExec(['nsenter', '-t', pid, '-m', '-n', ...argv], execOptions),
    adoptLink: async (device) => void (await hostExecOrThrow(['ip', 'link', 'set', device, 'netns', pid])),
    load,
    loadAll,
    runContainer: async (spec) => runOn(docker, await load(spec.image), spec),
    remove: outer.remove,
  };
}

/** `docker run -d` on a lab host's engine, then waits for `ready`. */
async function runOn(docker: LabHost['docker'], image: string, spec: ContainerRun): Promise<RunningContainer> {
  const flags = [
    ...Object.entries(spec.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(spec.dns ?? []).flatMap((server) => ['--dns', server]),
    ...(spec.aliases ?? []).flatMap((alias) => ['--network-alias', alias]),
    ...Object.entries(spec.links ?? {}).flatMap(([name, alias]) => ['--link', `${name}:${alias}`]),
    ...(spec.publish ?? []).flatMap((p) => ['-p', `${p.hostIp ? `${p.hostIp}:` : ''}${p.host}:${p.container}`]),
    ...(spec.addHosts ?? []).flatMap((entry) => ['--add-host', entry]),
    ...(spec.capAdd ?? []).flatMap((cap) => ['--cap-add', cap]),
    ...(spec.privileged ? ['--privileged'] : []),
    ...Object.entries(spec.sysctls ?? {}).flatMap(([k, v]) => ['--sysctl', `${k}=${v}`]),
  ];
  const ran = await docker(['run', '-d', '--pull', 'never', '--name', spec.name, '--network', spec.network, ...flags, image, ...(spec.command ?? ['sleep', 'infinity'])]);
  if (ran.exitCode !== 0) throw new Error(`${ran.command} failed: ${ran.stderr.trim()}`);
  const exec = (argv: readonly string[], options?: { env?: Record<string, string> }) => docker(dockerExecArgs(spec.name, argv, options?.env));
  if (spec.ready) await waitUntil(() => exec(['sh', '-c', spec.ready!]), `${spec.name} is not ready (${spec.ready})`);
  return { id: ran.stdout.trim(), containerName: spec.name, exec, remove: async () => void (await docker(['rm', '-f', '-v', spec.name])) };
}

/** Retries `attempt` every 250 ms for up to 60 s, like testcontainers' wait for a successful command. */
async function waitUntil(attempt: () => Promise<ExecResult>, failure: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = await attempt();
    if (result.exitCode === 0) return;
    if (Date.now() > deadline) throw new Error(`${failure}: ${result.stdout || result.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitForEngine(docker: LabHost['docker'], containerName: string): Promise<void> {
  await waitUntil(() => docker(['version', '--format', '{{.Server.Version}}']), 'no answer').catch(async () => {
    const logs = await hostExec(['docker', 'logs', '--tail', '15', containerName]);
    throw new EnvironmentError(
      `the Docker engine in ${containerName} did not answer within 60 s:\n${logs.stderr || logs.stdout}`,
      'a nested dockerd needs a privileged container, overlay2 on a tmpfs and iptables; see the log above',
    );
  });
}

/** The images an engine has, as `repository:tag`. */
async function imagesIn(docker: LabHost['docker']): Promise<string[]> {
  const listed = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  return listed.exitCode === 0 ? listed.stdout.split('\n').filter((line) => line && !line.includes('<none>')) : [];
}

/** Inner engines reach no registry: images go across as one tar stream. */
async function loadImages(refs: readonly string[], endpoint: string): Promise<void> {
  await hostExecOrThrow(['bash', '-c', 'set -o pipefail; endpoint=$1; shift; docker save "$@" | docker -H "$endpoint" load -q', 'load', endpoint, ...refs], { timeoutMs: 5 * 60_000 });
}
