/**
 * k8s-pod-network — the pod model of articles 001, 002 and 003 on the lab's
 * three-node kind cluster: containers of one pod share a network namespace
 * (nginx reaches Flask at 127.0.0.1), two pods do not; pods reach each other
 * across nodes by pod IP without NAT; every pod has its own IP from its
 * node's slice of the pod CIDR; what the CNI put on each node.
 */
import { kind } from '../src/environment/environment.ts';
import { articlePodSubnet } from '../src/environment/kind/index.ts';
import { ciliumBpfDatapath } from '../src/probes/cilium-bpf.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { cniConfigOnNodes, containersShareIp, httpThroughNginx, sourceSeenAsPodIp } from '../src/probes/k8s-checks.ts';
import { podIpsPerNode, podRangePerNode } from '../src/probes/pod-ranges.ts';
import { Found } from '../src/probes/lab-value.ts';
import { bridgeInDocker0sRole, bridgeNamed } from '../src/probes/pod-bridge.ts';
import { everyPodToEveryPod } from '../src/probes/pod-mesh.ts';
import { cniConfigBeforeCniOnNodes, noPodNetworkBeforeCni, podNetworkAfterCni } from '../src/probes/pre-cni-checks.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { byCni } from '../src/verdict/explain.ts';
import { pod } from '../src/workloads/k8s-pod.ts';

/** Article 001's proxy_pass: right inside one pod, wrong across two. */
export const loopbackUpstream = 'http://127.0.0.1:6001';
const nginxContainer = { name: 'nginx', image: 'nginx', env: { NGINX_PROXY_PASS: loopbackUpstream } } as const;
const flaskContainer = { name: 'flask', image: 'flask' } as const;

