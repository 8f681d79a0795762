/**
 * k8s-services — article 003's Services on the lab's kind cluster: a
 * ClusterIP Service by name and by full name, spread over replicas, and a
 * Service made like `kubectl expose deployment myapp --port=80
 * --target-port=8080` that keeps answering when its pods are replaced.
 */
import { kind } from '../src/environment/environment.ts';
import { kindNodeNetwork } from '../src/environment/kind/index.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { curlAsWritten } from '../src/probes/curl.ts';
import { forwardFiltersOnNodes } from '../src/probes/forward-filter.ts';
import { kubeProxyRules, serviceTypeAndAddress, spreadOverPods, survivesPodReplacement } from '../src/probes/k8s-checks.ts';
import { loadBalancerPending, loadBalancerThroughMetallb, noLoadBalancerImplementation } from '../src/probes/load-balancer.ts';
import { Found } from '../src/probes/lab-value.ts';
import { InKind } from '../src/probes/k8s-values.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { byCni } from '../src/verdict/explain.ts';
import { deployment } from '../src/workloads/k8s-deployment.ts';
import { nodeNetworkRouter, outsideOfCluster } from '../src/workloads/k8s-outside.ts';
import { pod } from '../src/workloads/k8s-pod.ts';
import { runResourceName } from '../src/lab/names.ts';

/** A fixed nodePort (30000-32767), so the connection string is the article's shape. */
const nodePort = 30080;
/** The node an outside client's routes point at, where it has any. */
const routeNode = 'control-plane';

/** The finding beside K11 and K19: what the routed contrast shows of the nodes. */
const nothingFiltersForwarded = { ...forwardFiltersOnNodes(), expect: Expect.holds('nothing filters forwarded traffic to ClusterIPs and pod IPs'), role: 'finding' as const };
/** The routed contrast's route, a choice of the lab's: stated beside K11 and K19's verdicts. */
const routedPrecondition = `the contrast outside-routed has routes an office router would not have: the service CIDR via the ${routeNode} node, each node's podCIDR via that node (the article's outside client has none)`;

