import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleSource } from '../../src/report/html/article-source.ts';
import { arrowEnd, arrowsFor } from '../../src/report/html/arrows.ts';
import { renderCompareHtml, type CompareMatrix } from '../../src/report/html/compare-page.ts';
import { renderScenarioHtml } from '../../src/report/html/scenario-page.ts';
import { renderJunit } from '../../src/report/junit.ts';
import type { AttemptResult, ClaimResult, ScenarioResult } from '../../src/report/result.ts';
import { appendStepSummary, compareSummary, scenarioSummary } from '../../src/report/step-summary.ts';
import { buildTopology } from '../../src/report/topology.ts';
import type { StartedWorkload, WorkloadPlace } from '../../src/workloads/workload.ts';
import { scenarioResult } from '../fixtures/scenario-result.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

const workload = (name: string, addresses: Record<string, string>, place?: WorkloadPlace): StartedWorkload => ({
  name,
  description: `${name} workload`,
  containerName: `np-t-${name}`,
  addresses,
  place,
  exec: () => Promise.reject(new Error('not in a unit test')),
  contextCommands: [],
});
const facts = { serverVersion: '20.10.24', bridgeGateway: '172.17.0.1', bridgeSubnet: '172.17.0.0/16', hostInterface: 'eth0', hostAddress: '10.9.0.5', natRulesAtStart: scenarioResult.claims[0]!.evidence.context[0]!, components: 'containerd 1.6.20', firewallBackend: 'iptables' as const, gatewayMode: 'nat (the default; no gateway_mode_ipv4 option)', userlandProxy: 'true (the default)' };
const hostInterfaces = [
  { ifname: 'eth0', addr_info: [{ local: '10.9.0.5', prefixlen: 24 }] },
  { ifname: 'docker0', addr_info: [{ local: '172.17.0.1', prefixlen: 16 }] },
  { ifname: 'br-0123456789ab', addr_info: [{ local: '172.20.0.1', prefixlen: 16 }] },
  { ifname: 'np-t-h', addr_info: [{ local: '198.18.0.1', prefixlen: 24 }] },
];

/** docker-port-publishing's lab: a published server, a client in the host's namespace, a LAN router and two outside clients. */
const portPublishing = buildTopology(
  {
    facts,
    networks: {},
    workloads: {
      web: workload('web', { bridge: '172.17.0.2' }),
      'on-host': workload('on-host', {}, { kind: 'host-netns' }),
      router: workload('router', { lan: '198.18.0.254' }, { kind: 'router' }),
      outside: workload('outside', { lan: '198.18.0.10' }, { kind: 'outside-client' }),
      'outside-routed': workload('outside-routed', { lan: '198.18.0.11' }, { kind: 'outside-client' }),
    },
  },
  hostInterfaces,
);

/** docker-two-hosts' lab: two Docker hosts on a user network, each numbering its own docker0 from 172.17.0.2. */
const twoHosts = buildTopology(
  {
    facts,
    networks: { lan: { name: 'lan', dockerName: 'np-t-lan', id: '0123456789abcdef', bridge: 'br-0123456789ab', subnet: '172.20.0.0/16', gateway: '172.20.0.1' } },
    workloads: {
      hostA: workload('hostA', { lan: '172.20.0.2' }, { kind: 'docker-host' }),
      hostB: workload('hostB', { lan: '172.20.0.3' }, { kind: 'docker-host' }),
      client: workload('client', { bridge: '172.17.0.2' }, { kind: 'container', on: 'hostA' }),
      web1: workload('web1', { bridge: '172.17.0.2' }, { kind: 'container', on: 'hostB' }),
      web2: workload('web2', { bridge: '172.17.0.3' }, { kind: 'container', on: 'hostB' }),
    },
  },
  hostInterfaces,
);

const attempt = (host: string | undefined, outcome: AttemptResult['outcome'], verdict: AttemptResult['verdict'], from?: string): AttemptResult => ({
  connection: host ? `GET http://${host}:80/` : 'a check',
  from,
  target: host ? { host, port: 80 } : undefined,
  expected: 'HTTP 200',
  outcome,
  verdict,
  explanation: 'because',
  durationMs: 12,
});
const claim = (id: string, from: string, attempts: AttemptResult[], verdict: ClaimResult['verdict']): ClaimResult => ({
  ...scenarioResult.claims[0]!,
  id,
  from,
  verdict,
  attempts,
  evidence: { attempts: attempts.map(() => []), context: [] },
});

