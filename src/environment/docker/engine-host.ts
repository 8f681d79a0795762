import { ExecError } from '../../errors.ts';
import type { ExecResult } from '../../exec/exec-result.ts';
import type { HostExecOptions } from '../../exec/host-exec.ts';

/**
 * The Docker host a scenario runs on: an engine and the network namespace it
 * owns. "The host's namespace", "the host's address", host-network workloads,
 * the host's iptables and the engine's facts all mean this host's. Two
 * providers (src/environment/docker/engines.ts): the machine's own engine, and
 * a lab host (a privileged container running a given dockerd on a lab LAN).
 */
export interface EngineHost {
  /** The engine's name as `--engine` takes it (`machine`, `20.10`). */
  readonly engine: string;
  /** For the fingerprint: which provider, and where it runs. */
  readonly where: string;
  /** The docker CLI's argv for this engine (`docker …`, or `docker -H tcp://… …`): pasteable. */
  dockerArgv(args: readonly string[]): string[];
  /** The docker CLI on this engine; a non-zero exit is data. */
  docker(args: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** A command of this machine's tools (ip, iptables, ss, np-probe) in the host's network namespace; a non-zero exit is data. */
  exec(argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** A command of the host's own system, with its files and tools (`ip netns list` reads its /var/run/netns); a non-zero exit is data. */
  system(argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Moves a link of this machine's namespace into the host's (a veth end to the lab LAN); the machine's own engine keeps it. */
  adoptLink(device: string): Promise<void>;
  /** Runs a container on this engine; the run removes it with its other resources. */
  runContainer(spec: ContainerRun): Promise<RunningContainer>;
}

/** `docker run` as a plain description, for either provider. */
export interface ContainerRun {
  /** The container's name on the engine (a run resource name, names.ts). */
  readonly name: string;
  /** A built image reference of this machine's; a lab host loads it first. */
  readonly image: string;
  /** `bridge`, `host`, `none`, or an engine network's name. */
  readonly network: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  readonly dns?: readonly string[];
  readonly aliases?: readonly string[];
  /** `--link <container name>:<alias>`. */
  readonly links?: Readonly<Record<string, string>>;
  readonly publish?: readonly { readonly host: number; readonly container: number; readonly hostIp?: string }[];
  /** `--add-host name:address` (e.g. `host.docker.internal:host-gateway`). */
  readonly addHosts?: readonly string[];
  readonly capAdd?: readonly string[];
  readonly privileged?: boolean;
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Directories of this machine mounted read-only (`-v SOURCE:TARGET:ro`); on the machine's engine only. */
  readonly readOnlyMounts?: readonly { readonly source: string; readonly target: string }[];
  /** A shell command that succeeds inside once the container is ready (`np-probe tcp 127.0.0.1 80`). */
  readonly ready?: string;
}

export interface RunningContainer {
  readonly id: string;
  readonly containerName: string;
  /** `docker exec`, recorded as the pasteable command; a failure is data. */
  exec(argv: readonly string[], options?: { env?: Record<string, string> }): Promise<ExecResult>;
  /** `docker rm -f -v`. */
  remove(): Promise<void>;
}

/** A command the harness depends on: its result, or an ExecError when it failed (as hostExecOrThrow). */
export async function succeeded(result: Promise<ExecResult>): Promise<ExecResult> {
  const done = await result;
  if (done.exitCode !== 0) throw new ExecError(done.command, done.exitCode, done.stderr || done.stdout);
  return done;
}
