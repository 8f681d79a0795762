import { execa } from 'execa';
import { ExecError } from '../errors.ts';
import { shellQuote, type ExecResult } from './exec-result.ts';

export interface HostExecOptions {
  readonly timeoutMs?: number;
  readonly input?: string;
  /** Aborting it kills the command (SIGKILL), e.g. a `kind create` a signal's teardown abandons. */
  readonly signal?: AbortSignal;
}

/** Runs a command on the host; a non-zero exit is returned as data, never thrown. */
export async function hostExec(argv: readonly string[], options: HostExecOptions = {}): Promise<ExecResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const [file, ...args] = argv;
  const result = await execa(file!, args, {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    ...(options.signal ? { cancelSignal: options.signal, killSignal: 'SIGKILL' as const } : {}),
  });
  return {
    command: shellQuote(argv),
    exitCode: result.exitCode ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? '') || (result.failed && result.exitCode === undefined ? (result.message ?? '') : ''),
    durationMs: Math.round(performance.now() - started),
    startedAt,
  };
}

/** Runs a command the harness depends on; throws ExecError when it fails. */
export async function hostExecOrThrow(argv: readonly string[], options: HostExecOptions = {}): Promise<ExecResult> {
  const result = await hostExec(argv, options);
  if (result.exitCode !== 0) throw new ExecError(result.command, result.exitCode, result.stderr || result.stdout);
  return result;
}
