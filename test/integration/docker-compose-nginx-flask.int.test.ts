import { beforeAll, describe, expect, it } from 'vitest';
import { hostExec } from '../../src/exec/host-exec.ts';
import { noopLogger } from '../../src/log.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from './leftovers.ts';

/**
 * docker-compose-nginx-flask for real: Compose v2 starts article 001's nginx
 * and Flask twice, once per proxy_pass target. What these assert is what holds
 * on a standard Linux Docker host: the service name works, the loopback is
 * nginx's own (502), the two containers differ in address on one network.
 */
describe('docker-compose-nginx-flask on a real engine', () => {
  const runId = `itc${process.pid}`;
  let result: ScenarioResult;
  const claim = (id: string) => result.claims.find((c) => c.id === id)!;
  const commands = (id: string) => claim(id).evidence.attempts.flat().map((e) => e.command);

  // First time: the images and (without a plugin) Compose built from source.
  beforeAll(async () => {
    result = await runScenario(await loadScenario('docker-compose-nginx-flask'), { logger: noopLogger, runId });
  }, 30 * 60_000);

  it("D4: proxy_pass http://model_test:6001 — nginx relays Flask's own answer (200)", () => {
    expect(claim('D4').connection).toBe('proxy_pass http://model_test:6001 (GET http://nginx:9001/)');
    expect(claim('D4').outcome).toEqual({ kind: 'http-status', status: 200 });
    expect(claim('D4').verdict).toBe('confirmed');
    // The body is Flask's: it names the container that answered (model_test's address) and nginx as the caller.
    const [, flask, caller] = /HTTP 200 from nginx\/[\d.]+: flask model_test: hostname \w+, address (\S+), request from (\S+)$/.exec(claim('D4').attempts[0]!.detail!)!;
    expect((claim('D6').outcome as { observed: string }).observed).toContain(`nginx ${caller}, model_test ${flask};`);
    expect(commands('D4')[0]).toBe(`docker exec np-${runId}-byname-nginx-1 cat /etc/nginx/conf.d/default.conf`);
  });

  it("D5: proxy_pass http://127.0.0.1:6001 — nginx's own loopback refuses, nginx answers 502", () => {
    expect(claim('D5').outcome).toEqual({ kind: 'http-status', status: 502 });
    expect(claim('D5').verdict).toBe('confirmed');
    expect(claim('D5').attempts[0]!.detail).toMatch(/nginx error log: \[error\] .*connect\(\) failed \(111: Connection refused\) while connecting to upstream, .*upstream: "http:\/\/127\.0\.0\.1:6001\/"/);
    // Nothing listens on 6001 in nginx's namespace: only nginx's 9001.
    const listening = claim('D5').evidence.attempts[0]!.find((e) => e.command.endsWith('ss -ltn'))!;
    expect(listening.stdout).toContain(':9001');
    expect(listening.stdout).not.toContain(':6001');
  });

  it("D6: the two containers have different addresses inside the compose network's subnet", () => {
    expect(claim('D6').verdict).toBe('confirmed');
    expect(claim('D6').outcome).toMatchObject({
      kind: 'fact',
      holds: true,
      observed: expect.stringMatching(new RegExp(`^nginx (\\S+), model_test (\\S+); np-${runId}-byname_default subnet \\d+\\.\\d+\\.\\d+\\.\\d+/\\d+$`)),
    });
    const [, nginx, flask] = /^nginx (\S+), model_test (\S+);/.exec((claim('D6').outcome as { observed: string }).observed)!;
    expect(nginx).not.toBe(flask);
  });

  it('D13: docker compose up made a new <project>_default network, labelled by compose and by the run', () => {
    expect(claim('D13').verdict).toBe('confirmed');
    expect(claim('D13').outcome).toMatchObject({ kind: 'fact', observed: expect.stringContaining(`np-${runId}-byname_default listed; absent before up; labelled com.docker.compose.network=default`) });
    // "every time `up` runs" (article 002): a second up of the same project keeps the network it has.
    expect(claim('D13').outcome).toMatchObject({ observed: expect.stringMatching(/; a second up of the project kept it \(same id, no new network\)$/) });
    const up = claim('D13').evidence.attempts[0]!.find((e) => / up --detach --wait /.test(e.command))!;
    expect(up.command).toContain(`NETPROOF_RUN=${runId}`);
    expect(up.command).toContain(`docker compose --project-name np-${runId}-byname --file `);
    const version = claim('D13').evidence.attempts[0]!.find((e) => e.command === 'docker compose version')!;
    expect(version.stdout).toMatch(/Docker Compose version v2\./);
  });

  it('the client resolves the service names through the project network', () => {
    const resolv = claim('D4').evidence.context.find((c) => c.command === `docker exec np-${runId}-byname-client-1 cat /etc/resolv.conf`)!;
    expect(resolv.stdout).toContain('nameserver 127.0.0.11');
  });

  it('sends nothing off the machine: the traffic guard stopped no packet', () => {
    expect(result.traffic.uplinks.length).toBeGreaterThan(0);
    expect(result.traffic.packetsStopped).toBe(0);
  });

  it('leaves nothing behind: containers, both compose networks, rules', async () => {
    expect(await leftovers(runId)).toEqual(nothingLeft);
    // Also what compose made, looked up by compose's own names rather than the run's label.
    const containers = await hostExec(['docker', 'ps', '-a', '--filter', `name=np-${runId}-`, '--format', '{{.Names}}']);
    const networks = await hostExec(['docker', 'network', 'ls', '--filter', `name=np-${runId}-`, '--format', '{{.Name}}']);
    expect(containers.stdout.trim() + networks.stdout.trim()).toBe('');
  });
});
