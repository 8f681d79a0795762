import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a finalizer was deferred from: a group of independent things being made side by side, and which of them. */
interface Maker {
  readonly group: string;
  readonly owner: string;
}

interface Finalizer {
  readonly what: string;
  readonly undo: () => Promise<void>;
  readonly maker?: Maker;
}

/**
 * What a run made, undone in reverse. Things made side by side that do not
 * depend on each other (a scenario's workloads of one dependency depth) are
 * undone side by side too: adjacent finalizers of one group run together,
 * each owner's own in reverse, so removing three containers costs one
 * removal's time, not three.
 */
export class Finalizers {
  private readonly stack: Finalizer[] = [];
  private readonly making = new AsyncLocalStorage<Maker>();

  /** Registers how to undo something just made (tagged with the group it was made in, if any). */
  defer(what: string, undo: () => Promise<void>): void {
    this.stack.push({ what, undo, maker: this.making.getStore() });
  }

  /** Runs `make`; what it defers is undone beside what the group's other owners defer. */
  makeInGroup<T>(group: string, owner: string, make: () => Promise<T>): Promise<T> {
    return this.making.run({ group, owner }, make);
  }

  /** Undoes everything, newest first; a failure is collected ("what: why"), never stops the rest. */
  async undoAll(): Promise<string[]> {
    const failures: string[] = [];
    const undoInOrder = async (finalizers: Finalizer[]) => {
      for (const { what, undo } of finalizers) {
        await undo().catch((error: unknown) => failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
      }
    };
    const newestFirst = this.stack.splice(0).reverse();
    for (const batch of adjacentByGroup(newestFirst)) {
      await Promise.all([...byOwner(batch).values()].map(undoInOrder));
    }
    return failures;
  }
}

/** Runs of adjacent finalizers made in one group; an untagged finalizer is a run of its own. */
function adjacentByGroup(finalizers: Finalizer[]): Finalizer[][] {
  const batches: Finalizer[][] = [];
  for (const finalizer of finalizers) {
    const last = batches.at(-1);
    const group = finalizer.maker?.group;
    if (last && group !== undefined && last[0]!.maker?.group === group) last.push(finalizer);
    else batches.push([finalizer]);
  }
  return batches;
}

function byOwner(batch: Finalizer[]): Map<string, Finalizer[]> {
  const owners = new Map<string, Finalizer[]>();
  for (const finalizer of batch) {
    const owner = finalizer.maker?.owner ?? '';
    if (!owners.has(owner)) owners.set(owner, []);
    owners.get(owner)!.push(finalizer);
  }
  return owners;
}
