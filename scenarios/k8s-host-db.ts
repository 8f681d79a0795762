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
    django: pod({ description: `Django 3.2 pod on the DB node (${dbNode})`, containers: [{ name: 'django', image: 'django' }], node: dbNode }),
    'django-other': pod({ description: 'Django 3.2 pod on another node (worker2)', containers: [{ name: 'django', image: 'django' }], node: 'worker2' }),
  },
  claims: [
    {
      id: 'K1',
      article: '000',
      from: 'django',
      says: "'HOST': '172.17.0.1' from a pod may be blocked or unrouted (it depends on the CNI): it is not the node's database",
      expect: Expect.unreachable,
      attempts: [djangoDatabase({ HOST: '172.17.0.1', PORT })],
      why: {
        refused: byCni((cni) => `172.17.0.1 is not the node's: the pod's packet leaves the node by its default route (${cni.datapath.masquerade}) to the kind network's gateway, the Docker host, where 172.17.0.1 is the host's own docker0; the host answers, with a reset, because no PostgreSQL listens there. Neither blocked nor unrouted: it reached another machine`),
        success: "an answer came from a PostgreSQL on the Docker host (docker0's 172.17.0.1), not from the node's: the evidence names it",
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
        { ...djangoDatabase({ HOST: '172.17.0.1', PORT }), expect: Expect.unreachable, half: '172.17.0.1 means nothing there' },
      ],
      why: {
        success: "the DB node's InternalIP is reachable on the nodes' network from every node; the other node masquerades the pod's packet to its own address",
        refused: "172.17.0.1 is the Docker host's docker0, not anything of the cluster's: the host resets the connection (no PostgreSQL there)",
        timeout: 'a filter dropped it on the way',
      },
    },
  ],
});
