import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterExists, deleteKindCluster, kindCluster } from '../../src/environment/kind/kind-cluster.ts';
import { sharedClusterName } from '../../src/environment/kind/kind-lab.ts';
import type { KindToolchain } from '../../src/environment/kind/node-image.ts';
import { noopLogger } from '../../src/log.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';
import { Lingering } from '../../src/lab/lingering.ts';
import { readRun } from '../../src/lab/run-registry.ts';
import { answeredBy, expectAsRecorded } from '../integration/findings.ts';
import { prepareKindTier, prepareTimeoutMs } from './prepare.ts';

const scenarios = ['k8s-host-db', 'k8s-pod-network', 'k8s-services', 'k8s-ingress'] as const;
const clusterSpec = { cni: 'kindnetd-lab', workers: 2 } as const;
/** The findings on kindnetd-lab (the lab's kindnet), per scenario and claim: "verdict (each attempt's outcome)". */
const expectedFile = fileURLToPath(new URL('expected-findings.json', import.meta.url));

/** Each attempt's outcome with who answered it (`http-status by web-…`, findings.ts' answeredBy): an answer from the wrong server is another finding. */
const findings = (result: ScenarioResult) =>
  Object.fromEntries(result.claims.map((c) => [c.id, `${c.verdict} (${c.attempts.map((a) => `${a.outcome.kind}${answeredBy(a)}`).join(', ')})`]));

/**
 * Every Kubernetes scenario, for real, on one shared kindnetd-lab cluster (reused
 * when the lab's runs, else started here and deleted at the end): each claim
 * conclusive with evidence, the findings as the golden table has them,
 * nothing sent off the machine, nothing left behind.
 */
