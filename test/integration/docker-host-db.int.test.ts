import { beforeAll, describe, expect, it } from 'vitest';
import { expectFindingsAsRecorded } from './findings.ts';
import { runForTest, type ScenarioRun } from './scenario-run.ts';
import { contextSections } from '../../src/workloads/container-exec.ts';

/**
 * docker-host-db for real: dockerd, a PostgreSQL in the host's network
 * namespace, Django on the default bridge (and one in the host's namespace
 * as D2's contrast). The harness part: every claim conclusive on evidence,
 * the connection strings the lab really used, the database that answered
 * named; the world part (what a default Docker 20.10 host shows) is the
 * golden table.
 */
describe('docker-host-db on a real engine', () => {
  let run: ScenarioRun;
  const env = () => run.result.environment;
  beforeAll(async () => {
    run = await runForTest('docker-host-db', `it${process.pid}`);
  });

  it('reaches a conclusive verdict on evidence for every claim', () => {
    for (const id of ['D1', 'D2', 'D3', 'D7', 'D8', 'D19']) run.expectConclusive(id);
  });

  it('uses the connection strings it reports: the article literal, the docker0 gateway found, the host address found', () => {
    expect(run.claim('D1').attempts.map((a) => a.connection)).toEqual(["DATABASES HOST='172.17.0.1' PORT=5432", `DATABASES HOST='${env().bridgeGateway}' PORT=5432`]);
    expect(run.claim('D3').connection).toBe(`DATABASES HOST='${env().hostAddress}' PORT=5432`);
    expect(run.claim('D1').evidence.attempts[0]![0]!.command).toMatch(/^docker exec -e DB_HOST=172\.17\.0\.1 -e DB_PORT=5432 np-\w+-django python3 manage.py dbcheck$/);
  });

  it("names the database that answered (its cluster_name), and what address it saw", () => {
    for (const attempt of run.claim('D1').attempts) {
      if (attempt.outcome.kind !== 'success') continue;
      expect(attempt.answeredBy).toBe(`np-${run.runId}-db`);
      expect(attempt.detail).toMatch(new RegExp(`np-${run.runId}-db at \\S+ saw the client as \\d+\\.\\d+\\.\\d+\\.\\d+`));
    }
  });

  it("records the source's view of the network and the host's rules, and no password", () => {
    const d1 = run.claim('D1');
    // Each source's context is one exec (a script of its commands); its output, command by command.
    const sectionsOf = (prefix: string) => contextSections(d1.evidence.context.find((c) => c.command.startsWith(prefix))!.stdout);
    const inContainer = sectionsOf(`docker exec np-${run.runId}-django sh -c `);
    expect(inContainer.get('ip route show')).toContain(`default via ${env().bridgeGateway} dev eth0`);
    expect(inContainer.get('cat /etc/resolv.conf')).toMatch(/^nameserver /m);
    expect([...sectionsOf('sh -c ').keys()]).toEqual(expect.arrayContaining(['iptables -S INPUT', 'iptables -t nat -S POSTROUTING']));
    expect(JSON.stringify(run.result)).not.toContain('mysecretpassword');
  });

  it("fingerprints the machine's engine as it runs: firewall backend, the default bridge's gateway mode, docker-proxy from its own dockerd", () => {
    // scripts/engine.sh starts dockerd with no --userland-proxy and no daemon.json: the default, read from its command line.
    expect(env()).toMatchObject({ engineProvider: 'machine', firewallBackend: 'iptables', gatewayMode: 'nat (the default; no gateway_mode_ipv4 option)', userlandProxy: 'true (the default)' });
  });

  it('finds on this engine what the golden table records for a default Docker 20.10 host', () => {
    expectFindingsAsRecorded('./expected-findings.json', run.result);
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    await run.expectCleanAndContained();
  });
});
