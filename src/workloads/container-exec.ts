import type { StartedTestContainer } from 'testcontainers';
import { shellQuote, type ExecResult } from '../exec/exec-result.ts';

/** `docker exec` arguments (after `docker`): the environment as -e flags, then the container and its command. */
export function dockerExecArgs(container: string, argv: readonly string[], env: Readonly<Record<string, string>> = {}): string[] {
  return ['exec', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), container, ...argv];
}

/** `docker exec` through testcontainers, recorded as the pasteable docker command. */
export async function containerExec(
  container: StartedTestContainer,
  argv: readonly string[],
  options: { env?: Record<string, string> } = {},
): Promise<ExecResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  // Like hostExec, a failure is data: the engine refusing the exec (the container stopped) is exit null with its message.
  const result = await container.exec([...argv], { env: options.env }).catch((error: unknown) => ({
    exitCode: null,
    stdout: '',
    stderr: error instanceof Error ? error.message : String(error),
  }));
  return {
    command: shellQuote(['docker', ...dockerExecArgs(container.getName().replace(/^\//, ''), argv, options.env)]),
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: Math.round(performance.now() - started),
    startedAt,
  };
}

/** What a container sees of the network: its addresses, routes and resolver. */
export const containerContextCommands: readonly (readonly string[])[] = [
  ['ip', '-4', 'addr', 'show'],
  ['ip', 'route', 'show'],
  ['cat', '/etc/resolv.conf'],
  // --link and --add-host names live here, not in DNS.
  ['cat', '/etc/hosts'],
];

/**
 * A workload's context commands as one script, run by one exec: each exec into
 * a container or pod costs a runtime start (a run read its sources' context
 * with three or four each). Each command's output follows a `$ command` line;
 * the script is the record's command, so pasting it shows the same.
 */
export function contextScript(commands: readonly (readonly string[])[]): readonly string[] {
  if (commands.length === 1) return commands[0]!;
  // printf, not echo: dash's echo would read the backslashes of a command's words.
  return ['sh', '-c', commands.map((argv) => `printf '%s\\n' ${shellQuote([`$ ${shellQuote(argv)}`])}; ${shellQuote(argv)}`).join('; ')];
}

/** A context record's output, command by command (the `$ command` lines contextScript prints). */
export function contextSections(stdout: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('$ ')) sections.set((current = line.slice(2)), '');
    else if (current !== undefined) sections.set(current, `${sections.get(current)}${line}\n`);
  }
  return sections;
}
