import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.ts';
import { Finalizers } from './finalizers.ts';
import type { Lingering } from './lingering.ts';
import { forgetRun, registerRun } from './run-registry.ts';
import { runLabel, scenarioLabel } from './names.ts';
import { sweepRun } from './sweep.ts';

export interface LabRunOptions {
  readonly scenario: string;
  readonly logger: Logger;
  /** Fixed id (tests use it to look for leftovers); random otherwise. */
  readonly id?: string;
  /** Leave everything running at the end (kind's Retain). */
  readonly keep?: boolean;
  /** A batch's: deletions the teardown starts are waited for there, at the batch's end (linger). */
  readonly lingering?: Lingering;
}

/**
 * One run of the lab: its id, the labels every resource carries, and the
 * finalizers that undo what it made, run in reverse (independent things
 * made side by side are undone side by side). Teardown ends with a
 * sweep by label, so a resource created while a signal arrived goes too.
 */
export class LabRun implements AsyncDisposable {
  readonly id: string;
  readonly scenario: string;
  readonly keep: boolean;
  private readonly logger: Logger;
  private readonly finalizers = new Finalizers();
  private readonly lingering?: Lingering;
  private readonly lingered: Promise<void>[] = [];
  private tornDown?: Promise<void>;

  private constructor(options: LabRunOptions) {
    this.id = options.id ?? randomBytes(4).toString('hex');
    if (!/^[a-z0-9]{1,12}$/.test(this.id)) throw new Error(`run id must be 1-12 lowercase letters or digits: ${this.id}`);
    this.scenario = options.scenario;
    this.keep = options.keep ?? false;
    this.logger = options.logger;
    this.lingering = options.lingering;
  }

  static async start(options: LabRunOptions): Promise<LabRun> {
    const run = new LabRun(options);
    await registerRun({ id: run.id, pid: process.pid, scenario: run.scenario, startedAt: new Date().toISOString(), keep: run.keep });
    return run;
  }

  /** Labels for every container and network of this run. */
  get labels(): Record<string, string> {
    return { [runLabel]: this.id, [scenarioLabel]: this.scenario };
  }

  /** Registers how to undo something just made. */
  defer(what: string, undo: () => Promise<void>): void {
    this.finalizers.defer(what, undo);
  }

  /** Makes one of a group of independent things made side by side (a dependency depth's workloads): the teardown undoes them side by side. */
  makeInGroup<T>(group: string, owner: string, make: () => Promise<T>): Promise<T> {
    return this.finalizers.makeInGroup(group, owner, make);
  }

  /**
   * Waits until a deletion the API server has accepted is done (`gone`), or,
   * in a batch, leaves that wait to the batch's end: the run's teardown ends
   * at once, and its registration stays until the deletion is done and
   * swept, so no other run's sweep takes the run for dead meanwhile.
   */
  async linger(what: string, gone: Promise<void>): Promise<void> {
    if (!this.lingering) return gone;
    this.lingered.push(gone.catch((error: unknown) => this.logger.info(`${what}: ${error instanceof Error ? error.message : String(error)} (swept at the batch's end)`)));
  }

  /**
   * Undoes everything once, however often it is called (a signal may race the
   * normal end). After an interruption a request already sent to dockerd may
   * still create a container, so the sweep is repeated once things settle.
   */
  teardown(options: { interrupted?: boolean } = {}): Promise<void> {
    this.tornDown ??= this.keep ? this.announceKept() : this.undoAll(options.interrupted ?? false);
    return this.tornDown;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.teardown();
  }

  private async undoAll(interrupted: boolean): Promise<void> {
    await this.logger.step(`tearing down run ${this.id}`, async () => {
      const failures = await this.finalizers.undoAll();
      const lingering = this.lingered.length > 0 ? this.lingering : undefined;
      await sweepRun(this.id, { waitForDeletions: !lingering });
      if (interrupted) {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await sweepRun(this.id, { waitForDeletions: !lingering });
      }
      // What lingers is swept again (waiting, this time) once it is gone: the batch's end then finds what a plain teardown leaves.
      if (lingering) lingering.add(`run ${this.id}`, Promise.all(this.lingered).then(() => sweepRun(this.id)).then(() => forgetRun(this.id)));
      else await forgetRun(this.id);
      for (const failure of failures) this.logger.info(`teardown: ${failure} (swept by label instead)`);
    });
  }

  private async announceKept(): Promise<void> {
    this.logger.info(`--keep: run ${this.id} left running; remove it with: npm run clean -- --all`);
  }
}
