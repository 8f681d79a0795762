/** What one command did: enough to paste it into a shell and to judge it. */
export interface ExecResult {
  /** Shell-pasteable form of the command. */
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly startedAt: string;
}

/** Quotes argv for a POSIX shell, leaving plain words bare. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}
