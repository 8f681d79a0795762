import type { Logger } from '../log.ts';

/**
 * Deletions a run's teardown has started and the API server carries out on
 * its own (a Kubernetes namespace: its controller waits 5 s before it even
 * starts): a batch of scenarios (`--all`) takes them over, so the next
 * scenario starts meanwhile, and waits for all of them once, at its end.
 */
export class Lingering {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly failures: string[] = [];

  /** `done` settles once what `what` names is gone and checked; a failure is logged at the end, never thrown. */
  add(what: string, done: Promise<void>): void {
    this.pending.set(
      what,
      done.then(
        () => undefined,
        (error: unknown) => {
          this.failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        },
      ),
    );
  }

  get size(): number {
    return this.pending.size;
  }

  /** Waits for everything handed over so far; says what failed. */
  async settle(logger: Logger): Promise<void> {
    if (this.pending.size === 0) return;
    const waits = [...this.pending.values()];
    const what = [...this.pending.keys()].join(', ');
    this.pending.clear();
    await logger.step(`waiting for what earlier runs are still deleting (${what})`, () => Promise.all(waits));
    for (const failure of this.failures.splice(0)) logger.info(`teardown: ${failure}`);
  }
}
