import { describe, expect, it } from 'vitest';
import { bundledManifestFrom } from '../../src/environment/kind/cni/install-cni.ts';
import type { ClusterState, PreCniRecord } from '../../src/environment/kind/index.ts';
import type { Outcome } from '../../src/outcome/outcome.ts';
import { afterCniNetwork, beforeCniNoNetwork, cniConfigBeforeCni } from '../../src/probes/pre-cni-checks.ts';
import type { ClaimSpec } from '../../src/scenario/claim.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { claimVerdict, judge } from '../../src/verdict/verdict.ts';

// What netproof-kindnet's creation recorded (kube-system/netproof-pre-cni, 2026-12-06), trimmed to two nodes.
const notReady = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
const before: ClusterState = {
  observedAt: '2026-12-06T23:12:27.113Z',
  nodes: [
    { node: 'np-control-plane', ready: 'False', reason: 'KubeletNotReady', message: notReady },
    { node: 'np-worker', ready: 'False', reason: 'KubeletNotReady', message: `[${notReady}, CSINode is not yet initialized]` },
  ],
  cniDir: [{ node: 'np-control-plane', files: [] }, { node: 'np-worker', files: [] }],
  pod: { name: 'netproof-pre-cni-pod', node: 'np-worker', phase: 'Pending', podIp: '', events: [`NetworkNotReady: network is not ready: ${notReady}`] },
};
const after: ClusterState = {
  observedAt: '2026-12-06T23:13:03.065Z',
  nodes: before.nodes.map((n) => ({ ...n, ready: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' })),
  cniDir: before.cniDir.map((d) => ({ ...d, files: ['10-kindnet.conflist'] })),
  pod: { ...before.pod, phase: 'Running', podIp: '10.244.1.3', events: [...before.pod.events, 'Started: Started container wait'] },
};
const record: PreCniRecord = { cluster: 'np', cni: 'kindnet', before, after };

describe('K24: no pod network before a CNI (the record of the cluster\'s creation)', () => {
  it('holds on what kindnet\'s cluster recorded: every node NotReady for the network plugin, the pod with no network; dated and named', () => {
    const found = beforeCniNoNetwork(record);
    expect(found.holds).toBe(true);
    expect(found.observed).toContain('before the CNI (2026-12-06T23:12:27.113Z, while np was made, kindnet)');
    expect(found.observed).toContain('control-plane Ready=False (KubeletNotReady: container runtime network not ready');
    expect(found.observed).toContain('pod netproof-pre-cni-pod on worker: Pending, no pod IP');
    expect(found.detail).toContain('NetworkNotReady: network is not ready');
  });

  it('is refuted by a node Ready before the CNI, or by the pod given an IP (Kubernetes networking pods by itself)', () => {
    expect(beforeCniNoNetwork({ ...record, before: { ...before, nodes: [{ ...before.nodes[0]!, ready: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }, before.nodes[1]!] } }).holds).toBe(false);
    expect(beforeCniNoNetwork({ ...record, before: { ...before, pod: { ...before.pod, phase: 'Running', podIp: '10.244.1.2', events: ['Started: Started container wait'] } } }).holds).toBe(false);
  });

  it('leaves unjudged what says nothing of the network: a node NotReady for another reason, a pod the kubelet had not yet spoken of', () => {
    expect(() => beforeCniNoNetwork({ ...record, before: { ...before, nodes: before.nodes.map((n) => ({ ...n, message: 'Kubelet stopped posting node status.' })) } })).toThrow(/no node held back by its network/);
    expect(() => beforeCniNoNetwork({ ...record, before: { ...before, pod: { ...before.pod, events: [] } } })).toThrow(/the kubelet had not yet said why netproof-pre-cni-pod waited/);
  });

  it('the contrast on the same cluster: Ready, a config file on every node, the same pod running with an IP; missing reads fail it', () => {
    expect(afterCniNetwork(record)).toMatchObject({ holds: true, observed: expect.stringContaining('worker: 10-kindnet.conflist; pod netproof-pre-cni-pod on worker: Running, pod IP 10.244.1.3') });
    expect(afterCniNetwork({ ...record, after: undefined }).holds).toBe(false);
    expect(afterCniNetwork({ ...record, after: { ...after, pod: { ...after.pod, phase: 'Pending', podIp: '' } } }).holds).toBe(false);
  });

  it('K16\'s contrast: /etc/cni/net.d empty before the CNI (a file baked into the node image would make the contrast fail)', () => {
    expect(cniConfigBeforeCni(record)).toEqual({ holds: false, observed: expect.stringContaining('control-plane: no config (empty); worker: no config (empty)') });
    expect(cniConfigBeforeCni({ ...record, before: { ...before, cniDir: after.cniDir } }).holds).toBe(true);
  });

  it('judges K24 and K16 as the scenario declares them: the record decides K24, the after-CNI reads and a live GET are its contrast and control', async () => {
    const claims = (await loadScenario('k8s-pod-network')).claims;
    const verdictOf = (claim: ClaimSpec, outcomes: readonly Outcome[]) =>
      claimVerdict(claim.attempts.map((a, i) => ({ verdict: judge(a.expect ?? claim.expect, outcomes[i]!), role: a.role, half: a.half, connection: a.describe })));
    const fact = (found: { holds: boolean }): Outcome => ({ kind: 'fact', holds: found.holds, observed: '' }) as Outcome;
    const http200 = { kind: 'http-status', status: 200 } as Outcome;
    const k24 = claims.find((c) => c.id === 'K24')!;
    expect(k24.attempts.map((a) => a.role)).toEqual([undefined, 'contrast', 'control']);
    expect(verdictOf(k24, [fact(beforeCniNoNetwork(record)), fact(afterCniNetwork(record)), http200]).status).toBe('confirmed');
    expect(verdictOf(k24, [{ kind: 'fact', holds: false, observed: '' } as Outcome, fact(afterCniNetwork(record)), http200]).status).toBe('refuted');
    // Without the contrast (the pod never ran even with the CNI) the record shows nothing of the CNI's part.
    expect(verdictOf(k24, [fact(beforeCniNoNetwork(record)), { kind: 'fact', holds: false, observed: '' } as Outcome, http200]).status).toBe('inconclusive');
    const k16 = claims.find((c) => c.id === 'K16')!;
    expect(verdictOf(k16, [{ kind: 'fact', holds: true, observed: '' } as Outcome, fact(cniConfigBeforeCni(record))]).status).toBe('confirmed');
    expect(verdictOf(k16, [{ kind: 'fact', holds: true, observed: '' } as Outcome, { kind: 'fact', holds: true, observed: '' } as Outcome]).status).toBe('inconclusive');
  });
});

describe("kindnet applied as kind's installcni applies it", () => {
  const raw = ['# would you kindly template this file', '# would you kindly patch this file', 'kind: DaemonSet', '      containers:', '      - name: kindnet-cni', '        env:', '        - name: POD_SUBNET', '          value: {{ .PodSubnet }}', ''].join('\n');

  it('fills the pod subnet and adds the control plane endpoint to the env list, at its indent', () => {
    const manifest = bundledManifestFrom(raw, '10.244.0.0/16', 'np-control-plane:6443');
    expect(manifest).toContain('          value: 10.244.0.0/16');
    expect(manifest).toContain('        env:\n        - name: CONTROL_PLANE_ENDPOINT\n          value: np-control-plane:6443\n        - name: POD_SUBNET');
  });

  it('fails loudly on a template field it does not know', () => {
    expect(() => bundledManifestFrom(`${raw}{{ .Other }}\n`, '10.244.0.0/16', 'x:6443')).toThrow(/template field the lab does not fill: \{\{ \.Other \}\}/);
  });
});
