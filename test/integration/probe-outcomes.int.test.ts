import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../src/environment/environment.ts';
import { userNetwork } from '../../src/environment/docker/lab-network.ts';
import { hostExec, hostExecOrThrow } from '../../src/exec/host-exec.ts';
import { vethPairOnBridge } from '../../src/probes/engine-checks.ts';
import { httpGet } from '../../src/probes/http-get.ts';
import { Found } from '../../src/probes/lab-value.ts';
import type { Probe } from '../../src/probes/probe.ts';
import { whileNoNetworkIsCreated } from '../../src/probes/quiet-engine.ts';
import { hostBridgeFor } from '../../src/probes/network-checks.ts';
import { tcpConnect } from '../../src/probes/tcp-connect.ts';
import { noopLogger } from '../../src/log.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import type { AttemptSpec } from '../../src/scenario/claim.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { defineScenario } from '../../src/scenario/scenario.ts';
import { Expect, type Expectation } from '../../src/verdict/expect.ts';
import { container } from '../../src/workloads/lab-container.ts';
import type { WorkloadSpec } from '../../src/workloads/workload.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';

/**
 * The probe contract on a real engine: each kind of outcome produced for
 * real (a reset, silence, no route, an unknown name, a fact that holds and
 * one that does not), and an environment broken on purpose — a workload
 * stopped, a network removed, a workload that cannot start — giving
 * inconclusive claims, never a verdict. Every target is lab-owned.
 */
const server = (network: string) => container({ image: 'toolbox', network, command: ['np-serve', '80'], listens: 80 });
const client = (network: string) => container({ image: 'toolbox', network });

/** Breaks the environment after the workloads it names have started: stops `victim`, removes the network `gone`. */
const breaker: WorkloadSpec = {
  description: 'stops victim and removes the network gone, once they exist',
  images: [],
  dependsOn: ['victim'],
  async start(name, env) {
    await hostExecOrThrow(['docker', 'stop', '--time', '0', env.workloads.victim!.containerName]);
    await hostExecOrThrow(['docker', 'network', 'rm', env.networks.gone!.id]);
    return { ...env.workloads.victim!, name, description: this.description };
  },
};

/**
 * Another run's network, as it were: a labelled network created 300 ms into
 * each of the attempt's first `times` tries (and removed after it), i.e.
 * while Docker 20.10 rewrites FORWARD's isolation jump.
 */
