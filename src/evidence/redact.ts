import type { ExecResult } from '../exec/exec-result.ts';

/** Replaces each secret in a command's text and output, so results files can be shared. */
export function redact(result: ExecResult, secrets: readonly string[]): ExecResult {
  const scrub = (text: string) => secrets.filter(Boolean).reduce((out, secret) => out.replaceAll(secret, '«redacted»'), text);
  return { ...result, command: scrub(result.command), stdout: scrub(result.stdout), stderr: scrub(result.stderr) };
}
