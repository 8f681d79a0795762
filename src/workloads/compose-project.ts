import { fileURLToPath } from 'node:url';
import { EnvironmentError, ExecError } from '../errors.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { hostExec, hostExecOrThrow } from '../exec/host-exec.ts';
import type { ImageName } from '../images/catalogue.ts';
import { runLabel, runNamePrefix, runResourceName, scenarioLabel } from '../lab/names.ts';
import type { Logger } from '../log.ts';
import { inspectNetwork, succeeded, type EngineHost } from '../environment/docker/index.ts';
import { containerContextCommands, dockerExecArgs } from './container-exec.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';

const composeScript = fileURLToPath(new URL('../../scripts/compose.sh', import.meta.url));

export interface ComposeProjectOptions {
  /** The compose file (absolute path). It must label every service and network with NETPROOF_RUN / NETPROOF_SCENARIO; NETPROOF_NAME_PREFIX starts the names its servers answer with. */
  readonly file: string;
  /** Lab images handed to the file as environment variables: variable → image (`{ NP_FLASK_IMAGE: 'flask' }`). */
  readonly images: Readonly<Record<string, ImageName>>;
  /** Further variables the file interpolates (the scenario's choices). */
  readonly env?: Readonly<Record<string, string>>;
  /** The service claims are tried from: the workload's own exec and addresses are this service's. */
  readonly client: string;
  readonly description: string;
}