describe('topology', () => {
  const node = (topology: typeof portPublishing, id: string) => topology.nodes.find((n) => n.id === id);

  it('puts the router and outside clients outside the host, on a LAN the host joins through its veth', () => {
    expect(node(portPublishing, 'w:router')).toMatchObject({ kind: 'router', parent: undefined });
    expect(node(portPublishing, 'w:outside')).toMatchObject({ kind: 'outside-client', parent: undefined });
    expect(node(portPublishing, 'w:web')).toMatchObject({ kind: 'container', parent: 'host' });
    expect(node(portPublishing, 'w:on-host')).toMatchObject({ kind: 'host-netns', parent: 'host' });
    expect(portPublishing.links).toContainEqual({ from: 'host:ns', to: 'lan:lan', label: 'np-t-h 198.18.0.1' });
    expect(portPublishing.links).toContainEqual({ from: 'w:web', to: 'host:net:bridge', label: '172.17.0.2' });
    expect(node(portPublishing, 'host:ns')?.addresses).toContain('198.18.0.1');
  });

  it('nests each Docker host in the lab host, with its own docker0 holding its own containers', () => {
    expect(node(twoHosts, 'w:hostA')).toMatchObject({ kind: 'docker-host', parent: 'host' });
    expect(node(twoHosts, 'w:client')).toMatchObject({ parent: 'w:hostA' });
    expect(node(twoHosts, 'w:web2')).toMatchObject({ parent: 'w:hostB' });
    expect(twoHosts.links).toContainEqual({ from: 'w:client', to: 'w:hostA:net:bridge', label: '172.17.0.2' });
    expect(twoHosts.links).toContainEqual({ from: 'w:web1', to: 'w:hostB:net:bridge', label: '172.17.0.2' });
    expect(twoHosts.links).toContainEqual({ from: 'w:hostA:ns', to: 'host:net:lan', label: '172.20.0.2' });
  });
});

describe('arrows', () => {
  it('finds a target address on the source’s own machine first: 172.17.0.2 on host A is the client itself', () => {
    const { arrows } = arrowsFor(
      [claim('D20', 'client', [attempt('172.17.0.3', { kind: 'fact', holds: true, observed: 'no-route: nobody' }, 'confirmed'), attempt('172.17.0.2', { kind: 'fact', holds: true, observed: 'refused: itself' }, 'confirmed')], 'confirmed')],
      twoHosts,
    );
    expect(arrows.map((a) => [a.from, a.to, a.end])).toEqual([
      ['w:client', 'w:web2', 'no-route'],
      ['w:client', 'w:client', 'refused'],
    ]);
  });

  it('draws one arrow per attempt with a target, from the attempt’s own source; unknown addresses get a node', () => {
    const { arrows, extraNodes } = arrowsFor(
      [claim('D17', 'on-host', [attempt('172.17.0.2', { kind: 'http-status', status: 200 }, 'confirmed'), attempt('172.17.0.2', { kind: 'no-route' }, 'confirmed', 'outside'), attempt(undefined, { kind: 'fact', holds: true, observed: 'rule' }, 'confirmed'), attempt('172.31.9.9', { kind: 'timeout', afterMs: 5000 }, 'refuted', 'outside-routed')], 'refuted')],
      portPublishing,
    );
    expect(arrows.map((a) => [a.id, a.from, a.to, a.end, a.verdict])).toEqual([
      ['attempt-D17-1', 'w:on-host', 'w:web', 'answered', 'confirmed'],
      ['attempt-D17-2', 'w:outside', 'w:web', 'no-route', 'confirmed'],
      ['attempt-D17-4', 'w:outside-routed', 'addr:172.31.9.9', 'timeout', 'refuted'],
    ]);
    expect(extraNodes.map((n) => n.id)).toEqual(['addr:172.31.9.9']);
  });

  it('reads the connection’s own outcome out of a fact about it', () => {
    expect(arrowEnd({ kind: 'fact', holds: true, observed: 'http-status(200) from np-x-web1: answered' })).toBe('answered');
    expect(arrowEnd({ kind: 'fact', holds: true, observed: 'bridge 172.17.0.0/16' })).toBe('unchecked');
    expect(arrowEnd({ kind: 'check-failed', reason: 'x' })).toBe('unchecked');
  });
});

