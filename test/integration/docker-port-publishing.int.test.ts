import { beforeAll, describe, expect, it } from 'vitest';
import { runForTest, type ScenarioRun } from './scenario-run.ts';
import { expectFindingsAsRecorded } from './findings.ts';

/**
 * Articles 004 and 002 on port publishing, on a real engine. The outside
 * clients sit on a lab LAN whose router has no uplink. What the lab found is
 * in the golden table; here: each claim is decided on evidence, plus what
 * holds on any standard Linux Docker host.
 */
describe('docker-port-publishing on a real engine', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runForTest('docker-port-publishing', `pub${process.pid}`);
  });

  it.each(['D17', 'D18', 'D23', 'D26', 'D27', 'D32'])('%s reaches a verdict on evidence', (id) => {
    run.expectConclusive(id);
  });

  it('D17: the host reaches the unpublished container at its IP; the outside client without a route is told "no route" by the lab router', () => {
    expect(run.kinds('D17').slice(0, 2)).toEqual(['http-status', 'no-route']);
    expect(run.claim('D17').attempts[0]!.answeredBy).toBe(`np-${run.runId}-unpublished`);
    // The routed attempt carries the host's forwarding filter as evidence.
    expect(run.claim('D17').attempts[2]!.detail).toMatch(/FORWARD on host: policy \w+, \d+ packet\(s\) dropped/);
    expect(run.claim('D17').evidence.attempts[2]!.map((e) => e.command)).toEqual(expect.arrayContaining(['iptables -S FORWARD', 'iptables -L FORWARD -n -v -x']));
  });

  it('D18: host:8080 answers from outside from the published container, through a DNAT rule the container start added', () => {
    expect(run.claim('D18').attempts[1]!.outcome).toMatchObject({
      kind: 'fact',
      holds: true,
      observed: expect.stringMatching(/--dport 8080 -j DNAT --to-destination 172\.17\.\d+\.\d+:80$/),
    });
    expect(run.claim('D18').verdict).toBe('confirmed');
  });

  it('D23: a port published on 127.0.0.1 answers on the host loopback, from its own container', () => {
    expect(run.claim('D23').attempts[0]!.outcome).toEqual({ kind: 'http-status', status: 200, server: 'loopback-only' });
  });

  it("D23: the LAN neighbour with a route reaches the loopback-published container's own IP and port (moby#45610), through the DOCKER chain's accept", () => {
    const routed = run.claim('D23').attempts[2]!;
    expect(routed.from).toBe('outside-routed');
    expect(routed.outcome).toEqual({ kind: 'http-status', status: 200, server: 'loopback-only' });
    expect(routed.answeredBy).toBe(`np-${run.runId}-loopback-only`);
    expect(run.claim('D23').evidence.attempts[2]!.map((e) => e.command)).toContain('iptables -L DOCKER -n -v -x');
  });

  it("D26: the published port on the host's LAN address is the control, and it answers", () => {
    expect(run.claim('D26').attempts[2]!.outcome).toEqual({ kind: 'http-status', status: 200, server: 'web' });
  });

  it("D27: iptables rejects both of the article's rules (no -p tcp before --dport) and takes the rules Docker wrote, in lab namespaces", () => {
    const [article, second, docker] = run.claim('D27').attempts;
    expect(article!.outcome).toMatchObject({ kind: 'fact', holds: false, observed: expect.stringContaining('unknown option "--dport"') });
    expect(second!.outcome).toMatchObject({ kind: 'fact', holds: false, observed: expect.stringContaining('unknown option "--dport"') });
    expect(second!.connection).toBe(
      `ip netns exec np-${run.runId}-d27docker2 iptables -t nat -N DOCKER && ip netns exec np-${run.runId}-d27docker2 iptables -t nat -A DOCKER -j DNAT --dport 8080 --to-destination 172.17.0.3:80`,
    );
    expect(docker!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/-A DOCKER .*--dport 8080 -j DNAT --to-destination 172\.17\.\d+\.\d+:80/) });
    expect(article!.connection).toBe(`ip netns exec np-${run.runId}-d27article iptables -t nat -A PREROUTING -j DNAT --dport 8080 --to-destination 80`);
  });

  it("D32: iptables -nvL -t nat, as the article runs it, shows the DNAT rule of -p 8080:80, whose counter counts a request answered by the container; none for the unpublished one", () => {
    const [shows, counts, contrast] = run.claim('D32').attempts;
    expect(shows!.connection).toBe('iptables -nvL -t nat');
    expect(shows!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/DNAT .*dpt:8080 to:172\.17\.\d+\.\d+:80/) });
    expect(counts!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/^pkts (\d+) → (\d+) on /) });
    expect(counts!.answeredBy).toBe(`np-${run.runId}-web`);
    expect(contrast!.outcome).toMatchObject({ kind: 'fact', holds: false });
  });

  it('finds on this engine what the golden table records for a default Docker 20.10 host', () => {
    expectFindingsAsRecorded('./expected-findings.json', run.result);
  });

  it('sends nothing off the machine and leaves nothing behind (the LAN veths and lab namespaces included)', async () => {
    await run.expectCleanAndContained();
  });
});
