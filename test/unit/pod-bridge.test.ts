import { describe, expect, it } from 'vitest';
import { bridgeHoldsPods, bridgeNamedOnPodNodes, type NodeWiring } from '../../src/probes/pod-bridge.ts';

const wired = (pod: string, veth: string, master: string | undefined, gateway: string, gatewayOn: string | undefined) => ({ pod, veth, vethMaster: master, gateway, gatewayOn });

/** flannel as measured in issue 19: control-plane had no pod yet, so no cni0; the workers had theirs. */
const flannel: NodeWiring[] = [
  { node: 'control-plane', bridges: [], pods: [] },
  { node: 'worker', bridges: ['cni0'], pods: [wired('client', 'veth1a', 'cni0', '10.244.1.1', 'cni0')] },
  { node: 'worker2', bridges: ['cni0'], pods: [wired('server', 'veth2a', 'cni0', '10.244.2.1', 'cni0'), wired('flask', 'veth2b', 'cni0', '10.244.2.1', 'cni0')] },
];
const kubeRouter: NodeWiring[] = [{ node: 'worker', bridges: ['kube-bridge'], pods: [wired('client', 'veth1a', 'kube-bridge', '10.244.1.1', 'kube-bridge')] }];
/** kindnet's ptp: the gateway sits on the pod's own veth, which is in no bridge. */
const kindnet: NodeWiring[] = [{ node: 'worker', bridges: [], pods: [wired('client', 'veth1a', undefined, '10.244.1.1', 'veth1a')] }];
const calico: NodeWiring[] = [{ node: 'worker', bridges: [], pods: [wired('client', 'cali1a', undefined, '169.254.1.1', undefined)] }];

describe('K17 read on the nodes that run pods', () => {
  it('does not depend on a node the scheduler left without pods (flannel: cni0 appears with the first pod)', () => {
    const name = bridgeNamedOnPodNodes(flannel, 'cni0');
    expect(name.holds).toBe(true);
    expect(name.observed).toBe('worker: cni0 present; worker2: cni0 present; control-plane: no pod of the run, not judged');
    expect(bridgeHoldsPods(flannel).holds).toBe(true);
  });

  it('judges the two halves apart: kube-bridge has the role under another name', () => {
    expect(bridgeNamedOnPodNodes(kubeRouter, 'cni0')).toEqual({ holds: false, observed: 'worker: no cni0 (bridges: kube-bridge)' });
    expect(bridgeHoldsPods(kubeRouter)).toMatchObject({ holds: true, observed: expect.stringMatching(/^worker: kube-bridge holds the pods' veths and their gateway/) });
  });

  it('finds no bridge in the role where pods get a /32 route (kindnet ptp, Calico)', () => {
    expect(bridgeHoldsPods(kindnet)).toEqual({ holds: false, observed: "worker: no bridge holds both the pods' veths and their gateway (client's veth1a in no bridge, gateway 10.244.1.1 on veth1a)" });
    expect(bridgeHoldsPods(calico).observed).toContain('gateway 169.254.1.1 on no link of the node');
    expect(bridgeNamedOnPodNodes(calico, 'cni0').holds).toBe(false);
  });

  it('needs a pod on the bridge and the gateway on that same bridge', () => {
    const split: NodeWiring[] = [{ node: 'worker', bridges: ['cni0', 'br1'], pods: [wired('client', 'veth1a', 'cni0', '10.244.1.1', 'br1')] }];
    expect(bridgeHoldsPods(split).holds).toBe(false);
  });

  it('holds nothing when no node runs a pod of the run', () => {
    expect(bridgeNamedOnPodNodes([{ node: 'worker', bridges: ['cni0'], pods: [] }], 'cni0').holds).toBe(false);
    expect(bridgeHoldsPods([{ node: 'worker', bridges: ['cni0'], pods: [] }]).holds).toBe(false);
  });
});
