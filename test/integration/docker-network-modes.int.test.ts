import { beforeAll, describe, expect, it } from 'vitest';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/** Article 004's network modes on a standard Linux Docker host. */
describe('docker-network-modes on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('docker-network-modes', `modes${process.pid}`);
  });

  it('D15: --network none has only lo; connecting anywhere fails at once with no route', () => {
    expect(run.claim('D15').attempts[0]!.outcome).toEqual({ kind: 'fact', holds: true, observed: 'interfaces: lo' });
    expect(run.kinds('D15').slice(1)).toEqual(['no-route', 'no-route']);
    expect(run.claim('D15').verdict).toBe('confirmed');
  });

  it('D16: a host-network server answers on the host addresses without -p; a second one cannot bind the port', () => {
    expect(run.claim('D16').attempts.map((a) => a.outcome)).toEqual([
      { kind: 'http-status', status: 200 },
      { kind: 'http-status', status: 200 },
      { kind: 'fact', holds: true, observed: 'second bind failed: Address already in use' },
    ]);
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
