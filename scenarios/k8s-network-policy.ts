/**
 * k8s-network-policy — K18 (article 003, the CNI table): "Calico: high
 * performance, network policy support". Tried as the Kubernetes netpol e2e
 * does: a suite of NetworkPolicies (src/netpol/cases.ts) on 3 namespaces × 3
 * pods, every pod probing every pod on 80 and 81 over TCP and UDP, each cell
 * diffed against the NetworkPolicy model. Judged on Calico only; on the CNI
 * the cluster runs otherwise (--cni or NETPROOF_CNI), the per-case table is a finding.
 */
import { kind } from '../src/environment/environment.ts';
import { matrixWorkers } from '../src/netpol/matrix-lab.ts';
import { networkPolicySuite } from '../src/probes/network-policy.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { pod } from '../src/workloads/k8s-pod.ts';

/** The node as a client (hostNetwork), one per worker: cells the spec leaves to implementations. */
const nodeClient = (node: string) => pod({ description: `hostNetwork pod on ${node}: the node itself as a client`, containers: [{ name: 'node', image: 'toolbox', command: ['sleep', 'infinity'] }], node, hostNetwork: true });

export default defineScenario({
  name: 'k8s-network-policy',
  title: 'NetworkPolicy conformance on the cluster\'s CNI: the netpol e2e matrix (3 namespaces × 3 pods, 80/81, TCP/UDP) under a suite of policies, expected from the model (article 003)',
  environment: kind({ workers: 2 }),
  workloads: Object.fromEntries(matrixWorkers.map((node) => [`node-${node}`, nodeClient(node)])),
  claims: [
    {
      id: 'K18',
      article: '003',
      from: 'node-worker',
      says: 'Calico: high performance, network policy support',
      expect: Expect.holds('every case of the suite conformant to the NetworkPolicy model on Calico'),
      attempts: [networkPolicySuite()],
      why: {
        fact: 'NetworkPolicy is only an API object: the CNI\'s agent (Calico\'s Felix, kube-router\'s firewall) turns it into filters on each node; the model (src/netpol/model.ts) says what each cell must do, from the Kubernetes documentation',
        'check-failed': 'the article speaks of Calico only: on another CNI the per-case table is a finding, not a verdict (Calico is not in the lab yet); or the matrix could not be read (no policy and still not open)',
      },
    },
  ],
});
