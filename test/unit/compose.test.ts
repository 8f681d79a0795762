import { describe, expect, it } from 'vitest';
import { inSubnet, upstreamErrorLine } from '../../src/probes/compose-checks.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { asComposeProject, composeCommand } from '../../src/workloads/compose-project.ts';
import { machineEngine } from '../../src/environment/docker/index.ts';
import { hostSource } from '../../src/workloads/host-source.ts';

/** The compose scenario's pure parts: no engine, no compose. */
describe('compose helpers', () => {
  it('inSubnet: an address against a CIDR block', () => {
    expect(inSubnet('192.168.48.3', '192.168.48.0/20')).toBe(true);
    expect(inSubnet('192.168.63.254', '192.168.48.0/20')).toBe(true);
    expect(inSubnet('192.168.64.1', '192.168.48.0/20')).toBe(false);
    expect(inSubnet('172.18.0.2', '172.18.0.0/16')).toBe(true);
    expect(inSubnet('172.17.0.2', '172.18.0.0/16')).toBe(false);
  });

  it("upstreamErrorLine: the last upstream line of nginx's error log, without its timestamp", () => {
    const log = [
      '2026/05/08 06:10:01 [notice] 1#1: using the "epoll" event method',
      '2026/05/08 06:10:02 [error] 22#22: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.4, server: 10.1.55.220, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:6001/", host: "nginx:9001"',
      '',
    ].join('\n');
    expect(upstreamErrorLine(log)).toBe(
      '[error] 22#22: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.4, server: 10.1.55.220, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:6001/", host: "nginx:9001"',
    );
    expect(upstreamErrorLine('2026/05/08 06:10:01 [notice] 1#1: start worker processes\n')).toBeUndefined();
  });

  it('composeCommand: the variables the file interpolates, then the project and the file', () => {
    expect(composeCommand({ NETPROOF_RUN: 'ab12', NGINX_PROXY_PASS: 'http://model_test:6001' }, 'np-ab12-byname', '/x/compose.yaml', ['up', '--detach'])).toEqual([
      'env',
      'NETPROOF_RUN=ab12',
      'NGINX_PROXY_PASS=http://model_test:6001',
      'docker',
      'compose',
      '--project-name',
      'np-ab12-byname',
      '--file',
      '/x/compose.yaml',
      'up',
      '--detach',
    ]);
  });

  it('asComposeProject refuses a workload that is not a compose project', () => {
    expect(() => asComposeProject(hostSource(machineEngine))).toThrow('host is not a compose project workload');
  });

  it('the scenario tries D4, D5, D6, D13 from its two projects', async () => {
    const spec = await loadScenario('docker-compose-nginx-flask');
    expect(spec.claims.map((c) => [c.id, c.article, c.from, c.expect.label])).toEqual([
      ['D4', '001', 'byname', 'HTTP 200 from model_test'],
      ['D5', '001', 'loopback', 'HTTP 502'],
      ['D6', '001', 'byname', 'different IPs, same subnet'],
      ['D13', '002', 'byname', 'a new network'],
    ]);
    expect(Object.values(spec.workloads).flatMap((w) => w.images).sort()).toEqual(['flask', 'flask', 'nginx', 'nginx', 'toolbox', 'toolbox']);
  });
});
