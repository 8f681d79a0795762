/**
 * docker-two-hosts — article 002's limit of Docker networks: two Docker hosts
 * (each a dockerd in its own privileged container) on one lab LAN. A container
 * on host A's default bridge tries host B's containers by their 172.17.x
 * addresses; then both engines join a swarm, the same containers join an
 * attachable overlay, and the request goes through.
 */
import { docker } from '../src/environment/environment.ts';
import { userNetwork } from '../src/environment/docker/lab-network.ts';
import { acrossDefaultBridges, overSwarmOverlay } from '../src/probes/docker-hosts.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { dockerHost, innerContainer } from '../src/workloads/docker-host.ts';

const port = 8000;
/** A page that names its server, so an answer proves who answered. */
const webServer = ['np-serve', String(port)];
const hosts = ['hostA', 'hostB'];

export default defineScenario({
  name: 'docker-two-hosts',
  title: 'Containers on two Docker hosts: default bridges versus a swarm overlay (article 002)',
  environment: docker(),
  networks: { lan: userNetwork() },
  workloads: {
    hostA: dockerHost({ lan: 'lan', description: 'Docker host A: dockerd in a privileged container on the lab LAN' }),
    hostB: dockerHost({ lan: 'lan', description: 'Docker host B: dockerd in a privileged container on the lab LAN' }),
    client: innerContainer({ host: 'hostA', image: 'toolbox', description: "toolbox on host A's default bridge (its first container)" }),
    // web1 first, so host B numbers it as host A numbered the client: both 172.17.0.2 on fresh engines.
    web1: innerContainer({ host: 'hostB', image: 'toolbox', command: webServer, listens: port, description: "HTTP server on host B's default bridge (its first container)" }),
    web2: innerContainer({ host: 'hostB', image: 'toolbox', command: webServer, listens: port, after: ['web1'], description: "HTTP server on host B's default bridge (its second container)" }),
  },
  claims: [
    {
      id: 'D20',
      article: '002',
      from: 'client',
      says:
        'Docker Network는 같은 호스트에서만 구성이 가능하다 … (결론: Overlay Network add-on 도입이 필요하다.) — containers on two Docker hosts\' default bridges cannot reach each other; an overlay network connects them',
      expect: Expect.unreachable,
      attempts: [
        // An address host A's bridge does not use: the honest "B's container by its bridge IP".
        acrossDefaultBridges({ target: { workload: 'web2', host: 'hostB', port }, hosts }),
        // The address both engines hand out first: on host A it is the client itself, so web1 cannot be what answers.
        { ...acrossDefaultBridges({ target: { workload: 'web1', host: 'hostB', port }, hosts }), expect: Expect.notFrom('web1') },
        // What the article prescribes instead: with an overlay, web1 itself answers.
        { ...overSwarmOverlay({ manager: 'hostA', worker: 'hostB', target: { workload: 'web1', port }, overlay: 'np-overlay' }), half: 'an overlay network connects them', expect: Expect.httpFrom(200, 'web1') },
      ],
      why: {
        fact:
          "each engine's docker0 is its own private 172.17.0.0/16, on-link on that host only: a 172.17.x destination is looked for (ARP) on the local bridge and never routed to the other host, and the same address can name a local container; " +
          "swarm's overlay gives the containers a second interface on one shared subnet and carries their frames between the engines in VXLAN (UDP 4789) over the hosts' LAN",
      },
    },
  ],
});
