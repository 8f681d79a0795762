import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterExists, deleteKindCluster, kindCluster } from '../../src/environment/kind/kind-cluster.ts';
import { sharedClusterName } from '../../src/environment/kind/kind-lab.ts';
import { packetsStoppedFromKind } from '../../src/environment/kind/kind-network.ts';
import { ensureKindToolchain, type KindToolchain } from '../../src/environment/kind/node-image.ts';
import { noopLogger } from '../../src/log.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from '../integration/leftovers.ts';

/** The non-default CNI CI runs end to end: kube-router enforces NetworkPolicy, so K18 comes out differently from kindnet. */
const cni = 'kube-router';
const scenarios = ['k8s-network-policy', 'k8s-pod-network'] as const;
const claim = (result: ScenarioResult, id: string) => result.claims.find((c) => c.id === id)!;

/**
 * kube-router built from its Go module, installed from its own manifest on a
 * three-node cluster with zero pulls; the Kubernetes scenarios run on it
 * through NETPROOF_CNI, each claim conclusive, nothing sent off the machine,
 * nothing left behind.
 */
describe(`Kubernetes scenarios on ${cni}`, () => {
  const results = new Map<string, ScenarioResult>();
  const runIds = Object.fromEntries(scenarios.map((name, i) => [name, `cni${i}${Date.now().toString(36).slice(-5)}`]));
  const clusterName = sharedClusterName({ cni, workers: 2 });
  let toolchain: KindToolchain;
  let startedHere = false;
  const previous = process.env.NETPROOF_CNI;
  // The kind guard's DROP counter is shared by every lab cluster and lives as long as one does: count this file's own.
  let stoppedBefore = 0;
  let stoppedAfter = 0;

  beforeAll(async () => {
    process.env.NETPROOF_CNI = cni;
    toolchain = await ensureKindToolchain(noopLogger);
    stoppedBefore = await packetsStoppedFromKind();
    startedHere = !(await clusterExists(toolchain, clusterName));
    for (const name of scenarios) {
      results.set(name, await runScenario(await loadScenario(name), { logger: noopLogger, runId: runIds[name], keepCluster: true }));
    }
    stoppedAfter = await packetsStoppedFromKind();
  }, 1_800_000);

  afterAll(async () => {
    if (previous === undefined) delete process.env.NETPROOF_CNI;
    else process.env.NETPROOF_CNI = previous;
    if (startedHere && toolchain) await deleteKindCluster(clusterName, toolchain);
  }, 300_000);

  it('runs on kube-router, and says so in the fingerprint (which build, which kernel)', () => {
    const policy = results.get('k8s-network-policy')!;
    expect(policy.environment.cni).toMatch(/^kube-router/);
    if (startedHere) expect(policy.environment.cniSource).toMatch(/^kube-router v2\.1\.0, built here \(netproof\/kind-kube-router:[0-9a-f]{12}\); offline supply; kernel .* has CONFIG_IP_SET/);
  });

  it('K18: enforces the deny-ingress policy and then admits only the labelled client of the same namespace, every cell conclusive', () => {
    const k18 = claim(results.get('k8s-network-policy')!, 'K18');
    expect({ verdict: k18.verdict, outcome: k18.outcome }).toMatchObject({ verdict: 'confirmed', outcome: { kind: 'fact', holds: true, observed: expect.stringMatching(/^enforced by kube-router/) } });
    const detail = k18.attempts[0]!.detail!;
    expect(detail).toContain('— deny ingress —');
    expect(detail).toContain('findings (the API leaves these to the CNI):');
    // One np-probe per cell: 5 clients x 4 servers x 3 phases, each recorded with its output.
    expect(k18.evidence.attempts[0]!.filter((e) => e.command.includes('np-probe http'))).toHaveLength(60);
  });

  it('K16 and K17 are conclusive on kube-router: its conflist in /etc/cni/net.d, its bridge is kube-bridge, not cni0', () => {
    const network = results.get('k8s-pod-network')!;
    expect(claim(network, 'K16').verdict).toBe('confirmed');
    expect(claim(network, 'K17')).toMatchObject({ verdict: 'refuted', outcome: { kind: 'fact', holds: false } });
  });

  it('sent nothing off the machine, pulled nothing, and left nothing behind', async () => {
    const cluster = kindCluster(clusterName, toolchain);
    expect(stoppedAfter - stoppedBefore, 'packets the kind guard stopped while kube-router started and the scenarios ran').toBe(0);
    for (const [name, result] of results) {
      expect(await leftovers(runIds[name]!), name).toEqual(nothingLeft);
      for (const namespace of [`np-${runIds[name]}`, `np-${runIds[name]}-b`]) expect((await cluster.kubectl(['get', 'namespace', namespace])).exitCode, namespace).not.toBe(0);
    }
    const events = await cluster.kubectlOrThrow(['get', 'events', '-A', '--field-selector', 'reason=Pulling', '-o', 'name']);
    expect(events.stdout.trim()).toBe('');
  });
});
