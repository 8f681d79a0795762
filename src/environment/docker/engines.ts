import { EnvironmentError, UsageError } from '../../errors.ts';
import { hostExec } from '../../exec/host-exec.ts';
import { ensureImages } from '../../images/build-images.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import { runResourceName } from '../../lab/names.ts';
import type { TrafficGuard } from '../../lab/traffic-guard.ts';
import type { Logger } from '../../log.ts';
import type { EngineHost } from './engine-host.ts';
import { ensureEngineImage, goVersion } from './engine-recipe.ts';
import { findSeed } from './engine-seed.ts';
import { startLabHost } from './lab-host-engine.ts';
import { userNetwork } from './lab-network.ts';
import { machineEngine } from './machine-engine.ts';

/** What a provider gets to start its engine host for a run. */
export interface EngineStart {
  readonly run: LabRun;
  readonly logger: Logger;
  /** The machine's guard: a lab host's LAN is covered by it. */
  readonly guard: TrafficGuard;
  /** Built image references the scenario's workloads use (a lab host loads them). */
  readonly images: readonly string[];
}

/** A Docker engine a scenario can run on (`--engine NAME`). Adding one: docs/adding-an-engine.md. */
export interface EngineProvider {
  readonly name: string;
  readonly description: string;
  /** Why it cannot run on this machine (a missing tool), checked before anything starts; undefined when it can. */
  cannotRun(): Promise<string | undefined>;
  /** Starts its host for the run, registering the host's teardown with the run. */
  start(context: EngineStart): Promise<EngineHost>;
  /** How to make a lab host of this engine, for scenarios that make Docker hosts of their own (none for the machine's). */
  readonly labHost?: LabHostEngine;
}

const machine: EngineProvider = {
  name: 'machine',
  description: "this machine's own Docker engine (the default)",
  cannotRun: async () => undefined,
  start: async () => machineEngine,
};

/** A dockerd in a lab host: where its image comes from, and how its daemon is started. */
export interface LabHostEngine {
  readonly name: string;
  readonly description: string;
  /** The version the progress line names (`dockerd 29.8.0`). */
  readonly version: string;
  /** The lab-host image, built the first time. */
  image(logger: Logger): Promise<string>;
  /** Why its image cannot be built here, beyond nsenter. */
  cannotBuild?(): Promise<string | undefined>;
  readonly daemonArgs?: readonly string[];
  /** What the host must have set before the engine starts, where the engine asks for it (lab-host-engine.ts). */
  readonly sysctls?: Readonly<Record<string, string>>;
}

/**
 * An engine as a lab host: a privileged container on a LAN of the run's own,
 * which the machine's guard covers wholesale, so nothing the host or its
 * containers send can leave.
 */
function labHostProvider(engine: LabHostEngine): EngineProvider {
  return {
    name: engine.name,
    description: engine.description,
    labHost: engine,
    async cannotRun() {
      // nsenter runs the machine's tools in the lab host's namespace.
      const nsenter = await hostExec(['nsenter', '--version']);
      if (nsenter.exitCode !== 0) return 'nsenter (util-linux) is missing: the lab reads the lab host through it';
      return engine.cannotBuild?.();
    },
    async start({ run, logger, guard, images }) {
      const image = await engine.image(logger);
      const lan = await userNetwork().start('engine', run, machineEngine);
      await guard.coverBridge(lan.bridge);
      const seeded = await findSeed(image, images);
      const host = await logger.step(`starting the lab host's ${engine.version} with ${images.length} lab image(s) (${seeded ? 'copied from the image store kept for them' : 'loaded; the image store kept for next time'})`, () =>
        startLabHost({ name: runResourceName(run.id, 'engine'), engine: engine.name, image, network: lan.dockerName, labels: run.labels, daemonArgs: engine.daemonArgs, sysctls: engine.sysctls, images, warn: (message) => logger.info(message) }),
      );
      run.defer('remove the lab host', host.remove);
      return host;
    },
  };
}

/** Debian bookworm's dockerd 20.10 (images/dind): also the Docker hosts' engine when the machine's is chosen. */
export const debianDockerd2010: LabHostEngine = {
  name: '20.10',
  description: "Debian's dockerd 20.10 in a lab host: a privileged container on a lab LAN",
  version: 'dockerd 20.10',
  image: async (logger) => (await ensureImages(['dind'], logger)).dind,
};
const debian2010 = labHostProvider(debianDockerd2010);

/** An engine built from engines/<name>/versions.env (engines/README.md), optionally with more daemon flags. */
function builtEngine(name: string, build: string, version: string, extra: Pick<LabHostEngine, 'daemonArgs' | 'sysctls'> & { description?: string } = {}): EngineProvider {
  return labHostProvider({
    name,
    description: `Docker ${version}${extra.description ?? ''} built from its Go module (engines/${build}), in a lab host`,
    version: `dockerd ${version}${extra.description ?? ''}`,
    image: (logger) => ensureEngineImage(build, logger),
    cannotBuild: async () => ((await goVersion()) === undefined ? `Go is needed to build Docker ${version} from its module (engines/${build}): install Go >= 1.24` : undefined),
    daemonArgs: extra.daemonArgs,
    sysctls: extra.sysctls,
  });
}

/** Every engine `--engine` takes, by name. */
export const engines: Readonly<Record<string, EngineProvider>> = Object.fromEntries(
  [
    machine,
    debian2010,
    builtEngine('28.5', '28.5', '28.5.2'),
    builtEngine('29.8', '29.8', '29.8.0'),
    // With nftables, dockerd does not turn forwarding on itself: it refuses to start ("IPv4 forwarding is disabled:
    // check your host's firewalling and set sysctl net.ipv4.ip_forward=1"). The host is set as that message asks.
    builtEngine('29.8-nft', '29.8', '29.8.0', { description: ' with the nftables firewall backend', daemonArgs: ['--firewall-backend=nftables'], sysctls: { 'net.ipv4.ip_forward': '1' } }),
  ].map((e) => [e.name, e]),
);

/**
 * The engine a run uses, resolved once (the CLI's `--engine`, else
 * NETPROOF_ENGINE, else the machine's): an unknown name is a usage error
 * listing the engines, one that cannot run here an environment error.
 */
export async function chooseEngine(flag: string | undefined): Promise<EngineProvider> {
  const name = flag ?? process.env.NETPROOF_ENGINE ?? 'machine';
  const engine = engines[name];
  if (!engine) throw new UsageError(`unknown engine "${name}": use one of ${Object.values(engines).map((e) => `${e.name} (${e.description})`).join(', ')}`);
  const reason = await engine.cannotRun();
  if (reason) throw new EnvironmentError(`engine ${name} cannot run on this machine: ${reason}`, `install what it needs, or run with --engine machine`);
  return engine;
}