export default defineScenario({
  name: 'k8s-pod-network',
  title: 'Pods on a three-node kind cluster: one pod shares a namespace, pods talk across nodes without NAT (articles 001, 002, 003)',
  environment: kind({ workers: 2 }),
  workloads: {
    client: pod({ description: 'toolbox pod on worker (np-probe; np-serve :8080 for K21)', containers: [{ name: 'client', image: 'toolbox', command: ['np-serve', '8080'] }], node: 'worker' }),
    server: pod({ description: 'np-serve pod on worker2, :8080', containers: [{ name: 'server', image: 'toolbox', command: ['np-serve', '8080'] }], node: 'worker2' }),
    onepod: pod({ description: "one pod: nginx :9001 (article 001's default.conf, proxy_pass http://127.0.0.1:6001) + Flask :6001", containers: [nginxContainer, flaskContainer], execIn: 'nginx' }),
    nginx: pod({ description: 'nginx alone in its pod (proxy_pass http://127.0.0.1:6001)', containers: [nginxContainer] }),
    flask: pod({ description: 'Flask alone in its pod, :6001', containers: [flaskContainer] }),
    anchor: pod({ description: 'np-serve pod on control-plane, :8080: every node runs a pod of the run (K17, K21)', containers: [{ name: 'anchor', image: 'toolbox', command: ['np-serve', '8080'] }], node: 'control-plane' }),
  },
  claims: [
    {
      id: 'K5',
      article: '001',
      from: 'client',
      says: 'nginx and Flask as two containers of one pod: `proxy_pass http://127.0.0.1:6001;` works, because containers of a pod share one IP',
      expect: Expect.httpStatus(200),
      attempts: [httpThroughNginx('onepod', 9001, loopbackUpstream)],
      why: {
        'http-status': "200 is Flask's answer relayed by nginx: every container of a pod joins the pod sandbox's network namespace (the pause container's), so nginx's 127.0.0.1:6001 is Flask's socket; a 502 would mean nothing listens on 6001 in that namespace",
      },
    },
    {
      id: 'K6',
      article: '001',
      from: 'client',
      says: 'the same nginx and Flask in two pods: `proxy_pass http://127.0.0.1:6001;` fails (502)',
      expect: Expect.httpStatus(502),
      attempts: [httpThroughNginx('nginx', 9001, loopbackUpstream), { ...httpGet(Found.addressOf('flask', 'pod'), 6001), expect: Expect.httpStatus(200), role: 'control' }],
      why: {
        'http-status': "502 is nginx's own answer: 127.0.0.1 in nginx's pod is that pod's loopback, where nothing listens on 6001 (its error log: connect() failed (111: Connection refused)); Flask listens in its own pod's namespace, and answers there on its pod IP (the control)",
      },
    },
    {
      id: 'K7',
      article: '001',
      from: 'client',
      says: 'the two containers of one pod have the same IP address',
      expect: Expect.holds('the same IP in both containers'),
      attempts: [containersShareIp('onepod', ['nginx', 'flask'])],
      why: { fact: "a pod's containers share the network namespace the kubelet creates for the pod sandbox: one eth0, one IP" },
    },
    {
      id: 'K8',
      article: '003',
      from: 'client',
      says: "a pod on one node reaches a pod on another node by its pod IP, and the server sees the client's pod IP as the source (no NAT)",
      expect: Expect.httpStatus(200),
      attempts: [httpGet(Found.addressOf('server', 'pod'), 8080), { ...sourceSeenAsPodIp('server', 8080), expect: Expect.holds("the client's pod IP as the source") }],
      why: {
        'http-status': byCni((cni) => `the CNI routes each node's pod CIDR to that node (${cni.datapath.crossNode}), so the packet crosses the node network with the pod IPs unchanged`),
        fact: byCni((cni) => `${cni.datapath.masquerade}: pod-to-pod keeps the source pod IP`),
        timeout: 'no route to the other node\'s pod CIDR, or a filter dropped it',
      },
    },
    {
      id: 'K21',
      article: '003',
      from: 'client',
      says: '"every Pod must be able to communicate directly with every other Pod": all pairs, across nodes, without NAT',
      expect: Expect.holds("every ordered pair answered, each server seeing the client's own pod IP"),
      attempts: [everyPodToEveryPod(['client', 'server', 'anchor'], 8080)],
      preconditions: ['one np-serve pod of the run on each node (client on worker, server on worker2, anchor on control-plane): six ordered pairs cross every pair of nodes both ways; the pods of other namespaces are not asked'],
      why: { fact: "the CNI gives every pod an address routable from every node and masquerades only traffic leaving the pod CIDR, so a pod's packet reaches any other pod with its source unchanged; a pair that fails or a rewritten source would refute the article's 'every'" },
    },
    {
      id: 'K9',
      article: '003',
      from: 'client',
      says: 'every pod gets a unique IP inside the pod CIDR (e.g. 10.244.0.0/16), one subnet per node',
      expect: Expect.holds("unique, inside the pod CIDR, inside the node's podCIDR"),
      attempts: [podIpsPerNode()],
      why: { fact: "the controller-manager gives each node a /24 of the cluster's pod CIDR (spec.podCIDR); the CNI's IPAM (host-local) hands out addresses only from its node's range" },
    },
    {
      id: 'K22',
      article: '002',
      from: 'client',
      says: '"multi-hosts have different subnet ranges ⇒ 10.224.0.0/16": each node its own subnet, inside the pod range as the article writes it',
      expect: Expect.holds('cluster-cidr 10.224.0.0/16, each node a different subnet of it, every pod inside its node\'s'),
      attempts: [
        podRangePerNode(articlePodSubnet),
        { ...podRangePerNode('10.244.0.0/16'), expect: Expect.holdsNot("kind's default range 10.244.0.0/16 is not the cluster's: the same read fails against it"), role: 'contrast' },
      ],
      preconditions: ["every lab cluster is made with the article's range as kubeadm's podSubnet (kind's default is 10.244.0.0/16, which the article's 10.224 may mistype): a CNI whose IPAM ignored it would put pods elsewhere"],
      why: { fact: byCni((cni) => `kubeadm hands the podSubnet to the controller-manager (--cluster-cidr), which gives each node its own /24 of it (spec.podCIDR); ${cni.name}'s IPAM hands out each pod's address from its node's /24`) },
    },
    {
      id: 'K16',
      article: '003',
      from: 'client',
      says: "the CNI's configuration is in /etc/cni/net.d on every node",
      expect: Expect.holds('a CNI config file on every node'),
      attempts: [cniConfigOnNodes(), { ...cniConfigBeforeCniOnNodes(), expect: Expect.holdsNot('no CNI config file on the nodes before the CNI was installed'), role: 'contrast' }],
      preconditions: ["the contrast is read from the cluster's record of its own creation (kept with the cluster, dated): the nodes' /etc/cni/net.d between `kind create` and the CNI's install"],
      why: { fact: byCni((cni) => `the kubelet (through containerd) runs whatever network config it finds first in /etc/cni/net.d for every pod sandbox; the node image ships the directory empty and ${cni.name}'s daemon writes its file there once installed`) },
    },
    {
      id: 'K24',
      article: '003',
      from: 'client',
      says: '"Kubernetes does not implement the network itself; pods communicate through a CNI plugin": before a CNI is installed there is no pod network',
      expect: Expect.holds('every node NotReady for want of a network plugin, and a pod given no network, until the CNI'),
      attempts: [
        { ...noPodNetworkBeforeCni(), half: 'Kubernetes does not implement the network itself' },
        { ...podNetworkAfterCni(), expect: Expect.holds('every node Ready, a config file on each, the same pod running with a pod IP'), role: 'contrast' },
        { ...httpGet(Found.addressOf('server', 'pod'), 8080), expect: Expect.httpStatus(200), role: 'control' },
      ],
      preconditions: [
        "read from the cluster's record of its own creation (a ConfigMap kube-system/netproof-pre-cni, with when it was observed): a reused lab cluster was observed when it was made, not during this run",
        'the cluster is made with kind\'s default CNI disabled for every CNI, kind\'s default too: the lab applies that one (kindnet, or kindnetd-lab in the node image built here) from the node image (/kind/manifests/default-cni.yaml, as kind\'s own install does) after the nodes were read; a kind cluster as kind makes it by default is never without its CNI, so that moment is the lab\'s',
        'the waiting pod is pinned to worker and tolerates the not-ready taint: only the missing network can stop it',
      ],
      why: {
        fact: byCni((cni) => `the kubelet reports its node NotReady (container runtime network not ready: the network plugin is not initialized) while /etc/cni/net.d is empty, and refuses a pod that needs the pod network a sandbox; once ${cni.name} writes its config the nodes become Ready and the same pod gets an IP from ${cni.name}'s IPAM`),
      },
    },
    {
      id: 'K17',
      article: '002',
      from: 'client',
      says: '"cni0 is created as the default bridge" on each node, and "cni0 plays the same role as docker0"',
      expect: Expect.holds('on every node that runs pods'),
      attempts: [
        { ...bridgeNamed('cni0'), expect: Expect.holds('a bridge named cni0 on every node that runs pods'), half: 'cni0 is created as the default bridge' },
        { ...bridgeInDocker0sRole(), expect: Expect.holds("a bridge holding the pods' veths and their gateway on every node that runs pods"), half: 'cni0 plays the same role as docker0' },
      ],
      preconditions: [
        "a pod of the run on every node before the bridges are read (client on worker, server on worker2, anchor on control-plane; the others where the scheduler put them): a CNI's bridge plugin makes its bridge when it wires a node's first pod, so a node without pods is not judged",
      ],
      why: { fact: byCni((cni) => `whether cni0 exists, and whether any bridge plays docker0's role, depends on the CNI; on ${cni.name}: ${cni.datapath.podAttachment}`) },
    },
    {
      id: 'K26',
      article: '003',
      from: 'client',
      says: '"Cilium: BPF-based": the pods\' traffic passes through BPF programs cilium attached',
      expect: Expect.holds("a traffic-classifier BPF program attached for every pod of the run's endpoint"),
      attempts: [ciliumBpfDatapath()],
      preconditions: [
        "judged on the cilium columns only (the article's sentence is about Cilium); on another CNI the attempt says it does not apply",
        "read on the nodes that run a pod of the run (every node: K17's anchor), through bpffs pins cilium names per endpoint and device: Debian's bpftool 7.1 shows TCX links only as 'type 11'",
      ],
      why: { fact: byCni((cni) => `${cni.datapath.podAttachment}; the programs are in the kernel (bpftool reads them by their pinned links), not in iptables`) },
    },
  ],
});
