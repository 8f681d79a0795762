/**
 * k8s-host-db — article 000's Kubernetes half: PostgreSQL installed on the
 * server (a kind node: a hostNetwork pod pinned to it, with the article's
 * settings) and Django in a pod, on that node and on another. Which HOST
 * reaches the node's database? Every answer names the server that gave it
 * (its cluster_name), so reaching another PostgreSQL shows as such.
 */
import { kind } from '../src/environment/environment.ts';
import { djangoDatabase } from '../src/probes/django-database.ts';
import { InKind } from '../src/probes/k8s-values.ts';
import { HostResource } from '../src/lab/host-resources.ts';
import { docker0OnNode } from '../src/setup/node-docker0.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { byCni } from '../src/verdict/explain.ts';
import { pod } from '../src/workloads/k8s-pod.ts';

/** Article 000's DATABASES: postgres / mysecretpassword on 5432. */
const PORT = 5432;
/** The node the article calls myserver01 (10.0.2.4): PostgreSQL runs in its network namespace. */
const dbNode = 'worker';

export default defineScenario({
  name: 'k8s-host-db',
  title: "Django in a pod reaching PostgreSQL installed on the node (article 000, Kubernetes half)",
  environment: kind({ workers: 2 }),
  workloads: {
    nodedb: pod({
      description: `PostgreSQL 15 in the ${dbNode} node's network namespace (hostNetwork pod), listen_addresses='*', :${PORT}`,
      containers: [{
        name: 'postgres',
        image: 'postgres',
        // cluster_name names this server in every answer (the run's resource name for nodedb); the kubelet expands $(NP_SERVER_ID).
        args: ['postgres', '-c', 'cluster_name=$(NP_SERVER_ID)'],
        env: { POSTGRES_PASSWORD: 'mysecretpassword', PGPORT: String(PORT) },
        readyWhen: ['pg_isready', '-h', '127.0.0.1', '-p', String(PORT)],
      }],
      node: dbNode,
      hostNetwork: true,
    }),
    // K1 takes the host's 5432 as the Docker scenarios do: 172.17.0.1 from a kind node reaches the Docker host, where a lab PostgreSQL would answer.
    django: { ...pod({ description: `Django 3.2 pod on the DB node (${dbNode})`, containers: [{ name: 'django', image: 'django' }], node: dbNode }), hostResources: [HostResource.tcpPort(PORT)] },
    'django-other': pod({ description: 'Django 3.2 pod on another node (worker2)', containers: [{ name: 'django', image: 'django' }], node: 'worker2' }),
  },
  claims: [
    {
      id: 'K1',
      article: '000',
      from: 'django',
      says: "'HOST': '172.17.0.1' (docker0) from a pod \"may be blocked or not routed, depending on network policy or CNI settings\": it is not the node's database",
      expect: Expect.notFrom('nodedb'),
      attempts: [
        { ...djangoDatabase({ HOST: '172.17.0.1', PORT }), half: 'on a node without Docker (a kind node as it is)' },
        { ...djangoDatabase({ HOST: '172.17.0.1', PORT }), setup: docker0OnNode(dbNode), half: `on a node that runs Docker (docker0 172.17.0.1/16 in the ${dbNode} node's namespace)` },
      ],
      preconditions: [
        `the article's node runs Docker: for the second attempt the ${dbNode} node gets the bridge dockerd makes (docker0, 172.17.0.1/16, up) and loses it after; a bridge rather than a dockerd, because only the address decides this packet's path`,
        "a kind node is a container: without docker0, 172.17.0.1 leaves the node by its default route to the machine running kind, whose own docker0 it is. An answer (or a reset) from there is a property of kind, not of the article's node; the lab holds the host's 5432 meanwhile",
      ],
      why: {
        refused: byCni((cni) => `172.17.0.1 is not the kind node's: the pod's packet leaves the node by its default route (${cni.datapath.masquerade}) to the kind network's gateway, the machine running kind, where 172.17.0.1 is that machine's docker0 and nothing listens on 5432. A property of kind's nesting: the node's database did not answer`),
        success: "172.17.0.1 is the node's own docker0 address: the pod's packet to it is delivered locally in the node's namespace, where PostgreSQL listens on * and answers (it names itself). Neither blocked nor unrouted: the pod reached the node's database",
        timeout: 'a filter dropped it on the way (the node or the host)',
        'no-route': 'nothing on the way has a route to 172.17.0.1',
      },
    },
    {
      id: 'K2',
      article: '000',
      from: 'django',
      says: "'HOST': the node's own address (the article's 10.0.2.4) reaches PostgreSQL installed on the node",
      expect: Expect.connects,
      attempts: [djangoDatabase({ HOST: InKind.nodeAddress(dbNode), PORT })],
      why: {
        success: "the node's InternalIP is an address of the node's own network namespace, where PostgreSQL listens on *; the pod's packet goes up its veth to the node and is delivered locally",
        refused: "nothing listens on the node's address: PostgreSQL's listen_addresses does not cover it",
      },
    },
    {
      id: 'K3',
      article: '000',
      from: 'django',
      says: "'HOST': 'localhost' fails: localhost is the pod itself",
      expect: Expect.refused,
      attempts: [djangoDatabase({ HOST: 'localhost', PORT })],
      why: {
        refused: "localhost inside the pod is the pod's own loopback (its own network namespace); PostgreSQL listens in the node's, so nothing answers on 5432 here",
        success: 'the pod shares the node\'s network namespace (hostNetwork: true)',
      },
    },
    {
      id: 'K4',
      article: '000',
      from: 'django-other',
      says: "from a pod on another node, the DB node's address still connects; 172.17.0.1 means nothing there",
      expect: Expect.connects,
      attempts: [
        { ...djangoDatabase({ HOST: InKind.nodeAddress(dbNode), PORT }), half: "the DB node's address connects" },
        { ...djangoDatabase({ HOST: '172.17.0.1', PORT }), expect: Expect.notFrom('nodedb'), half: '172.17.0.1 means nothing there (a node without Docker)' },
        { ...djangoDatabase({ HOST: '172.17.0.1', PORT }), setup: docker0OnNode('worker2'), expect: Expect.notFrom('nodedb'), half: "172.17.0.1 means nothing there (worker2 runs Docker: docker0 172.17.0.1/16 in its namespace)" },
      ],
      preconditions: ["the last attempt gives worker2 the bridge dockerd makes (docker0, 172.17.0.1/16, up) and removes it after; without it 172.17.0.1 is the machine running kind (a property of kind's nesting)"],
      why: {
        success: "the DB node's InternalIP is reachable on the nodes' network from every node; the other node masquerades the pod's packet to its own address",
        refused: "172.17.0.1 is not the DB node's: on worker2 with docker0 it is worker2's own address, without it the machine running kind's docker0 (kind's nesting); either resets the connection, no PostgreSQL listening there",
        timeout: 'a filter dropped it on the way',
      },
    },
    {
      id: 'K27',
      article: '000',
      from: 'django',
      says: "to reach the node's process from a pod \"you must use the LAN IP the node really uses (10.0.2.4)\"",
      expect: Expect.connectsTo('nodedb'),
      attempts: [
        { ...djangoDatabase({ HOST: InKind.nodeAddress(dbNode), PORT }), half: "the node's LAN IP reaches it" },
        { ...djangoDatabase({ HOST: InKind.podCidrGateway(dbNode), PORT }), expect: Expect.notFrom('nodedb'), half: "no other address of the node does (its address on the pod network's side)" },
      ],
      preconditions: [`the node's address on the pod network's side is read as the first address of the ${dbNode} node's podCIDR, the pods' gateway where the CNI's IPAM gives one (kindnetd-lab's ptp, flannel's bridge)`],
      why: {
        success: "the address is one of the node's own (the LAN IP, or the pods' gateway the CNI put on the node): the pod's packet goes up its veth into the node's namespace and is delivered locally, where PostgreSQL listens on *; the LAN IP is one way, not the only one",
        refused: "nothing listens there: PostgreSQL's listen_addresses does not cover that address, or it is not the node's",
        timeout: 'a filter dropped it',
        'no-route': 'the pod has no route to it',
      },
    },
  ],
});