describe('the HTML report', () => {
  const result: ScenarioResult = {
    ...scenarioResult,
    scenario: 'docker-port-publishing',
    topology: portPublishing,
    claims: [
      claim('D17', 'on-host', [attempt('172.17.0.2', { kind: 'http-status', status: 200 }, 'confirmed'), attempt('172.17.0.2', { kind: 'refused' }, 'refuted', 'outside-routed')], 'refuted'),
      claim('D18', 'outside', [attempt('198.18.0.1', { kind: 'http-status', status: 200 }, 'confirmed'), attempt(undefined, { kind: 'fact', holds: true, observed: 'a <DNAT> rule' }, 'confirmed')], 'confirmed'),
    ],
  };

  it('is one file: inline SVG with an arrow per targeted attempt, nothing that loads from elsewhere', async () => {
    const page = await renderScenarioHtml(result);
    expect(page.match(/class="edge attempt /g)).toHaveLength(3);
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/);
    expect(page).not.toContain('<?xml');
    expect(page).not.toContain('<!DOCTYPE svg');
    expect(page).toContain('a &lt;DNAT&gt; rule');
    expect(page).toMatch(/<section class="claim verdict-refuted" id="claim-D17"/);
  });

  it('names the article file and the section a quoted sentence is in', () => {
    const source = articleSource('002', "Docker Network는 같은 호스트에서만 구성이 가능하다 … (결론: Overlay Network add-on 도입이 필요하다.)");
    expect(source.file).toMatch(/^002_/);
    expect(source.section).toBe('4.4. 한계');
  });
});

describe('the comparison page', () => {
  const matrix: CompareMatrix = {
    title: 'kind CNIs',
    columns: ['kindnet', 'calico'],
    rows: [
      { claim: 'K1', cells: { kindnet: { verdict: 'confirmed' }, calico: { verdict: 'confirmed' } } },
      { claim: 'K5', says: 'NetworkPolicy denies', cells: { kindnet: { verdict: 'refuted', href: 'kind-netpol-kindnet.html#claim-K5' }, calico: { verdict: 'confirmed', href: 'kind-netpol-calico.html#claim-K5' } } },
    ],
  };

  it('puts differing rows first and links each cell to its evidence', () => {
    const page = renderCompareHtml(matrix);
    expect(page.indexOf('id="row-K5"')).toBeLessThan(page.indexOf('id="row-K1"'));
    expect(page).toContain('href="kind-netpol-kindnet.html#claim-K5"');
    expect(compareSummary(matrix).split('\n')[4]).toBe('| K5 (differs) | refuted | confirmed |');
  });
});

describe('CI outputs', () => {
  it('JUnit strips terminal codes and characters XML forbids, and keeps line breaks as references', () => {
    const noisy: ScenarioResult = {
      ...scenarioResult,
      claims: [{ ...scenarioResult.claims[0]!, attempts: [{ ...scenarioResult.claims[0]!.attempts[0]!, explanation: 'bad\u001b[31m red\u001b[0m\u0000\u0007 bytes\nnext line \ud800' }] }],
    };
    const xml = renderJunit(noisy);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain('bad red\ufffd\ufffd bytes&#10;next line \ufffd');
  });

  it('appends the claims table to GITHUB_STEP_SUMMARY only when it is set', async () => {
    const path = join(await temporaryDirectory('np-summary-'), 'summary.md');
    await expect(appendStepSummary(scenarioSummary(scenarioResult), {})).resolves.toBeUndefined();
    await appendStepSummary(scenarioSummary(scenarioResult), { GITHUB_STEP_SUMMARY: path });
    const written = await readFile(path, 'utf8');
    expect(written).toContain('### netproof: docker-host-db');
    expect(written).toContain('| claim | connection string | expected | observed | verdict | time |');
  });
});

describe('topology of a kind cluster', () => {
  const node = (name: string, role: 'control-plane' | 'worker', address: string, podCidr: string) => ({ name, role, address, podCidr });
  const kind = {
    facts: { nodes: [node('netproof-control-plane', 'control-plane', '172.18.0.2', '10.244.0.0/24'), node('netproof-worker', 'worker', '172.18.0.3', '10.244.1.0/24')] },
  } as unknown as NonNullable<Parameters<typeof buildTopology>[0]['kind']>;
  const topology = buildTopology(
    {
      facts,
      networks: {},
      kind,
      workloads: {
        client: workload('client', { pod: '10.244.1.5', node: '172.18.0.3' }, { kind: 'pod' }),
        web: workload('web', { pod: '10.244.1.7', node: '172.18.0.3', clusterIP: '10.96.20.1' }, { kind: 'pod' }),
      },
    },
    [...hostInterfaces, { ifname: 'br-kind0000000', addr_info: [{ local: '172.18.0.1', prefixlen: 16 }] }],
  );

  it('draws the nodes as machines on the kind network, each holding its pods; a Service IP leads to its pods', async () => {
    expect(topology.nodes.find((n) => n.id === 'kind:netproof-worker')).toMatchObject({ kind: 'kind-node', parent: 'host' });
    expect(topology.nodes.find((n) => n.id === 'w:client')).toMatchObject({ kind: 'pod', parent: 'kind:netproof-worker', addresses: ['10.244.1.5'] });
    expect(topology.links).toContainEqual({ from: 'w:client', to: 'kind:netproof-worker:ns', label: '10.244.1.5' });
    expect(topology.links).toContainEqual({ from: 'kind:netproof-worker:ns', to: 'host:net:br-kind0000000', label: '172.18.0.3' });
    const { arrows } = arrowsFor([claim('K10', 'client', [attempt('10.96.20.1', { kind: 'http-status', status: 200 }, 'confirmed'), attempt('172.18.0.2', { kind: 'refused' }, 'confirmed')], 'confirmed')], topology);
    expect(arrows.map((a) => a.to)).toEqual(['w:web', 'kind:netproof-control-plane:ns']);
    const page = await renderScenarioHtml({ ...scenarioResult, topology, claims: [claim('K10', 'client', [attempt('10.96.20.1', { kind: 'http-status', status: 200 }, 'confirmed')], 'confirmed')] });
    expect(page).toContain('id="machine&#45;kind:netproof&#45;worker" class="cluster"');
    expect(page.match(/class="edge attempt /g)).toHaveLength(1);
  });

  it("folds a many-line detail (K18's per-case matrices) under its first line, keeping its columns", async () => {
    const withMatrix = { ...attempt('10.96.20.1', { kind: 'check-failed', reason: 'not applicable here' }, 'inconclusive'), detail: 'CNI kindnet; 26 cases\n— 80/TCP —\n     1 2\nx/a  . X' };
    const page = await renderScenarioHtml({ ...scenarioResult, topology, claims: [claim('K18', 'client', [withMatrix], 'inconclusive')] });
    expect(page).toContain('<details><summary class="muted">CNI kindnet; 26 cases</summary><pre>— 80/TCP —\n     1 2\nx/a  . X</pre></details>');
  });
});

describe('topology of two compose projects', () => {
  const service = (name: string, project: string, address: string): StartedWorkload => ({ ...workload(name, { default: address }), containerName: `${project}-${name}-1` });
  const project = (name: string, subnet: string) => {
    const services = { client: service('client', `np-t-${name}`, `${subnet}.4`), nginx: service('nginx', `np-t-${name}`, `${subnet}.3`), model_test: service('model_test', `np-t-${name}`, `${subnet}.2`) };
    return { ...services.client, name, services };
  };
  const topology = buildTopology(
    { facts, networks: {}, workloads: { byname: project('byname', '172.30.1'), loopback: project('loopback', '172.30.2') } },
    [...hostInterfaces, { ifname: 'br-aaaaaaaaaaaa', addr_info: [{ local: '172.30.1.1', prefixlen: 24 }] }, { ifname: 'br-bbbbbbbbbbbb', addr_info: [{ local: '172.30.2.1', prefixlen: 24 }] }],
    't',
  );

  it("draws each project's services on its own bridge, and an arrow to a service name goes to the source's own project", () => {
    expect(topology.links).toContainEqual({ from: 'w:byname/nginx', to: 'host:net:br-aaaaaaaaaaaa', label: '172.30.1.3' });
    expect(topology.links).toContainEqual({ from: 'w:loopback/nginx', to: 'host:net:br-bbbbbbbbbbbb', label: '172.30.2.3' });
    const { arrows } = arrowsFor(
      [
        claim('D4', 'byname', [{ ...attempt('nginx', { kind: 'http-status', status: 200 }, 'confirmed'), answeredBy: 'np-t-model_test' }], 'confirmed'),
        claim('D5', 'loopback', [attempt('nginx', { kind: 'http-status', status: 502 }, 'confirmed')], 'confirmed'),
      ],
      topology,
    );
    expect(arrows.map((a) => [a.from, a.to])).toEqual([
      ['w:byname', 'w:byname/model_test'],
      ['w:loopback', 'w:loopback/nginx'],
    ]);
  });
});
