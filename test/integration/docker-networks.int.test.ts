import { beforeAll, describe, expect, it } from 'vitest';
import { expectFindingsAsRecorded } from './findings.ts';
import { runForTest, type ScenarioRun } from './scenario-run.ts';
import { contextSections } from '../../src/workloads/container-exec.ts';

/** Article 002's networks for real: conclusive verdicts on evidence; the findings are the golden table's. */
describe('docker-networks on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('docker-networks', `nets${process.pid}`);
  });

  it('reaches a conclusive verdict on evidence for every claim, contrasts and controls included', () => {
    for (const id of ['D9', 'D10', 'D11', 'D12', 'D14', 'D21', 'D29', 'D30']) run.expectConclusive(id);
    expect(run.claim('D14').attempts.filter((a) => a.role === 'contrast').map((a) => a.verdict)).toEqual(['confirmed']);
    expect(run.claim('D10').attempts.find((a) => a.role === 'control')?.verdict).toBe('confirmed');
  });

  it('D14: enable_icc=false isolating the pair confirms "can be isolated"; --internal reaching the host\'s own address is a finding beside it', () => {
    const d14 = run.claim('D14');
    expect(d14.verdict).toBe('confirmed');
    expect(d14.attempts.map((a) => [a.role ?? 'own', a.outcome.kind])).toEqual([
      ['own', 'timeout'],
      ['contrast', 'success'],
      ['finding', 'refused'],
      ['finding', 'refused'],
    ]);
    expect(d14.attempts[2]!.from).toBe('sealed-client');
  });

  it('D29: each container the check starts gets the lowest free address of the bridge, predicted before its start: not random', () => {
    const [subnet, order] = run.claim('D29').attempts;
    expect(subnet!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/^all inside 172\.17\.0\.0\/16: /) });
    expect(order!.outcome).toMatchObject({ kind: 'fact', holds: false, observed: expect.stringMatching(/^each container got the lowest free address/) });
    const predictions = [...(order!.outcome as { observed: string }).observed.matchAll(/predicted (\S+), got (\S+?)[;( ]/g)];
    expect(predictions).toHaveLength(4);
    for (const [, predicted, got] of predictions) expect(got).toBe(predicted);
    // The fourth start comes after the first container was removed: it gets the freed address again.
    expect(predictions[3]![2]).toBe(predictions[0]![2]);
    // Every prediction came true: a disturbance only makes misses, so the try stands without the bridge's events.
    expect(order!.detail).toMatch(/every prediction came true: another container joining or leaving meanwhile could only have made one miss/);
    expect(run.claim('D29').evidence.attempts[1]!.some((e) => e.command.startsWith('docker events '))).toBe(false);
  });

  it("D30: brctl is no default install (bridge-utils' priority), and, run in the host's namespace, lists each container's veth under its bridge, an empty bridge with none", () => {
    const [installed, lists, empty] = run.claim('D30').attempts;
    expect(installed!.outcome).toMatchObject({ kind: 'fact', holds: false, observed: expect.stringMatching(/^bridge-utils \(brctl\) is Priority: optional /) });
    expect(lists!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/veth\w+ \(web\) under docker0, .*veth\w+ \(front-web\) under br-\w{12}/) });
    expect(empty!.role).toBe('contrast');
    expect(run.claim('D30').evidence.attempts[1]!.map((e) => e.command)).toContain(`docker exec np-${run.runId}-viewer brctl show`);
  });

  it("D21: the isolation attempt's timeout stands without the engine's events (20.10's rewrite of its isolation jump, on each create, only lets packets through)", () => {
    expect(run.claim('D21').attempts[0]!.outcome.kind).toBe('timeout');
    expect(run.claim('D21').attempts[0]!.detail).toMatch(/unanswered: a network created meanwhile could only have let the packets through for a moment/);
    expect(run.claim('D21').evidence.attempts[0]!.some((e) => e.command.startsWith('docker events '))).toBe(false);
  });

  it("D11: the bridge half reads the linked server's own veth, a port of docker0", () => {
    expect(run.claim('D11').attempts[1]!.outcome).toMatchObject({ kind: 'fact', observed: expect.stringMatching(/link-web's eth0 ↔ host veth\w+, a port of bridge docker0; tcp webalias:80 moved \d+ packets to and \d+ from link-web/) });
  });

  it('D10: the name that does not resolve is the container name, and the source has no embedded DNS', () => {
    expect(run.claim('D10').outcome).toEqual({ kind: 'dns', name: `np-${run.runId}-web` });
    const context = run.claim('D10').evidence.context.find((c) => c.command.startsWith(`docker exec np-${run.runId}-client sh -c `))!;
    const resolv = contextSections(context.stdout).get('cat /etc/resolv.conf');
    expect(resolv).toMatch(/^nameserver /m);
    expect(resolv).not.toContain('127.0.0.11');
  });

  it('finds on this engine what the golden table records for a default Docker 20.10 host', () => {
    expectFindingsAsRecorded('./expected-findings.json', run.result);
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
