import { during } from '../errors.ts';
import type { LabRun } from '../lab/lab-run.ts';
import { installTrafficGuard, type TrafficGuard } from '../lab/traffic-guard.ts';
import type { Logger } from '../log.ts';
import { UsageError } from '../errors.ts';
import { debianDockerd2010, readDockerFacts, type DockerFacts, type EngineHost, engines, type EngineProvider, type LabHostEngine } from './docker/index.ts';
import { defaultCniFor, packetsStoppedFromKind, startKindLab, type Cni, type ImagePlacement, type KindLab } from './kind/index.ts';

/** What an environment hands the run once it stands: its facts, its guard, the cluster where there is one. */
export interface LabEnvironment {
  readonly facts: DockerFacts;
  /** The Docker host the scenario runs on: the machine's engine, or a lab host's. */
  readonly host: EngineHost;
  /** Counts what tried to leave the machine from anything of this environment. */
  readonly guard: TrafficGuard;
  readonly kind?: KindLab;
  /** The engine of the Docker hosts the scenario makes (dockerHost workloads), its image built: where the chosen engine runs in such a scenario. */
  readonly dockerHosts?: LabHostEngine;
  /** For the results: versions, modes, addresses, CIDRs. */
  readonly fingerprint: Readonly<Record<string, string>>;
}

export interface EnvironmentStart {
  readonly run: LabRun;
  readonly logger: Logger;
  /** Built image references the scenario's workloads use. */
  readonly images: readonly string[];
  /** Per image reference, the nodes of a kind cluster it must be on (placeImages); absent: every node. */
  readonly imagePlacement?: ReadonlyMap<string, ImagePlacement>;
  /** Keep a kind cluster this run creates (for the next run to reuse). */
  readonly keepCluster?: boolean;
  /** Never reuse the lab cluster of the CNI: start one of the run's own (`--own-cluster`). */
  readonly ownCluster?: boolean;
  /** The Docker engine a Docker scenario runs on, chosen in the CLI; the machine's when absent. */
  readonly engine?: EngineProvider;
  /** What the user chose to run on (resolved once, by the CLI); unset: the defaults. */
  readonly choice?: EnvironmentChoice;
}

/**
 * The environment the user chose, resolved once (src/cli/environment-choice.ts)
 * and handed down to the environment's start: a scenario file never decides it.
 */
export interface EnvironmentChoice {
  /** The CNI of the cluster Kubernetes scenarios run on. */
  readonly cni: Cni;
}

/** What a Kubernetes scenario asks of its cluster. */
export interface KindRequirements {
  /** Worker nodes besides the one control plane; default 2. */
  readonly workers?: number;
  /** The CNIs it cannot run on, each with the reason (the scenario file states only where it cannot run, never which CNI to use). */
  readonly unsupportedCnis?: Partial<Record<Cni, string>>;
}

/** Where a scenario runs. Starting it registers its own teardown with the run. */
export interface EnvironmentSpec {
  readonly kind: 'docker' | 'kind';
  readonly description: string;
  /** For docker: whether the chosen engine is the scenario's host or that of the Docker hosts it makes. */
  readonly engineRuns?: DockerOptions['engineRuns'];
  /** For kind: what the scenario asks of the cluster (runs of the same CNI and size share the lab's cluster). */
  readonly cluster?: KindRequirements & { readonly workers: number };
  start(context: EnvironmentStart): Promise<LabEnvironment>;
}

/** Where the engine the user chose runs in a Docker scenario. */
export interface DockerOptions {
  /**
   * `host` (the default): the scenario runs on that engine. `docker-hosts`: the
   * scenario makes Docker hosts of its own (dockerHost workloads, lab hosts on
   * the machine's engine), and they run the chosen engine; with the machine's
   * chosen, Debian's 20.10.
   */
  readonly engineRuns?: 'host' | 'docker-hosts';
}

