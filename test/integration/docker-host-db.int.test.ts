import { beforeAll, describe, expect, it } from 'vitest';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/**
 * docker-host-db for real: dockerd, a PostgreSQL in the host's network
 * namespace, Django on the default bridge. What these assert is what holds on
 * a standard Linux Docker host (default bip, no host firewall on INPUT).
 */
describe('docker-host-db on a real engine', () => {
  let run: ScenarioRun;
  const env = () => run.result.environment;
  beforeAll(async () => {
    run = await runForTest('docker-host-db', `it${process.pid}`);
  });

  it('D1: Django reaches the host database through the docker0 gateway actually found', () => {
    const viaGateway = run.claim('D1').attempts[1]!;
    expect(viaGateway.connection).toBe(`DATABASES HOST='${env().bridgeGateway}' PORT=5432`);
    expect(viaGateway.outcome.kind).toBe('success');
    // PostgreSQL saw the container's own bridge address: the connection came across docker0, not via NAT.
    expect(viaGateway.detail).toMatch(/saw the client as 172\.17\.\d+\.\d+/);
  });

  it("D1: the article's literal 172.17.0.1 is that gateway on a default engine", () => {
    expect(env().bridgeGateway).toBe('172.17.0.1');
    expect(run.claim('D1').outcome.kind).toBe('success');
    expect(run.claim('D1').verdict).toBe('confirmed');
  });

  it("D2: localhost and 127.0.0.1 are refused: they are the container's own loopback", () => {
    expect(run.kinds('D2')).toEqual(['refused', 'refused']);
    expect(run.claim('D2').explanation).toContain("container's own loopback");
  });

  it("D3: the host's primary address reaches the database", () => {
    expect(run.claim('D3').connection).toBe(`DATABASES HOST='${env().hostAddress}' PORT=5432`);
    expect(run.claim('D3').outcome.kind).toBe('success');
  });

  it('D7, D8, D19: the engine facts hold on a default engine', () => {
    expect(['D7', 'D8', 'D19'].map((id) => run.claim(id).verdict)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(run.claim('D19').outcome).toMatchObject({ kind: 'fact', observed: expect.stringMatching(/eth0@if\d+ ↔ host veth\w+ \(master docker0\)/) });
  });

  it('records evidence: the command, the source view of the network, the host rules; no password', () => {
    const d1 = run.claim('D1');
    expect(d1.evidence.attempts[0]![0]!.command).toMatch(/^docker exec -e DB_HOST=172\.17\.0\.1 -e DB_PORT=5432 np-\w+-django python3 manage.py dbcheck$/);
    const inContainer = (command: string) => d1.evidence.context.find((c) => c.command === `docker exec np-${run.runId}-django ${command}`);
    expect(inContainer('ip -4 addr show')!.stdout).toMatch(/inet 172\.17\.\d+\.\d+\/16/);
    expect(inContainer('ip route show')!.stdout).toContain(`default via ${env().bridgeGateway} dev eth0`);
    expect(inContainer('cat /etc/resolv.conf')!.exitCode).toBe(0);
    // The host side: the rules that decide whether the bridge may reach host services.
    expect(d1.evidence.context.map((c) => c.command)).toEqual(expect.arrayContaining(['iptables -S INPUT', 'iptables -t nat -S POSTROUTING']));
    expect(JSON.stringify(run.result)).not.toContain('mysecretpassword');
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
