import { beforeAll, describe, expect, it } from 'vitest';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/** Article 002's claims on a standard Linux Docker host (Docker 20.10, default settings). */
describe('docker-networks on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('docker-networks', `nets${process.pid}`);
  });

  it('D9: the default bridge connects containers by IP', () => {
    expect(run.kinds('D9')).toEqual(['success']);
  });

  it('D10: the default bridge has no name resolution for containers', () => {
    expect(run.claim('D10').outcome).toEqual({ kind: 'dns', name: `np-${run.runId}-web` });
    expect(run.claim('D10').verdict).toBe('confirmed');
  });

  it('D11: --link makes the alias resolve (through /etc/hosts)', () => {
    expect(run.kinds('D11')).toEqual(['success']);
  });

  it('D12: a user-defined network resolves container names and has its own br-<id> bridge', () => {
    expect(run.kinds('D12')).toEqual(['success', 'fact']);
    expect(run.claim('D12').attempts[1]!.outcome).toMatchObject({ holds: true, observed: expect.stringMatching(/is bridge br-[0-9a-f]{12} on the host$/) });
  });

  it('D14: two user-defined networks are isolated: the SYN is dropped, so the client times out', () => {
    expect(run.claim('D14').outcome).toMatchObject({ kind: 'timeout' });
    expect(run.claim('D14').verdict).toBe('confirmed');
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
