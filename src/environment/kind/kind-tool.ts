import { chmod, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hostExec, hostExecOrThrow, type HostExecOptions } from '../../exec/host-exec.ts';
import type { ExecResult } from '../../exec/exec-result.ts';
import { cacheRoot, kindRoot } from './kind-paths.ts';
import { kindNetwork } from './kind-network.ts';

/**
 * Runs the lab's own kind binary with `docker pull` disabled: a PATH directory
 * whose `docker` passes every command to the real CLI except pull.
 */
export class KindTool {
  readonly binary: string;
  private readonly env: Readonly<Record<string, string>>;

  private constructor(binary: string, env: Readonly<Record<string, string>>) {
    this.binary = binary;
    this.env = env;
  }

  static async create(kindDir: string): Promise<KindTool> {
    const realDocker = (await hostExecOrThrow(['bash', '-c', 'command -v docker'])).stdout.trim();
    const shimDir = join(cacheRoot(), 'kind', 'no-pull');
    await mkdir(shimDir, { recursive: true });
    await copyFile(join(kindRoot, 'build', 'docker-no-pull.sh'), join(shimDir, 'docker'));
    await chmod(join(shimDir, 'docker'), 0o755);
    return new KindTool(join(kindDir, 'kind'), {
      NETPROOF_REAL_DOCKER: realDocker,
      // The lab's own network for nodes (kind-network.ts), guarded from the start.
      KIND_EXPERIMENTAL_DOCKER_NETWORK: kindNetwork,
      PATH: `${shimDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    });
  }

  /**
   * kind dies with netproof: a `cluster up` killed with SIGKILL would
   * otherwise leave kind running on, making nodes after `clean` removed the
   * first ones (setpriv from util-linux sets the parent-death signal).
   */
  run(args: readonly string[], options: HostExecOptions & { env?: Readonly<Record<string, string>> } = {}): Promise<ExecResult> {
    const env = { ...this.env, ...options.env };
    return hostExec(['setpriv', '--pdeathsig', 'KILL', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), this.binary, ...args], options);
  }
}
