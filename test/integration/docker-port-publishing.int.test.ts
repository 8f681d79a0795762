import { beforeAll, describe, expect, it } from 'vitest';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/**
 * Article 004's port publishing on a standard Linux Docker host (20.10). The
 * outside clients sit on a lab LAN whose router has no uplink.
 */
describe('docker-port-publishing on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('docker-port-publishing', `pub${process.pid}`);
  });

  it('D17: the host reaches the container IP; an outside client without a route gets "network unreachable"', () => {
    expect(run.kinds('D17').slice(0, 2)).toEqual(['http-status', 'no-route']);
  });

  it('D17: an outside client WITH a route via the host reaches the published container directly: the article is refuted there', () => {
    // Docker 20.10's FORWARD rules accept a published port's traffic from any interface; only routing isolates.
    expect(run.claim('D17').attempts[2]!.outcome).toEqual({ kind: 'http-status', status: 200 });
    expect(run.claim('D17').verdict).toBe('refuted');
  });

  it('D18: host:8080 answers from outside, through a DNAT rule that the container start added', () => {
    expect(run.claim('D18').attempts[0]!.outcome).toEqual({ kind: 'http-status', status: 200 });
    expect(run.claim('D18').attempts[1]!.outcome).toMatchObject({
      kind: 'fact',
      holds: true,
      observed: expect.stringMatching(/--dport 8080 -j DNAT --to-destination 172\.17\.\d+\.\d+:80$/),
    });
    expect(run.claim('D18').verdict).toBe('confirmed');
  });

  it('sends nothing off the machine and leaves nothing behind (the LAN veths included)', async () => {
    await run.expectCleanAndContained();
  });
});
