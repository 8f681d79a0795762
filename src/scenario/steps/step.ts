import type { Logger } from '../../log.ts';

/** What every step can reach: where its progress lines go. */
export interface StepContext {
  readonly logger: Logger;
}

/**
 * One step of a run, kind-style: a small named unit with one progress line.
 * Its teardown (where it has one) undoes what it made; it also runs when the
 * step itself failed halfway, so it must take a half-made state.
 */
export interface Step<C extends StepContext> {
  /** The progress line, e.g. "creating network lan". */
  readonly name: string;
  run(context: C): Promise<void>;
  teardown?(context: C): Promise<void>;
  /** Nothing to do in this run (no network declared, workloads that did not start): no progress line. */
  skip?(context: C): boolean;
}

/**
 * Runs the steps in order, each between its progress lines; then, whether
 * they all ran or one failed, the teardowns of the steps that started, in
 * reverse. The step's failure is what the caller gets; a teardown that
 * fails is logged and does not hide it.
 */
export async function runSteps<C extends StepContext>(steps: readonly Step<C>[], context: C): Promise<void> {
  const started: Step<C>[] = [];
  try {
    for (const step of steps) {
      if (step.skip?.(context)) continue;
      started.push(step);
      await context.logger.step(step.name, () => step.run(context));
    }
  } finally {
    await tearDown(started, context);
  }
}

async function tearDown<C extends StepContext>(started: readonly Step<C>[], context: C): Promise<void> {
  for (const step of [...started].reverse()) {
    await step.teardown?.(context).catch((error: unknown) => context.logger.info(`teardown of "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/**
 * Steps that do not depend on each other, run at once as one step (checking
 * images while dead runs are swept); each keeps its progress line, and the
 * teardowns of those that started run in reverse, as in a list.
 */
export function together<C extends StepContext>(name: string, steps: readonly Step<C>[]): Step<C> {
  let started: Step<C>[] = [];
  return {
    name,
    async run(context) {
      started = steps.filter((step) => !step.skip?.(context));
      const settled = await Promise.allSettled(started.map((step) => context.logger.step(step.name, () => step.run(context))));
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    },
    teardown: (context) => tearDown(started, context),
  };
}
