import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterExists, deleteKindCluster, kindCluster } from '../../src/environment/kind/kind-cluster.ts';
import { sharedClusterName } from '../../src/environment/kind/kind-lab.ts';
import { packetsStoppedFromKind } from '../../src/environment/kind/kind-network.ts';
import type { KindToolchain } from '../../src/environment/kind/node-image.ts';
import { noopLogger } from '../../src/log.ts';
import { policyCases } from '../../src/netpol/cases.ts';
import { laneSuffix, matrixNamespaces } from '../../src/netpol/matrix.ts';
import { policyLanes } from '../../src/probes/network-policy.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from '../integration/leftovers.ts';
import { enforcingCni } from '../tiers.ts';
import { prepareKindTier, prepareTimeoutMs } from './prepare.ts';

const cni = enforcingCni;
const scenarios = ['k8s-network-policy', 'k8s-pod-network'] as const;
const claim = (result: ScenarioResult, id: string) => result.claims.find((c) => c.id === id)!;

/**
 * kube-router built from its Go module, installed from its own manifest on a
 * three-node cluster with zero pulls; the Kubernetes scenarios run on it
 * as the CLI hands its --cni down (runScenario's environment), each claim
 * conclusive, nothing sent off the machine, nothing left behind.
 */
describe(`Kubernetes scenarios on ${cni}`, () => {
  const results = new Map<string, ScenarioResult>();
  const runIds = Object.fromEntries(scenarios.map((name, i) => [name, `cni${i}${Date.now().toString(36).slice(-5)}`]));
  const clusterName = sharedClusterName({ cni, workers: 2 });
  let toolchain: KindToolchain;
  let startedHere = false;
  // The kind guard's DROP counter is shared by every lab cluster and lives as long as one does: count this file's own.
  let stoppedBefore = 0;
  let stoppedAfter = 0;

  beforeAll(async () => {
    toolchain = await prepareKindTier();
  }, prepareTimeoutMs);

  beforeAll(async () => {
    stoppedBefore = await packetsStoppedFromKind();
    startedHere = !(await clusterExists(toolchain, clusterName));
    for (const name of scenarios) {
      results.set(name, await runScenario(await loadScenario(name), { logger: noopLogger, runId: runIds[name], keepCluster: true, environment: { cni } }));
    }
    stoppedAfter = await packetsStoppedFromKind();
  }, 1_800_000);

  afterAll(async () => {
    if (startedHere && toolchain) await deleteKindCluster(clusterName, toolchain);
  }, 300_000);

  it('runs on kube-router, read from the nodes, and says so in the fingerprint (which build, which kernel) and the explanations', async () => {
    const policy = results.get('k8s-network-policy')!;
    expect(policy.environment.cni).toMatch(/^kube-router/);
    expect(policy.environment.cluster).toMatch(new RegExp(`^${clusterName} `));
    const labels = await kindCluster(clusterName, toolchain).kubectlOrThrow(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.labels.netproof\\.cni}']);
    expect(labels.stdout.split(' ')).toEqual(['kube-router', 'kube-router', 'kube-router']);
    expect(claim(results.get('k8s-pod-network')!, 'K8').explanation).toContain("kube-router learns each node's pod CIDR over BGP");
    if (startedHere) expect(policy.environment.cniSource).toMatch(/^kube-router v2\.1\.0, built here \(netproof\/kind-kube-router:[0-9a-f]{12}\); offline supply; kernel .* has CONFIG_IP_SET/);
  });

  it('K18: not judged on kube-router (the article speaks of Calico), the conformance suite a finding: every case a conclusive verdict against the model', () => {
    const k18 = claim(results.get('k8s-network-policy')!, 'K18');
    expect(k18.verdict).toBe('inconclusive');
    expect(k18.outcome).toMatchObject({ kind: 'check-failed', reason: expect.stringMatching(/^not applicable here: .* this cluster runs kube-router .* the suite on kube-router is a finding: /) });
    const detail = k18.attempts[0]!.detail!;
    const rows = detail.split('\n').filter((line) => /^[a-z0-9-]+ +\d+\.\d s  /.test(line));
    expect(rows).toHaveLength(policyCases.length);
    for (const row of rows) expect(row).toMatch(/ s  (conformant|not enforced|partly)/);
    // kube-router filters with iptables: in every case that blocks a TCP cell (all but allow-all-ingress and allow-all-egress) one is probed
    // again under the kernel's trace on its nodes, and the trace names kube-router's rule that stopped it.
    const traced = detail.split('\n').filter((line) => line.startsWith('traced: '));
    expect(traced).toHaveLength(policyCases.length - 2);
    for (const line of traced) expect(line).toMatch(/^traced: [xyz]\/[abc]→[xyz]\/[abc] 8[01]\/TCP again, (refused|timeout): (rejected|dropped) in node worker2? by filter KUBE-[A-Z0-9-]+: `-4 -t filter -A KUBE-/);
    // One np-probe batch per source per matrix (9 pods + 2 node clients), for each lane's no-policy matrix and each case's settled one; one per traced cell.
    expect(detail).toContain(policyLanes === 1 ? 'one lane (the cases one after another)' : `${policyLanes} lanes`);
    expect(detail.split('\n').filter((line) => /^lane \d of \d \(namespaces /.test(line))).toHaveLength(policyLanes === 1 ? 0 : policyCases.length);
    expect(k18.evidence.attempts[0]!.filter((e) => e.command.includes('np-probe batch'))).toHaveLength(11 * (policyCases.length + policyLanes) + traced.length);
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
      for (const namespace of [`np-${runIds[name]}`, ...matrixNamespaces.flatMap((ns) => Array.from({ length: policyLanes }, (_, i) => `np-${runIds[name]}-${ns}${laneSuffix(i + 1)}`))]) expect((await cluster.kubectl(['get', 'namespace', namespace])).exitCode, namespace).not.toBe(0);
    }
    const events = await cluster.kubectlOrThrow(['get', 'events', '-A', '--field-selector', 'reason=Pulling', '-o', 'name']);
    expect(events.stdout.trim()).toBe('');
  });
});
