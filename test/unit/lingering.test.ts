import { describe, expect, it } from 'vitest';
import { LabRun } from '../../src/lab/lab-run.ts';
import { Lingering } from '../../src/lab/lingering.ts';
import { readRun } from '../../src/lab/run-registry.ts';
import type { Logger } from '../../src/log.ts';

/** A logger that keeps what it is told. */
function keptLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (line) => void lines.push(line), step: async (name, work) => (lines.push(`step ${name}`), work()) };
}

/** A deletion the test ends by hand, as the API server would. */
function deletion() {
  let end!: () => void;
  let fail!: (error: Error) => void;
  const gone = new Promise<void>((resolve, reject) => ((end = resolve), (fail = reject)));
  return { gone, end, fail };
}

const settled = async (promise: Promise<unknown>) => Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 50))]);

describe('deletions a batch takes over', () => {
  it('waits for everything handed over, once, and logs what failed without throwing', async () => {
    const logger = keptLogger();
    const lingering = new Lingering();
    const a = deletion();
    const b = deletion();
    lingering.add('namespace a', a.gone);
    lingering.add('namespace b', b.gone);
    const settling = lingering.settle(logger);
    expect(await settled(settling)).toBe(false);
    a.end();
    expect(await settled(settling)).toBe(false);
    b.fail(new Error('watch ended'));
    await settling;
    expect(logger.lines).toEqual(['step waiting for what earlier runs are still deleting (namespace a, namespace b)', 'teardown: namespace b: watch ended']);
    await lingering.settle(logger);
    expect(logger.lines).toHaveLength(2);
  });

  it('a run alone waits for its deletion in its teardown', async () => {
    const run = await LabRun.start({ scenario: 'lingering-test', logger: keptLogger(), id: `ling${process.pid % 100000}a` });
    const namespace = deletion();
    run.defer('delete namespace', () => run.linger('namespace to go', namespace.gone));
    const teardown = run.teardown();
    expect(await settled(teardown)).toBe(false);
    namespace.end();
    await teardown;
    expect(await readRun(run.id)).toBeUndefined();
  });

  it('a run of a batch ends its teardown at once and stays registered until the batch has seen the deletion done', async () => {
    const lingering = new Lingering();
    const run = await LabRun.start({ scenario: 'lingering-test', logger: keptLogger(), id: `ling${process.pid % 100000}b`, lingering });
    const namespace = deletion();
    run.defer('delete namespace', () => run.linger('namespace to go', namespace.gone));
    await run.teardown();
    expect(lingering.size).toBe(1);
    expect(await readRun(run.id)).toBeDefined();
    const settling = lingering.settle(keptLogger());
    expect(await settled(settling)).toBe(false);
    namespace.end();
    await settling;
    expect(await readRun(run.id)).toBeUndefined();
  });
});
