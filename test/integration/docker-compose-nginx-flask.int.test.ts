import { beforeAll, describe, expect, it } from 'vitest';
import { nginxFlask } from '../../scenarios/docker-compose-nginx-flask.ts';
import { hostExec } from '../../src/exec/host-exec.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';
import { noopLogger } from '../../src/log.ts';
import { throughNginx } from '../../src/probes/compose-checks.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { defineScenario } from '../../src/scenario/scenario.ts';
import { expectFindingsAsRecorded } from './findings.ts';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

/**
 * docker-compose-nginx-flask for real: Compose v2 starts article 001's nginx
 * and Flask twice, once per proxy_pass target. The harness part: conclusive
 * verdicts, nginx's configuration and logs as evidence, D13's two halves as
 * two attempts; the findings are the golden table's.
 */
describe('docker-compose-nginx-flask on a real engine', () => {
  let run: ScenarioRun;
  const commands = (id: string) => run.claim(id).evidence.attempts.flat().map((e) => e.command);

  // First time: the images and (without a plugin) Compose built from source.
  beforeAll(async () => {
    run = await runForTest('docker-compose-nginx-flask', `itc${process.pid}`);
  }, 30 * 60_000);

  it('reaches a conclusive verdict on evidence for every claim', () => {
    for (const id of ['D4', 'D5', 'D6', 'D13']) run.expectConclusive(id);
  });

  it("D4: the 200 names model_test as its server, and nginx's default.conf is in the evidence", () => {
    expect(run.claim('D4').connection).toBe('proxy_pass http://model_test:6001 (GET http://nginx:9001/)');
    expect(run.claim('D4').attempts[0]!.answeredBy).toBe(`np-${run.runId}-model_test`);
    expect(commands('D4')).toContain(`docker exec np-${run.runId}-byname-nginx-1 cat /etc/nginx/conf.d/default.conf`);
  });

  it("D5: a 502 comes with nginx's error log line and its listening sockets", () => {
    expect(run.claim('D5').attempts[0]!.detail).toMatch(/nginx: \[error\] .*connect\(\) failed \(111: Connection refused\) while connecting to upstream, .*upstream: "http:\/\/127\.0\.0\.1:6001\/"/);
    const listening = run.claim('D5').evidence.attempts[0]!.find((e) => e.command.endsWith('ss -ltn'))!;
    expect(listening.stdout).toContain(':9001');
  });

  it('D13: the first up and a second up are two attempts, each with its half of the sentence and its commands', () => {
    expect(run.claim('D13').attempts.map((a) => a.half)).toEqual(['docker-compose up creates a new Docker network', 'every time docker-compose up runs']);
    expect(commands('D13').some((c) => c.includes(`docker compose --project-name np-${run.runId}-byname --file `) && / up --detach --wait/.test(c))).toBe(true);
    expect(run.claim('D13').preconditions?.[0]).toMatch(/cannot exist before/);
  });

  it('finds on this engine what the golden table records for a default Docker 20.10 host', () => {
    expectFindingsAsRecorded('./expected-findings.json', run.result);
  });

  it('sends nothing off the machine and leaves nothing behind, compose networks included', async () => {
    await run.expectCleanAndContained();
    const containers = await hostExec(['docker', 'ps', '-a', '--filter', `name=np-${run.runId}-`, '--format', '{{.Names}}']);
    const networks = await hostExec(['docker', 'network', 'ls', '--filter', `name=np-${run.runId}-`, '--format', '{{.Name}}']);
    expect(containers.stdout.trim() + networks.stdout.trim()).toBe('');
  });
});

/**
 * D4's main way to fail, for real: a proxy_pass host nginx cannot resolve.
 * nginx resolves it when it loads its configuration and exits, so `compose
 * up --wait` fails; that is the network observation (refuted, with nginx's
 * own words), never a harness error.
 */
describe("D4's failure mode: nginx cannot resolve its upstream", () => {
  it('is observed and judged, with nginx\'s log as evidence, not a harness failure', async () => {
    const runId = `itu${process.pid}`.slice(0, 12);
    const real = await loadScenario('docker-compose-nginx-flask');
    const d4 = real.claims.find((c) => c.id === 'D4')!;
    const unresolvable = 'http://model_missing:6001';
    const spec = defineScenario({
      ...real,
      workloads: { byname: nginxFlask(unresolvable) },
      claims: [{ ...d4, attempts: [throughNginx(unresolvable)] }],
    });
    const result = await runScenario(spec, { logger: noopLogger, runId });
    expect(result.harnessFailure).toBeUndefined();
    const claim = result.claims[0]!;
    expect(claim.verdict).toBe('refuted');
    expect(claim.attempts[0]!.detail).toMatch(/nginx is not running .*host not found in upstream "model_missing"/s);
    expect(await leftovers(runId)).toEqual(nothingLeft);
  }, 300_000);
});