/** The network compose made for the project, as the engine reports it. */
export interface ComposeNetwork {
  /** The engine's name: `<project>_default`. */
  readonly dockerName: string;
  readonly id: string;
  /** The host's bridge interface for it: `br-` and the id's first 12 characters. */
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A compose project that runs: its client service as the workload, and every service by name. */
export interface StartedComposeProject extends StartedWorkload {
  /** `docker compose -p` name: the run's resource name for the workload. */
  readonly project: string;
  readonly network: ComposeNetwork;
  /** Each service's container, keyed by service name; addresses are keyed by the file's network names (`default`). */
  readonly services: Readonly<Record<string, StartedWorkload>>;
  /** Whether `<project>_default` existed before `up` (it should not: each run's project is new). */
  readonly networkExistedBefore: boolean;
  /** What was run, for evidence: `docker compose version` and `up`. */
  readonly record: readonly ExecResult[];
  /** `docker compose <args>` on this project, with its file and variables (e.g. a second `up`). */
  compose(args: readonly string[]): Promise<ExecResult>;
}

/**
 * A Docker Compose v2 project as a workload: `docker compose -p <run's name>
 * -f <file> up -d --wait`, with the lab's images and the run's labels passed
 * as variables the file interpolates, and `docker compose down` as its finalizer.
 * Compose itself comes from scripts/compose.sh (an installed plugin, or one
 * built from its Go module).
 */
export function composeProject(options: ComposeProjectOptions): WorkloadSpec {
  return {
    description: options.description,
    images: [...new Set(Object.values(options.images))],
    async start(name, env): Promise<StartedComposeProject> {
      await ensureCompose(env.logger);
      const project = runResourceName(env.run.id, name);
      const variables = {
        NETPROOF_RUN: env.run.labels[runLabel]!,
        NETPROOF_SCENARIO: env.run.labels[scenarioLabel]!,
        // How the file names its servers as the lab names its own (the run's prefix and the service).
        NETPROOF_NAME_PREFIX: runNamePrefix(env.run.id),
        ...Object.fromEntries(Object.entries(options.images).map(([variable, image]) => [variable, env.images[image]])),
        ...options.env,
      };
      const host = env.host;
      const compose = (...args: string[]) => composeCommand(variables, project, options.file, args, host.dockerArgv);
      const networkName = `${project}_default`;
      const existedBefore = (await host.docker(['network', 'inspect', networkName])).exitCode === 0;
      // Registered before `up`: a half-made project goes too (and the sweep finds anything labelled).
      env.run.defer(`docker compose down ${project}`, async () => void (await hostExecOrThrow(compose('down', '--volumes', '--remove-orphans', '--timeout', '0'), { timeoutMs: 120_000 })));
      const version = await succeeded(host.docker(['compose', 'version']));
      const up = await hostExec(compose('--progress', 'plain', 'up', '--detach', '--wait', '--wait-timeout', '120'), { timeoutMs: 180_000 });
      const services = await servicesOf(project, host);
      const client = services[options.client];
      if (!client) {
        throw new ExecError(up.command, up.exitCode, `compose project ${project} has no service "${options.client}" (services: ${Object.keys(services).join(', ')}): ${up.stderr}`);
      }
      // A service that fails at start (nginx cannot resolve its proxy_pass host) is what a claim may be
      // about: with the client up, the claims observe it, and `up`'s failure is in their evidence.
      if (up.exitCode !== 0) env.logger.info(`${project}: docker compose up reported a failure (exit ${up.exitCode}); the claims observe it`);
      return {
        ...client,
        name,
        description: options.description,
        project,
        network: await composeNetwork(networkName, host),
        services,
        networkExistedBefore: existedBefore,
        record: [version, up],
        compose: (args) => hostExec(compose(...args), { timeoutMs: 180_000 }),
      };
    },
  };
}

/** `docker compose` with the file's variables set, as a pasteable argv (`env VAR=… docker [-H …] compose -p … -f … <args>`), on the engine `dockerArgv` names. */
export function composeCommand(
  variables: Readonly<Record<string, string>>,
  project: string,
  file: string,
  args: readonly string[],
  dockerArgv: (args: readonly string[]) => string[] = (rest) => ['docker', ...rest],
): string[] {
  return ['env', ...Object.entries(variables).map(([k, v]) => `${k}=${v}`), ...dockerArgv(['compose', '--project-name', project, '--file', file, ...args])];
}

/** Whether `source` is a compose project's client (claims about a project need its services). */
export function asComposeProject(source: StartedWorkload): StartedComposeProject {
  if (!('services' in source && 'project' in source)) throw new Error(`${source.name} is not a compose project workload`);
  return source as StartedComposeProject;
}

let composeReady: Promise<void> | undefined;

/** Runs scripts/compose.sh once per process: an installed `docker compose`, or Compose v2 built from its Go module. */
function ensureCompose(logger: Logger): Promise<void> {
  composeReady ??= (async () => {
    const install = async () => {
      const result = await hostExec(['bash', composeScript], { timeoutMs: 30 * 60_000 });
      if (result.exitCode !== 0) {
        throw new EnvironmentError(`no docker compose: ${result.stderr.trim().split('\n').slice(-10).join('\n')}`, 'install the docker-compose-plugin package, or Go (to build Compose v2), then run again');
      }
    };
    const present = (await hostExec(['docker', 'compose', 'version'])).exitCode === 0;
    await (present ? install() : logger.step('building Docker Compose v2 from its Go module (first time only, a few minutes)', install));
  })().catch((error: unknown) => {
    composeReady = undefined;
    throw error;
  });
  return composeReady;
}

interface InspectedContainer {
  Name: string;
  Config: { Labels: Record<string, string> };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

/** The project's containers as workloads, keyed by service; addresses keyed by the file's network names. */
async function servicesOf(project: string, host: EngineHost): Promise<Record<string, StartedWorkload>> {
  // Exited ones too: a service that failed at start is still the project's.
  const ids = (await succeeded(host.docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]))).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) throw new Error(`compose project ${project} has no container`);
  const inspected = JSON.parse((await succeeded(host.docker(['inspect', ...ids]))).stdout) as InspectedContainer[];
  return Object.fromEntries(
    inspected.map((c) => {
      const service = c.Config.Labels['com.docker.compose.service']!;
      const containerName = c.Name.replace(/^\//, '');
      const addresses = Object.fromEntries(
        Object.entries(c.NetworkSettings.Networks)
          .filter(([, n]) => n.IPAddress)
          .map(([dockerName, n]) => [dockerName.startsWith(`${project}_`) ? dockerName.slice(project.length + 1) : dockerName, n.IPAddress]),
      );
      const workload: StartedWorkload = {
        name: service,
        description: `compose service ${service} of ${project}`,
        containerName,
        // Not testcontainers' exec: compose started these containers.
        exec: (argv, options) => host.docker(dockerExecArgs(containerName, argv, options?.env)),
        contextCommands: containerContextCommands,
        addresses,
      };
      return [service, workload];
    }),
  );
}

async function composeNetwork(dockerName: string, host: EngineHost): Promise<ComposeNetwork> {
  return { dockerName, ...(await inspectNetwork(dockerName, host)) };
}
