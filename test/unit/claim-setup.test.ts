import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StartedEnvironment } from '../../src/environment/started-environment.ts';
import type { ExecResult } from '../../src/exec/exec-result.ts';
import { noopLogger } from '../../src/log.ts';
import { checkFact } from '../../src/probes/check.ts';
import type { ClaimSpec } from '../../src/scenario/claim.ts';
import { tryClaim } from '../../src/scenario/try-claim.ts';
import { startPreparations } from '../../src/scenario/steps/preparations.ts';
import type { RunContext } from '../../src/scenario/steps/run-context.ts';
import type { ScenarioSpec } from '../../src/scenario/scenario.ts';
import { madeBy, type ObservingProbe, type Setup } from '../../src/setup/setup.ts';
import { Expect } from '../../src/verdict/expect.ts';
import type { StartedWorkload } from '../../src/workloads/workload.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

/**
 * The runner's side of "a claim declares its setup": performed right before
 * its attempt, undone right after (also when it failed halfway), its
 * commands in the attempt's evidence around the probe's, its locks held from
 * the claim's first attempt to its last; a failed setup is check-failed and
 * the probe does not run.
 */
const ran = (command: string, exitCode = 0): ExecResult => ({ command, exitCode, stdout: command, stderr: exitCode ? `${command} failed` : '', durationMs: 1, startedAt: '2026-12-06T00:00:00Z' });

let events: string[];
let deferred: (() => Promise<void>)[];
const env = () => {
  const run = { id: 'r1', scenario: 'test', defer: (_what: string, undo: () => Promise<void>) => void deferred.push(undo) };
  return { run, logger: noopLogger, workloads: { client: source }, networks: {}, facts: {} } as unknown as StartedEnvironment;
};
const source = { name: 'client' } as StartedWorkload;

/** A setup that records its steps; `failAt` makes that command fail. */
function setup(name: string, options: { failApply?: boolean; locks?: string[]; prepare?: 'ok' | 'fails' } = {}): Setup<string> {
  return {
    describe: name,
    locks: options.locks ? () => options.locks! : undefined,
    ...(options.prepare
      ? {
          async prepare() {
            events.push(`prepare ${name}`);
            await new Promise((resolve) => setTimeout(resolve, 30));
            events.push(`prepared ${name}`);
            if (options.prepare === 'fails') throw new Error('no image');
          },
        }
      : {}),
    async apply(check) {
      events.push(`apply ${name}`);
      await check.must(ran(`make ${name}`, options.failApply ? 1 : 0), `making ${name}`);
      return `${name} made`;
    },
    async undo(check) {
      events.push(`undo ${name}`);
      await check.record(ran(`remove ${name}`));
    },
  };
}

/** A probe that records when it observes and what the setup handed it. */
function observing(made: Setup<string>, locksDir?: () => Promise<string[]>): ObservingProbe<string> {
  return {
    describe: `look at ${made.describe}`,
    setup: made,
    run: (_source, on) =>
      checkFact(`look at ${made.describe}`, async (check) => {
        const got = madeBy(on, made);
        events.push(`observe ${got}${locksDir ? ` holding ${(await locksDir()).join(',')}` : ''}`);
        await check.record(ran('look'));
        return { holds: true, observed: got };
      }),
  };
}

const plain = (name: string, locksDir?: () => Promise<string[]>) => ({
  describe: name,
  run: async () => {
    events.push(`observe ${name}${locksDir ? ` holding ${(await locksDir()).join(',')}` : ''}`);
    return { outcome: { kind: 'fact' as const, holds: true, observed: name }, connection: name, evidence: [] };
  },
});

const claim = (attempts: ClaimSpec['attempts']): ClaimSpec => ({ id: 'X1', article: '000', from: 'client', says: 'it', expect: Expect.holds('it holds'), attempts, why: {} });

