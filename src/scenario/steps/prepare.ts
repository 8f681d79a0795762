import { ensureImages } from '../../images/build-images.ts';
import { LabRun } from '../../lab/lab-run.ts';
import { sweepStale } from '../../lab/sweep.ts';
import type { RunContext } from './run-context.ts';
import type { Step } from './step.ts';

/** The lab's images the workloads run, built where missing. */
export const checkImages: Step<RunContext> = {
  name: 'checking lab images',
  async run(context) {
    context.images = await ensureImages(context.imageNames, context.logger);
  },
};

/** What runs that died (SIGKILL) left behind: removed before this run adds its own. */
export const sweepDeadRuns: Step<RunContext> = {
  name: 'sweeping what dead runs left',
  async run({ logger }) {
    const stale = await sweepStale();
    if (stale.size > 0) logger.info(`removed what ${stale.size} dead run(s) left: ${[...stale.keys()].join(', ')}`);
  },
};

/**
 * The run: its id, labels and finalizers. Its teardown undoes everything
 * the later steps registered with it (also on a signal: the CLI's handler
 * tears the same run down).
 */
export const startRun: Step<RunContext> = {
  name: 'starting the run',
  async run(context) {
    const { spec, options, logger } = context;
    context.run = await LabRun.start({ scenario: spec.name, logger, id: options.runId, keep: options.keep, lingering: options.lingering });
    options.onRunStarted?.(context.run);
    logger.info(`run ${context.run.id}: scenario ${spec.name}`);
  },
  teardown: async ({ run }) => run?.teardown(),
};
