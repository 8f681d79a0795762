/**
 * k8s-services — article 003's Services on the lab's kind cluster: a
 * ClusterIP Service by name and by full name, spread over replicas, and a
 * Service made like `kubectl expose deployment myapp --port=80
 * --target-port=8080` that keeps answering when its pods are replaced.
 */
import { kind } from '../src/environment/environment.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { spreadOverPods, survivesPodReplacement } from '../src/probes/k8s-checks.ts';
import { InKind } from '../src/probes/k8s-values.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect, type Expectation } from '../src/verdict/expect.ts';
import { deployment } from '../src/workloads/k8s-deployment.ts';
import { pod } from '../src/workloads/k8s-pod.ts';

/** A name CoreDNS does not know: NXDOMAIN, from the cluster's own DNS. */
const doesNotResolve: Expectation = { label: 'does not resolve', accepts: (o) => o.kind === 'dns' };

export default defineScenario({
  name: 'k8s-services',
  title: 'ClusterIP Services on a three-node kind cluster: names, load spreading, pods replaced behind a Service (article 003)',
  environment: kind({ cni: 'kindnet', workers: 2 }),
  workloads: {
    client: pod({ description: 'toolbox pod (np-probe)', containers: [{ name: 'client', image: 'toolbox' }], node: 'worker' }),
    web: deployment({ replicas: 3, containerPort: 8080, service: { name: 'web-svc', port: 80 } }),
    myapp: deployment({ replicas: 2, containerPort: 8080, service: { name: 'myapp', port: 80 } }),
  },
  claims: [
    {
      id: 'K10',
      article: '003',
      from: 'client',
      says: 'a pod reaches the ClusterIP Service as `http://web-svc` and as `web-svc.default.svc.cluster.local`',
      expect: Expect.httpStatus(200),
      attempts: [
        { ...httpGet('web-svc', 80), half: 'as web-svc' },
        { ...httpGet(InKind.serviceFqdn('web-svc'), 80), half: 'by its full name (in the run\'s namespace, where the article has default)' },
        { ...httpGet('web-svc.default.svc.cluster.local', 80), expect: doesNotResolve, role: 'contrast' },
      ],
      why: {
        'http-status': "CoreDNS answers <service>.<namespace>.svc.cluster.local with the ClusterIP, and the pod's resolv.conf searches its own namespace first, so the short name works there; kube-proxy's DNAT sends the ClusterIP to one of the pods",
        dns: 'the full name carries the namespace: the article\'s `default` names a Service that exists only where the Service was made in default',
      },
    },
    {
      id: 'K12',
      article: '003',
      from: 'client',
      says: 'a ClusterIP Service over several replicas spreads the requests: answers come from more than one pod',
      expect: Expect.holds('more than one pod answers'),
      attempts: [spreadOverPods('http://web-svc/', 30)],
      why: { fact: "kube-proxy (iptables mode) picks an endpoint per new connection at random (statistic --probability rules in KUBE-SVC-*), so 30 connections land on several pods" },
    },
    {
      id: 'K20',
      article: '003',
      from: 'client',
      says: '`kubectl expose deployment myapp --port=80 --target-port=8080` makes a Service that maps 80 to the pods\' 8080, and keeps answering when the pods are replaced with new IPs',
      expect: Expect.httpStatus(200),
      attempts: [
        { ...httpGet('myapp', 80), half: 'maps 80 to 8080' },
        { ...survivesPodReplacement('myapp', 2, 'http://myapp/'), expect: Expect.holds('answers from a new pod at a new IP'), half: 'keeps answering after the pods are replaced' },
      ],
      why: {
        'http-status': "the Service's port 80 is DNATed by kube-proxy to <pod IP>:8080 (targetPort) of a ready endpoint",
        fact: 'the Service selects pods by label, not by IP: the EndpointSlice controller swaps in the new pods\' IPs, kube-proxy rewrites its rules, the ClusterIP and name stay',
      },
    },
  ],
});
