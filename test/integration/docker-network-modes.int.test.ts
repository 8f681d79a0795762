import { beforeAll, describe, expect, it } from 'vitest';
import { expectFindingsAsRecorded } from './findings.ts';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/** Article 004's network modes (and 002's "only through the bridge") for real; the findings are the golden table's. */
describe('docker-network-modes on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('docker-network-modes', `modes${process.pid}`);
  });

  it('reaches a conclusive verdict on evidence for every claim', () => {
    for (const id of ['D15', 'D16', 'D22', 'D25']) run.expectConclusive(id);
  });

  it('D16: the outside client is answered by the host-network server itself, through the lab LAN', () => {
    expect(run.claim('D16').connection).toBe('GET http://198.18.0.1/');
    expect(run.claim('D16').attempts[0]!.answeredBy).toBe(`np-${run.runId}-host-web`);
  });

  it('D22: only the host-network half refutes it; the --network none container, with no route at all, has no path around docker0', () => {
    const d22 = run.claim('D22');
    expect(d22.verdict).toBe('refuted');
    expect(d22.because).toMatch(/^refuted: "a --network host container reaches outside through docker0"/);
    expect(d22.attempts[2]!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/^no route to \S+ at all .*sends it nowhere/) });
  });

  it("D25: the container's namespace is found through its SandboxKey and entered", () => {
    expect(run.claim('D25').evidence.attempts[0]!.map((e) => e.command)).toEqual(expect.arrayContaining([expect.stringMatching(/^nsenter --net=\/var\/run\/docker\/netns\/\w+ ip -4 -o addr show eth0$/), 'ip netns list']));
  });

  it('finds on this engine what the golden table records for a default Docker 20.10 host', () => {
    expectFindingsAsRecorded('./expected-findings.json', run.result);
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