describe('Kubernetes scenarios on the kindnetd-lab cluster', () => {
  const results = new Map<string, ScenarioResult>();
  const runIds = Object.fromEntries(scenarios.map((name, i) => [name, `k8st${i}${Date.now().toString(36).slice(-5)}`]));
  let toolchain: KindToolchain;
  let startedHere = false;
  const clusterName = sharedClusterName(clusterSpec);

  beforeAll(async () => {
    toolchain = await prepareKindTier({ addOns: true });
  }, prepareTimeoutMs);

  /** Whether each run was still registered once the batch's scenarios were done, before the batch's end waited for their namespaces. */
  const registeredBeforeTheEnd = new Map<string, boolean>();

  beforeAll(async () => {
    startedHere = !(await clusterExists(toolchain, clusterName));
    // As `--all` runs them: one batch, whose end waits for the namespaces the runs' teardowns started deleting.
    const lingering = new Lingering();
    for (const name of scenarios) {
      results.set(name, await runScenario(await loadScenario(name), { logger: noopLogger, runId: runIds[name], keepCluster: true, secrets: ['mysecretpassword'], lingering }));
    }
    for (const name of scenarios) registeredBeforeTheEnd.set(name, (await readRun(runIds[name]!)) !== undefined);
    await lingering.settle(noopLogger);
  // A cold Traefik build (k8s-ingress, first time only) takes up to 20 min on 2 cores.
  }, 2_700_000);

  afterAll(async () => {
    if (startedHere && toolchain) await deleteKindCluster(clusterName, toolchain);
  }, 300_000);

  it('gives every claim a conclusive verdict, each attempt with evidence (K26, about Cilium, says it does not apply here)', () => {
    for (const [name, result] of results) {
      for (const claim of result.claims) {
        const reasons = claim.attempts.flatMap((a) => (a.outcome.kind === 'check-failed' || a.outcome.kind === 'other' ? [JSON.stringify(a.outcome)] : []));
        if (claim.id === 'K26') {
          expect(claim.outcome).toMatchObject({ kind: 'check-failed', reason: 'not applicable here: the article says "Cilium: BPF-based", and this cluster runs kindnetd-lab' });
          continue;
        }
        expect(claim.verdict, `${name} ${claim.id}: ${claim.because ?? ''} ${reasons.join('; ')}`).toMatch(/^(confirmed|refuted)$/);
        for (const attempts of claim.evidence.attempts) expect(attempts.length, `${name} ${claim.id}: evidence`).toBeGreaterThan(0);
      }
    }
  });

  it('finds on kindnetd-lab what test/kind/expected-findings.json says', () => {
    expectAsRecorded(expectedFile, Object.fromEntries([...results].map(([name, result]) => [name, findings(result)])));
  });

  it('records the cluster in the fingerprint: versions, kube-proxy mode, nodes, CIDRs', () => {
    for (const result of results.values()) {
      expect(result.environment).toMatchObject({ kubernetes: expect.stringMatching(/^v1\.\d+/), kubeProxyMode: expect.stringMatching(/iptables|ipvs|nftables/), podCidr: '10.224.0.0/16', serviceCidr: '10.96.0.0/16' });
      expect(result.environment.nodes!.split('; ')).toHaveLength(3);
    }
  });

  it('answers pasteable kubectl exec evidence from pods', () => {
    const k5 = results.get('k8s-pod-network')!.claims.find((c) => c.id === 'K5')!;
    expect(k5.evidence.attempts[0]![0]!.command).toMatch(/^kubectl -n np-\w+ exec client -- np-probe http http:\/\/10\.224\./);
  });

  it("K14: pending without a load balancer; with MetalLB (L2) an address on the nodes' network, announced by a node whose MAC the outside client holds, answered by an lbweb pod", () => {
    const k14 = results.get('k8s-services')!.claims.find((c) => c.id === 'K14')!;
    const [control, pending, metallb] = k14.attempts;
    expect(control).toMatchObject({ role: 'control', outcome: { kind: 'fact', holds: true, observed: expect.stringMatching(/^metallb\.io not served; /) } });
    expect(pending!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringContaining('EXTERNAL-IP <pending>') });
    expect(metallb).toMatchObject({ from: 'outside', outcome: { kind: 'http-status', status: 200, server: expect.stringMatching(/^lbweb-/) } });
    expect(metallb!.detail).toMatch(/^MetalLB v0\.15\.2 \(L2\) assigned [\d.]+ from pool lab-pool .*; announced by (\S+) \(its ServiceL2Status\); kube-proxy there: -A KUBE-SERVICES -d [\d.]+\/32 .*lladdr [0-9a-f:]{17} \w+ = \1's MAC/);
  });

  it("leaves the last run's namespace deleting at the batch's end, the run registered until then (no other run's sweep takes it for dead)", () => {
    // A namespace takes at least 5 s to go; the last run's teardown ended at once.
    expect(registeredBeforeTheEnd.get(scenarios[scenarios.length - 1]!)).toBe(true);
  });

  it('sent nothing off the machine and left nothing behind once the batch ended: no namespace, no container, no rule', async () => {
    const cluster = kindCluster(clusterName, toolchain);
    for (const [name, result] of results) {
      expect(result.traffic.packetsStopped, name).toBe(0);
      expect(await leftovers(runIds[name]!), name).toEqual(nothingLeft);
      const namespace = await cluster.kubectl(['get', 'namespace', `np-${runIds[name]}`]);
      expect(namespace.exitCode, `namespace np-${runIds[name]}`).not.toBe(0);
      // K14 installs MetalLB (CRDs, cluster RBAC, a validating webhook) and removes it again.
      const clusterScoped = await cluster.kubectlOrThrow(['get', 'namespaces,crds,clusterroles,clusterrolebindings,validatingwebhookconfigurations', '-l', `netproof.run=${runIds[name]}`, '-o', 'name']);
      expect(clusterScoped.stdout.trim(), `labelled objects of run ${runIds[name]}`).toBe('');
      // K10 makes a web-svc in default, where the article's full name points.
      const inDefault = await cluster.kubectlOrThrow(['-n', 'default', 'get', 'deployments,services,pods', '-l', `netproof.run=${runIds[name]}`, '-o', 'name']);
      expect(inDefault.stdout.trim(), `objects of run ${runIds[name]} in default`).toBe('');
    }
    // imagePullPolicy Never: a missing image fails its pod (ErrImageNeverPull) instead of pulling; no Pulling event anywhere.
    const events = await cluster.kubectlOrThrow(['get', 'events', '-A', '--field-selector', 'reason=Pulling', '-o', 'name']);
    expect(events.stdout.trim()).toBe('');
  });
});