describe("a claim's setup, performed by the runner", () => {
  beforeEach(async () => {
    events = [];
    deferred = [];
    process.env.NETPROOF_LOCK_DIR = await temporaryDirectory('np-locks-');
  });

  it('is performed right before its attempt and undone right after; the probe gets what it made', async () => {
    const result = await tryClaim(claim([plain('first'), observing(setup('swarm')), plain('last')]), env(), async () => []);
    expect(events).toEqual(['observe first', 'apply swarm', 'observe swarm made', 'undo swarm', 'observe last']);
    expect(result.verdict).toBe('confirmed');
    expect(result.evidence.attempts[1]!.map((e) => e.command)).toEqual(['make swarm', 'look', 'remove swarm']);
  });

  it("prepares a setup when the claim starts, beside the attempts before it, and applies it only once prepared", async () => {
    const slow = { ...plain('watch'), run: async () => (events.push('watch starts'), await new Promise((resolve) => setTimeout(resolve, 10)), events.push('watch ends'), { outcome: { kind: 'fact' as const, holds: true, observed: 'watch' }, connection: 'watch', evidence: [] }) };
    const result = await tryClaim(claim([slow, observing(setup('metallb', { prepare: 'ok' }))]), env(), async () => []);
    expect(events).toEqual(['prepare metallb', 'watch starts', 'watch ends', 'prepared metallb', 'apply metallb', 'observe metallb made', 'undo metallb']);
    expect(result.verdict).toBe('confirmed');
  });

  it('a preparation already started (with the environment) is awaited, not started again', async () => {
    const metallb = setup('metallb', { prepare: 'ok' });
    let finish = () => undefined as void;
    const started = new Promise<void>((resolve) => (finish = () => (events.push('prepared earlier'), resolve())));
    const trying = tryClaim(claim([observing(metallb)]), env(), async () => [], new Map([[metallb as Setup<unknown>, started]]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events, 'nothing applied before the preparation is done').toEqual([]);
    finish();
    const result = await trying;
    expect(events).toEqual(['prepared earlier', 'apply metallb', 'observe metallb made', 'undo metallb']);
    expect(result.verdict).toBe('confirmed');
  });

  it("the run's step starts each setup's preparation once, with the environment, and its teardown waits for them", async () => {
    const metallb = setup('metallb', { prepare: 'ok' });
    const spec = { claims: [claim([observing(metallb)]), claim([observing(metallb), observing(setup('swarm'))])] } as unknown as ScenarioSpec;
    const context = { spec, env: env() } as unknown as RunContext;
    expect(startPreparations.skip?.(context)).toBe(false);
    await startPreparations.run(context);
    expect([...context.preparations!.keys()]).toEqual([metallb]);
    expect(events).toEqual(['prepare metallb']);
    await startPreparations.teardown!(context);
    expect(events).toEqual(['prepare metallb', 'prepared metallb']);
    expect(startPreparations.skip?.({ spec: { claims: [claim([observing(setup('swarm'))])] } } as unknown as RunContext)).toBe(true);
  });

  it('a preparation that fails is not the attempt\'s failure: the setup is applied as without one', async () => {
    const result = await tryClaim(claim([observing(setup('metallb', { prepare: 'fails' }))]), env(), async () => []);
    expect(events).toEqual(['prepare metallb', 'prepared metallb', 'apply metallb', 'observe metallb made', 'undo metallb']);
    expect(result.verdict).toBe('confirmed');
  });

  it('a setup that fails is check-failed with its evidence; the probe does not run; what it made halfway is undone', async () => {
    const result = await tryClaim(claim([observing(setup('metallb', { failApply: true }))]), env(), async () => []);
    expect(events).toEqual(['apply metallb', 'undo metallb']);
    expect(result.attempts[0]!.outcome).toEqual({ kind: 'check-failed', reason: expect.stringContaining('making metallb: `make metallb` exited 1') });
    expect(result.verdict).toBe('inconclusive');
    expect(result.evidence.attempts[0]!.map((e) => e.command)).toEqual(['make metallb', 'remove metallb']);
  });

  it("holds the setup's locks from the claim's first attempt (before the setup) to its last, then releases them", async () => {
    const held = async () => (await readdir(process.env.NETPROOF_LOCK_DIR!)).map((f) => f.replace('.lock', ''));
    await tryClaim(claim([plain('control', held), observing(setup('metallb', { locks: ['MetalLB'] }), held)]), env(), async () => []);
    expect(events).toEqual(['observe control holding MetalLB', 'apply metallb', 'observe metallb made holding MetalLB', 'undo metallb']);
    expect(await held()).toEqual([]);
  });

  it("leaves the claim untried (inconclusive), nothing set up or tried, when the setup's locks cannot be taken", async () => {
    // A lock directory that is a file: taking any lock fails, as a wait that ran out would.
    const file = join(process.env.NETPROOF_LOCK_DIR!, 'not-a-dir');
    await writeFile(file, '');
    process.env.NETPROOF_LOCK_DIR = file;
    const result = await tryClaim(claim([plain('control'), observing(setup('metallb', { locks: ['MetalLB'] }))]), env(), async () => []);
    expect(events).toEqual([]);
    expect(result.verdict).toBe('inconclusive');
    expect(result.attempts.map((a) => a.outcome.kind)).toEqual(['check-failed', 'check-failed']);
    expect(result.because).toMatch(/^its setup's locks could not be taken: /);
  });

  it('undoes once: the run teardown (a signal mid-claim) and the end of the attempt do not both undo', async () => {
    await tryClaim(claim([observing(setup('netns'))]), env(), async () => []);
    await Promise.all(deferred.map((undo) => undo()));
    expect(events.filter((e) => e.startsWith('undo'))).toEqual(['undo netns']);
  });

  it('a probe tried without its setup (outside the runner) is check-failed, not a fact about an environment it did not change', async () => {
    const observed = await observing(setup('compose up')).run(source, env());
    expect(observed.outcome).toEqual({ kind: 'check-failed', reason: 'the setup "compose up" was not performed before this attempt' });
    expect(events).toEqual([]);
  });
});
