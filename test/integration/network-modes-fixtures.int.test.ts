import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/**
 * Every Docker network mode is a scenario file's business alone: the three
 * fixtures (container:<workload>, macvlan on a lab-owned parent, --internal
 * with a fixed subnet) declare everything in their own file, load through
 * the registry as scenarios/ do, and run on the real engine.
 */
const fixtures = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
const id = (tag: string) => `${tag}${process.pid}`.slice(0, 12);

describe('container:<workload> on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('modes-container', id('nmc'), fixtures);
  });

  it("confirms that db's server answers on app's localhost and address, and not on a neighbour's localhost", () => {
    run.expectConclusive('NM1');
    expect(run.claim('NM1').verdict).toBe('confirmed');
    expect(run.kinds('NM1')).toEqual(['http-status', 'http-status', 'refused']);
    expect(run.claim('NM1').attempts.slice(0, 2).map((a) => a.answeredBy)).toEqual([`np-${run.runId}-db`, `np-${run.runId}-db`]);
  });

  it('draws db in app’s namespace, not beside it with a copy of its address', () => {
    const links = run.result.topology?.links ?? [];
    expect(links).toContainEqual({ from: 'w:db', to: 'w:app', label: 'shares the namespace' });
    expect(run.result.topology?.nodes.find((n) => n.id === 'w:db')?.addresses).toEqual([]);
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});

describe('macvlan on a lab-owned parent on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('modes-macvlan', id('nmm'), fixtures);
  });

  it('confirms that a sibling answers and the host does not, with the parent leading nowhere', () => {
    run.expectConclusive('NM2');
    const claim = run.claim('NM2');
    expect(claim.verdict, claim.because).toBe('confirmed');
    expect(claim.attempts[0]!.answeredBy).toBe(`np-${run.runId}-web`);
    expect(['timeout', 'no-route']).toContain(claim.attempts[1]!.outcome.kind);
    expect(claim.attempts[2]!.outcome).toMatchObject({ kind: 'fact', holds: true });
  });

  it('sends nothing off the machine and leaves nothing behind (the parent, its peer’s namespace)', async () => {
    await run.expectCleanAndContained();
  });
});

describe('--internal with a fixed subnet on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('modes-internal', id('nmi'), fixtures);
  });

  it('confirms peers yes, the outside client no, where a default-configured network reaches it', () => {
    run.expectConclusive('NM3');
    const claim = run.claim('NM3');
    expect(claim.verdict, claim.because).toBe('confirmed');
    expect(claim.attempts[0]!.answeredBy).toBe(`np-${run.runId}-sealed-web`);
    expect(run.kinds('NM3')).toEqual(['http-status', 'timeout', 'refused']);
  });

  it('puts the network on the subnet the file asked for', () => {
    expect(run.claim('NM3').attempts[0]!.target?.host).toMatch(/^198\.18\.213\.\d+$/);
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