function createsANetworkDuring(probe: Probe, times: number, tag: string): Probe {
  let made = 0;
  return {
    ...probe,
    async run(source, env) {
      if (made >= times) return probe.run(source, env);
      const name = `np-${env.run.id}-${tag}${made++}`;
      const labels = Object.entries(env.run.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
      const creating = new Promise((resolve) => setTimeout(resolve, 300)).then(() => hostExecOrThrow(['docker', 'network', 'create', ...labels, name]));
      const observed = await probe.run(source, env);
      await creating;
      await hostExecOrThrow(['docker', 'network', 'rm', name]);
      return observed;
    },
  };
}
const isolatedPeer = () => tcpConnect(Found.addressOf('quiet-web', 'quiet'), 80, { timeoutSeconds: 2 });
const answeringPeer = () => tcpConnect(Found.addressOf('web'), 80);
/**
 * An answered attempt disturbed in its first try, and one disturbed in every try (each set aside);
 * an unanswered one disturbed, which stands (a disturbance only lets packets through).
 */
const disturbed: AttemptSpec[] = [
  { ...whileNoNetworkIsCreated(createsANetworkDuring(answeringPeer(), 1, 'once')), from: 'client', expect: Expect.connects },
  { ...whileNoNetworkIsCreated(createsANetworkDuring(answeringPeer(), 3, 'always')), from: 'client', expect: Expect.connects },
  whileNoNetworkIsCreated(createsANetworkDuring(isolatedPeer(), 1, 'quiet')),
];

const claim = (id: string, from: string, expect: Expectation, attempt: AttemptSpec) => ({ id, article: '002', from, says: `negative control ${id}`, expect, attempts: [attempt], why: {} });

const outcomes = defineScenario({
  name: 'probe-outcomes',
  title: 'every outcome, for real',
  environment: docker(),
  networks: { quiet: userNetwork({ options: { 'com.docker.network.bridge.enable_icc': 'false' } }), gone: userNetwork() },
  workloads: {
    web: server('bridge'),
    client: client('bridge'),
    'quiet-web': server('quiet'),
    'quiet-client': client('quiet'),
    isolated: container({ image: 'toolbox', network: 'none' }),
    victim: client('bridge'),
    breaker,
  },
  claims: [
    claim('T-success', 'client', Expect.connects, tcpConnect(Found.addressOf('web'), 80)),
    claim('T-http', 'client', Expect.httpFrom(200, 'web'), httpGet(Found.addressOf('web'), 80)),
    claim('T-refused', 'client', Expect.refused, tcpConnect(Found.addressOf('web'), 81)),
    claim('T-timeout', 'quiet-client', Expect.unreachable, tcpConnect(Found.addressOf('quiet-web', 'quiet'), 80, { timeoutSeconds: 2 })),
    claim('T-no-route', 'isolated', Expect.unreachable, tcpConnect(Found.bridgeGateway, 80)),
    claim('T-dns', 'client', Expect.noName, tcpConnect('no-such-lab-name', 80)),
    claim('T-fact-holds', 'client', Expect.holds('veth on docker0'), vethPairOnBridge('docker0')),
    claim('T-fact-not', 'client', Expect.holds('veth on a bridge it is not on'), vethPairOnBridge('br-000000000000')),
    claim('T-stopped', 'victim', Expect.connects, tcpConnect(Found.addressOf('web'), 80)),
    // One claim, its attempts in order: no other claim of this scenario creates a network meanwhile.
    { ...claim('T-disturbed', 'quiet-client', Expect.unreachable, disturbed[0]!), attempts: disturbed },
    claim('T-removed', 'host', Expect.holds('a br-<id> bridge exists'), hostBridgeFor('gone')),
  ],
});

describe('probe outcomes on a real engine', () => {
  let result: ScenarioResult;
  const runId = `po${process.pid}`;
  const of = (id: string) => result.claims.find((c) => c.id === id)!;

  beforeAll(async () => {
    result = await runScenario(outcomes, { logger: noopLogger, runId });
  }, 180_000);

  it.each([
    ['T-success', 'success', 'confirmed'],
    ['T-http', 'http-status', 'confirmed'],
    ['T-refused', 'refused', 'confirmed'],
    ['T-timeout', 'timeout', 'confirmed'],
    ['T-no-route', 'no-route', 'confirmed'],
    ['T-dns', 'dns', 'confirmed'],
    ['T-fact-holds', 'fact', 'confirmed'],
    ['T-fact-not', 'fact', 'refuted'],
  ])('%s is observed as %s and judged %s', (id, kind, verdict) => {
    expect(of(id).outcome.kind).toBe(kind);
    expect(of(id).verdict).toBe(verdict);
    expect(of(id).evidence.attempts[0]!.length).toBeGreaterThan(0);
  });

  it('names the server that answered', () => {
    expect(of('T-http').attempts[0]!.answeredBy).toBe(`np-${runId}-web`);
  });

  it('a stopped workload and a removed network give check-failed, so the claims are inconclusive', () => {
    expect(of('T-stopped').outcome.kind).toBe('check-failed');
    expect(of('T-stopped').verdict).toBe('inconclusive');
    expect(of('T-removed').outcome).toMatchObject({ kind: 'check-failed', reason: expect.stringMatching(/network .* on the engine/) });
    expect(of('T-removed').verdict).toBe('inconclusive');
  });

  it('an isolation attempt during which a network was created is tried again, and never judged while every try was disturbed', () => {
    const [once, always, quiet] = of('T-disturbed').attempts;
    const eventsRead = (attempt: number) => of('T-disturbed').evidence.attempts[attempt]!.filter((e) => e.command.startsWith('docker events'));
    expect(once).toMatchObject({ verdict: 'confirmed', outcome: { kind: 'success' } });
    expect(once!.detail).toMatch(new RegExp(`try 1 \\(success\\) set aside: network\\(s\\) np-${runId}-once0 created meanwhile; no Docker network created during try 2`));
    expect(eventsRead(0)).toHaveLength(2);
    expect(always).toMatchObject({ verdict: 'inconclusive', outcome: { kind: 'check-failed', reason: expect.stringMatching(/created on the engine during each of 3 tries \(np-\w+-always0; np-\w+-always1; np-\w+-always2\)/) } });
    // Unanswered while a network was being created: it stands, and the events are not read.
    expect(quiet).toMatchObject({ verdict: 'confirmed', outcome: { kind: 'timeout' } });
    expect(quiet!.detail).toMatch(/unanswered: a network created meanwhile could only have let the packets through for a moment/);
    expect(eventsRead(2)).toHaveLength(0);
    expect(of('T-disturbed').verdict).toBe('inconclusive');
  });

  it('sent nothing off the machine and left nothing', async () => {
    expect(result.traffic.packetsStopped).toBe(0);
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });
});

describe('a workload that cannot start', () => {
  const runId = `pf${process.pid}`;
  let result: ScenarioResult;

  afterAll(async () => {
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });

  it('leaves every claim inconclusive and marks the run a harness failure', async () => {
    const failing: WorkloadSpec = {
      description: 'a container whose command fails',
      images: ['toolbox'],
      async start(_name, env) {
        await hostExecOrThrow(['docker', 'run', '--rm', '--network', 'none', '--label', `netproof.run=${env.run.id}`, env.images.toolbox, 'false']);
        throw new Error('unreachable: docker run false must fail');
      },
    };
    result = await runScenario(
      defineScenario({
        name: 'cannot-start',
        title: 'a workload that cannot start',
        environment: docker(),
        workloads: { client: client('bridge'), failing },
        claims: [claim('T-untried', 'client', Expect.connects, tcpConnect(Found.addressOf('client'), 80))],
      }),
      { logger: noopLogger, runId },
    );
    expect(result.harnessFailure).toMatch(/starting failing/);
    expect(result.claims.map((c) => [c.verdict, c.outcome.kind])).toEqual([['inconclusive', 'check-failed']]);
    expect((await hostExec(['docker', 'ps', '-aq', '--filter', `label=netproof.run=${runId}`])).stdout.trim()).toBe('');
  }, 120_000);
});