export default defineScenario({
  name: 'k8s-services',
  title: 'ClusterIP Services on a three-node kind cluster: names, load spreading, pods replaced behind a Service (article 003)',
  environment: kind({ workers: 2 }),
  networks: { nodes: kindNodeNetwork() },
  workloads: {
    client: pod({ description: 'toolbox pod (np-probe)', containers: [{ name: 'client', image: 'toolbox' }], node: 'worker' }),
    web: deployment({ replicas: 3, containerPort: 8080, service: { name: 'web-svc', port: 80 } }),
    'web-default': deployment({ namespace: 'default', replicas: 1, containerPort: 8080, service: { name: 'web-svc', port: 80 } }),
    myapp: deployment({ replicas: 2, containerPort: 8080, service: { name: 'myapp-svc', port: 80, byKubectlExpose: true } }),
    nodeweb: deployment({ replicas: 2, containerPort: 8080, service: { name: 'nodeweb', port: 80, type: 'NodePort', nodePort } }),
    lbweb: deployment({ replicas: 1, containerPort: 8080, service: { name: 'lbweb', port: 80, type: 'LoadBalancer' } }),
    router: nodeNetworkRouter('nodes'),
    outside: outsideOfCluster('nodes', 'router', { description: "client outside the cluster on the nodes' network; its gateway is the lab router, which knows no cluster CIDR" }),
    'outside-routed': outsideOfCluster('nodes', 'router', {
      description: `client outside the cluster with routes into it: the service CIDR via the ${routeNode} node, each node's podCIDR via that node`,
      routes: { serviceCidrVia: routeNode },
    }),
  },
  claims: [
    {
      id: 'K10',
      article: '003',
      from: 'client',
      says: 'a pod reaches the ClusterIP Service as `http://web-svc` and as `web-svc.default.svc.cluster.local`',
      expect: Expect.httpStatus(200),
      attempts: [
        { ...httpGet('web-svc', 80), half: "as web-svc (the pod's own namespace)" },
        { ...httpGet('web-svc.default.svc.cluster.local', 80), expect: Expect.httpFromPodOf(200, 'web-default'), half: 'as web-svc.default.svc.cluster.local, as written (a web-svc in default)' },
      ],
      preconditions: ["a second web-svc in the cluster's default namespace (Deployment web-default, one replica, labelled with the run, removed at teardown and by the sweep; one run of a cluster at a time has it), so the article's full name names a Service that exists; the client pod is in the run's namespace, where the short name finds the run's own web-svc"],
      why: {
        'http-status': "CoreDNS answers <service>.<namespace>.svc.cluster.local with the ClusterIP, and the pod's resolv.conf searches its own namespace first, so the short name works there; kube-proxy's DNAT sends the ClusterIP to one of the pods",
        dns: "the full name carries the namespace: the article's `default` names a Service that exists only where the Service was made in default",
      },
    },
    {
      id: 'K23',
      article: '003',
      from: 'client',
      says: '"ClusterIP: the default service type, an internal-only virtual IP"',
      expect: Expect.holds('type ClusterIP, an address of the service CIDR'),
      attempts: [serviceTypeAndAddress('web-svc')],
      preconditions: ['web-svc is created through the API with no `type` in its spec (as `kubectl expose` without --type): the type read back is the API server\'s default'],
      why: { fact: "the API server defaults a Service's spec.type to ClusterIP and allocates it an address from the service CIDR (--service-cluster-ip-range), which no interface holds: only kube-proxy's rules on the nodes know it (K11)" },
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
      says: '`kubectl expose deployment myapp --port=80 --target-port=8080 --name=myapp-svc` makes a Service that maps 80 to the pods\' 8080 (`curl http://myapp-svc`), and keeps answering when the pods are replaced with new IPs',
      expect: Expect.httpStatus(200),
      attempts: [
        { ...curlAsWritten('http://myapp-svc'), half: 'maps 80 to 8080' },
        { ...survivesPodReplacement('myapp', 'myapp-svc', 2, 'http://myapp-svc/'), expect: Expect.holds('answers from a new pod at a new IP'), half: 'keeps answering after the pods are replaced' },
      ],
      preconditions: ['the Service is made by `kubectl -n <run namespace> expose deployment myapp --port=80 --target-port=8080 --name=myapp-svc` run for real (with the run\'s labels), the Deployment by the API'],
      why: {
        'http-status': "the Service's port 80 is DNATed by kube-proxy to <pod IP>:8080 (targetPort) of a ready endpoint",
        fact: 'the Service selects pods by label, not by IP: the EndpointSlice controller swaps in the new pods\' IPs, kube-proxy rewrites its rules, the ClusterIP and name stay',
      },
    },
    {
      id: 'K11',
      article: '003',
      from: 'outside',
      says: 'a client outside the cluster cannot reach a ClusterIP: it is cluster-internal',
      expect: Expect.unreachable,
      attempts: [
        httpGet(Found.addressOf('web', 'clusterIP'), 80),
        // The lab's contrast: the same request from a client routed into the cluster is answered, so it is the route the article's client lacks.
        { ...httpGet(Found.addressOf('web', 'clusterIP'), 80), from: 'outside-routed', expect: Expect.httpStatus(200), role: 'contrast' },
        { ...kubeProxyRules('web-svc', routeNode), expect: Expect.holds("kube-proxy's rules for the Service"), role: 'control' },
        nothingFiltersForwarded,
      ],
      preconditions: [routedPrecondition],
      why: {
        'no-route': "the ClusterIP exists only as kube-proxy's NAT rules on the nodes; the outside client's gateway has no route to the service CIDR and answers ICMP network unreachable",
        'http-status': "with a route via a node the packet arrives there, and kube-proxy's KUBE-SERVICES rule in PREROUTING DNATs any packet for the ClusterIP:port to a pod, whatever its source (marked for masquerade when it comes from outside the pod CIDR): a ClusterIP is unreachable from outside only for want of a route",
        timeout: 'the packet reached a node, which dropped it',
        fact: "kube-proxy writes a Service's NAT rules on every node (the control); the nodes' filter tables are where anything would stop a packet they forward from the nodes' network (the finding: nothing the CNI or kube-proxy installs filters forwarded traffic to ClusterIPs, so a route is all an outside client lacks)",
      },
    },
    {
      id: 'K13',
      article: '003',
      from: 'outside',
      says: `a client outside the cluster reaches a NodePort Service at nodeIP:nodePort (30000-32767) on every node`,
      expect: Expect.httpStatus(200),
      attempts: [
        ...['control-plane', 'worker', 'worker2'].map((node) => ({ ...httpGet(InKind.nodeAddress(node), nodePort), half: `on ${node}` })),
        { ...kubeProxyRules('nodeweb', 'worker'), expect: Expect.holds("kube-proxy's rules for the Service"), role: 'control' as const },
      ],
      why: {
        'http-status': "kube-proxy opens the nodePort on every node (KUBE-NODEPORTS: --dport 30080 → the Service's endpoints), whether or not a pod of the Service runs there; the answer can come from a pod on another node (SNAT to the node, so the reply returns the same way)",
        timeout: 'a node dropped the packet (a firewall, or externalTrafficPolicy: Local on a node without a pod)',
        refused: 'nothing listens and no rule matched: kube-proxy has no rule for this port',
      },
    },
    {
      id: 'K19',
      article: '003',
      from: 'outside',
      says: '"a pod IP is cluster-internal and cannot be reached from outside"',
      expect: Expect.unreachable,
      attempts: [
        httpGet(Found.addressOf('web', 'pod'), 8080),
        { ...httpGet(Found.addressOf('web', 'pod'), 8080), from: 'outside-routed', expect: Expect.httpStatus(200), role: 'contrast' },
        nothingFiltersForwarded,
      ],
      preconditions: [routedPrecondition],
      why: {
        'no-route': "the outside client's gateway has no route to the pod CIDR: ICMP network unreachable",
        'http-status': byCni((cni) => `with a route via a node, the node forwards to the pod (${cni.datapath.crossNode}, and nothing filtered the forwarded packet): pod IPs are unreachable from outside only for want of a route, as Docker's container IPs are`),
        fact: "the nodes' filter tables are where anything would stop a packet they forward from the nodes' network (the finding: nothing the CNI or kube-proxy installs filters forwarded traffic to pod IPs, so a route is all an outside client lacks)",
        timeout: "a node dropped the forwarded packet: kube-proxy's KUBE-FORWARD drops conntrack-INVALID packets, which is what the client's ACK looks like to a node that forwarded its SYN but not the pod's reply (a route via a node that does not host the pod)",
      },
    },
    {
      id: 'K14',
      article: '003',
      from: 'client',
      says: 'a `LoadBalancer` Service gets an external IP only where a load balancer exists (a cloud provider, or MetalLB on bare metal)',
      expect: Expect.holds('an external IP only with a load balancer'),
      attempts: [
        { ...noLoadBalancerImplementation(), expect: Expect.holds('no load-balancer implementation in the cluster'), role: 'control' },
        { ...loadBalancerPending('lbweb', 30), expect: Expect.holds('EXTERNAL-IP stays <pending>'), half: 'without a load-balancer implementation the external IP stays pending' },
        {
          ...loadBalancerThroughMetallb('lbweb', 80, { network: 'nodes', poolSize: 4, assignSeconds: 60 }),
          from: 'outside',
          expect: Expect.httpFromPodOf(200, 'lbweb'),
          half: 'with MetalLB (L2 mode) an address is assigned, and a client outside the cluster is answered through it',
        },
      ],
      preconditions: [
        `MetalLB (v0.15.2, built from its Go module) is installed by the runner right before the last attempt, after the pending half, into the run's own ${runResourceName('<run>', 'metallb')}, and removed (the Service's status cleared) right after it; one run at a time has MetalLB in a cluster, from the claim's first attempt to its last`,
        "its IPAddressPool is 4 addresses at the top of the kind nodes' network (read at run time, none a container's), for Services of the run's namespace only; the outside client sits on that network, its gateway the lab router without uplink",
      ],
      why: {
        fact: 'type LoadBalancer asks a controller outside Kubernetes core (a cloud controller manager, MetalLB) to assign an address; a kind cluster has none, so status.loadBalancer stays empty and the Service works only as a NodePort/ClusterIP',
        'http-status': "MetalLB's controller writes an address of its pool into the Service's status.loadBalancer; in L2 mode one node's speaker answers ARP for it with that node's MAC, so the outside client's packets reach that node, where kube-proxy's KUBE-SERVICES rule for the external IP DNATs them to a pod of the Service",
        'no-route': 'no node answered ARP for the external address: no speaker announced it',
        timeout: 'a node took the packets for the external address but nothing forwarded them to a pod',
      },
    },
  ],
});
