/**
 * k8s-network-policy — K18 (article 003): "a NetworkPolicy that denies ingress
 * to a pod is enforced by Calico/Cilium, ignored by Flannel". Tried as a truth
 * table on whatever CNI the cluster runs (NETPROOF_CNI): pods in two
 * namespaces probe each other with no policy, under a deny-all-ingress policy
 * on one pod, and with a second policy admitting pods labelled role=client.
 */
import { kind } from '../src/environment/environment.ts';
import { clientLabel, networkPolicyMatrix, policyPort, targetLabel } from '../src/probes/network-policy.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { pod } from '../src/workloads/k8s-pod.ts';

const serving = (name: string) => [{ name, image: 'toolbox' as const, command: ['np-serve', String(policyPort)] }];

export default defineScenario({
  name: 'k8s-network-policy',
  title: 'NetworkPolicy on the cluster\'s CNI: deny ingress to a pod, then allow a labelled client, as a truth table (article 003)',
  environment: kind({ cni: 'kindnet', workers: 2 }),
  workloads: {
    server: pod({ description: `np-serve :${policyPort} on worker2, selected by the policies`, containers: serving('server'), node: 'worker2', labels: targetLabel }),
    allowed: pod({ description: `np-serve :${policyPort} on worker, labelled role=client`, containers: serving('allowed'), node: 'worker', labels: clientLabel }),
    other: pod({ description: `np-serve :${policyPort} on worker, no label`, containers: serving('other'), node: 'worker' }),
    node: pod({ description: 'hostNetwork pod on worker: the node itself as a client', containers: [{ name: 'node', image: 'toolbox', command: ['sleep', 'infinity'] }], node: 'worker', hostNetwork: true }),
  },
  claims: [
    {
      id: 'K18',
      article: '003',
      from: 'allowed',
      says: 'a NetworkPolicy that denies ingress to a pod is enforced by Calico/Cilium (CNIs with network policy support) and ignored by Flannel',
      expect: Expect.holds('enforced where the CNI supports policies, ignored by Flannel'),
      attempts: [networkPolicyMatrix({ server: 'server', allowed: 'allowed', other: 'other', node: 'node', peer: 'peer' })],
      why: {
        fact: 'NetworkPolicy is only an API object: the CNI\'s agent (kube-router\'s firewall, Calico\'s Felix, Cilium\'s BPF) turns it into filters on each node; a CNI without one (flannel, the lab\'s kindnetd) leaves every pod open. Blocked cells time out: the filter drops, nothing refuses',
        'check-failed': 'a cell had no conclusive outcome (refused, or a probe that could not run): neither enforced nor ignored can be read from it',
      },
    },
  ],
});
