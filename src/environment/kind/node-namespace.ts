import type { ExecResult } from '../../exec/exec-result.ts';
import { hostExec, hostExecOrThrow, type HostExecOptions } from '../../exec/host-exec.ts';

/**
 * A command in a kind node's network namespace with this machine's tools
 * (nsenter into the node container's process): a trace monitor stopped by a
 * signal stops there, where `docker exec` would leave it running in the node.
 */
export async function nodeNamespace(nodeContainer: string): Promise<(argv: readonly string[], options?: HostExecOptions) => Promise<ExecResult>> {
  const pid = (await hostExecOrThrow(['docker', 'inspect', '--format', '{{.State.Pid}}', nodeContainer])).stdout.trim();
  return (argv, options) => hostExec(['nsenter', '-t', pid, '-n', ...argv], options);
}