/** The lab's Docker engine (its default bridge, user-defined networks), guarded against forwarding off the machine. */
export function docker(options: DockerOptions = {}): EnvironmentSpec {
  const forDockerHosts = options.engineRuns === 'docker-hosts';
  return {
    kind: 'docker',
    description: forDockerHosts ? 'Docker hosts of its own on the Docker engine' : 'one Docker engine',
    engineRuns: options.engineRuns ?? 'host',
    async start({ run, logger, images, engine: chosen = engines.machine! }) {
      const engine = forDockerHosts ? engines.machine! : chosen;
      const machineGuard = await during('installing the traffic guard', () => installTrafficGuard(run));
      const host = await during(`starting the Docker engine ${engine.name}`, () => engine.start({ run, logger, guard: machineGuard, images }));
      const facts = await during('reading the engine and host', () => readDockerFacts(host));
      // A lab host's bridges are inside it: the machine's guard holds its LAN wholesale, and that covers them all.
      const guard = host.engine === 'machine' ? machineGuard : { ...machineGuard, coverBridge: async () => undefined, holdSharedBridge: async () => undefined };
      const fingerprint = dockerFingerprint(facts, host);
      if (!forDockerHosts) return { facts, host, guard, fingerprint };
      const recipe = chosen.labHost ?? debianDockerd2010;
      // Built once here, before the hosts start side by side.
      const image = await during(`preparing the Docker hosts' engine ${recipe.name}`, () => recipe.image(logger));
      return { facts, host, guard, dockerHosts: { ...recipe, image: async () => image }, fingerprint: { ...fingerprint, dockerHostsEngine: recipe.version, dockerHostsEngineProvider: recipe.name } };
    },
  };
}

/**
 * A kind cluster of the chosen CNI (kindnetd-lab unless the user chose another) on
 * the Docker engine: reused when the lab's cluster of that CNI and size runs,
 * else started. Its guard counts both the engine's bridges (outside clients)
 * and the kind network's DROP rule.
 */
export function kind(requirements: KindRequirements = {}): EnvironmentSpec {
  const workers = requirements.workers ?? 2;
  return {
    kind: 'kind',
    cluster: { ...requirements, workers },
    description: `kind cluster (1 control plane + ${workers} workers)`,
    async start({ run, logger, images, imagePlacement, keepCluster, ownCluster, choice }) {
      const cni = choice?.cni ?? defaultCniFor();
      const unsupported = requirements.unsupportedCnis?.[cni];
      if (unsupported !== undefined) throw new UsageError(`scenario ${run.scenario} cannot run on ${cni}: ${unsupported}`);
      const engine = await docker().start({ run, logger, images });
      // The kind guard counts for the network's lifetime: this run's share is what it adds (a cluster it creates starts at 0).
      const before = await packetsStoppedFromKind();
      const lab = await startKindLab({ cni, workers }, run, logger, images, { keepCluster, ownCluster, imagePlacement });
      const stoppedBefore = lab.created ? 0 : before;
      const f = lab.facts;
      return {
        facts: engine.facts,
        host: engine.host,
        kind: lab,
        guard: { ...engine.guard, packetsStopped: async () => (await engine.guard.packetsStopped()) + (await lab.cluster.packetsStopped()) - stoppedBefore },
        fingerprint: {
          ...dockerFingerprint(engine.facts, engine.host),
          cluster: `${lab.cluster.name} (${lab.created ? 'started by this run' : 'reused'})`,
          kind: f.kind,
          kubernetes: f.kubernetes,
          cni: f.cni,
          cniSource: lab.cluster.cni ? [lab.cluster.cni.build, `${lab.cluster.cni.supply} supply`, lab.cluster.cni.kernel].filter(Boolean).join('; ') : 'a reused cluster (see its start)',
          kubeProxyMode: f.kubeProxyMode,
          podCidr: f.podCidr,
          serviceCidr: f.serviceCidr,
          nodes: f.nodes.map((n) => `${n.name} ${n.address} podCIDR ${n.podCidr}`).join('; '),
          namespace: lab.namespace,
        },
      };
    },
  };
}

const dockerFingerprint = (facts: DockerFacts, host: EngineHost) => ({
  engine: `Docker ${facts.serverVersion}`,
  engineProvider: host.engine,
  engineWhere: host.where,
  engineComponents: facts.components,
  firewallBackend: facts.firewallBackend,
  gatewayMode: facts.gatewayMode,
  userlandProxy: facts.userlandProxy,
  bridgeGateway: facts.bridgeGateway,
  bridgeSubnet: facts.bridgeSubnet,
  hostInterface: facts.hostInterface,
  hostAddress: facts.hostAddress,
});
