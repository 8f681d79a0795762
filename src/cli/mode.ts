/** `run`: do the command; `validate`: only parse and check its arguments (main.ts --validate-only). */
export type Mode = 'run' | 'validate';

/**
 * The answer of a validate pass, for scripts/netproof.sh: `lab` when the
 * command needs root and a Docker engine, `no-lab` when it only reads files
 * or prints. Valid arguments exit 0; a mistake exits 2 before this.
 */
export function labNeeded(lab: boolean): number {
  process.stdout.write(lab ? 'lab\n' : 'no-lab\n');
  return 0;
}
