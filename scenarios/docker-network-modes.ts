/**
 * docker-network-modes — article 004's network modes: `--network none`
 * (only lo, nothing reachable) and `--network host` (the container's server
 * is the host's, no -p needed, and the port is then the host's too), tried
 * from a bridge container and from a client outside the host (a lab LAN
 * behind a router with no uplink). Article 002's "every container talks
 * only through the bridge" against those two modes, and article 004's
 * `ip netns` against where Docker really keeps a container's namespace.
 */
import { docker } from '../src/environment/environment.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { Found } from '../src/probes/lab-value.ts';
import { netnsListed, onlyLoopback, routeVia, secondBindFails } from '../src/probes/network-checks.ts';
import { tcpConnect } from '../src/probes/tcp-connect.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';
import { lan, lanRouter, outsideClient } from '../src/workloads/outside-lan.ts';

const hostOnLan = Found.labAddress("the host's address on the lab LAN", lan.host);
const outsideAddress = '198.18.0.10';
const outsideOnLan = Found.labAddress("the outside client's address on the lab LAN", outsideAddress);
/** Nothing listens on the discard port: a reset proves the packet arrived. */
const discardPort = 9;

export default defineScenario({
  name: 'docker-network-modes',
  title: 'Network modes none and host; the bridge as the only way; ip netns (articles 002, 004)',
  environment: docker(),
  workloads: {
    isolated: container({ image: 'toolbox', network: 'none', description: 'container with --network none' }),
    'host-web': container({
      image: 'toolbox',
      network: 'host',
      command: ['np-serve', '80'],
      listens: 80,
      description: 'HTTP server (np-serve) on :80 with --network host, no -p',
    }),
    'host-second': container({ image: 'toolbox', network: 'host', description: 'a second --network host container' }),
    client: container({ image: 'toolbox', network: 'bridge', description: 'client on the default bridge' }),
    router: lanRouter(),
    outside: outsideClient('router', { address: outsideAddress, description: 'client outside the host: its gateway is the LAN router' }),
  },
  claims: [
    {
      id: 'D15',
      article: '004',
      from: 'isolated',
      says: 'a --network none container has only lo and can reach nothing outside, the host included',
      expect: Expect.unreachable,
      attempts: [{ ...onlyLoopback(), expect: Expect.holds('only lo') }, tcpConnect(Found.hostAddress, 80), tcpConnect(Found.bridgeGateway, 80)],
      why: {
        fact: 'Docker gave the container a network namespace and no interface besides loopback',
        'no-route': 'with no interface but lo there is no route to any address: connect() fails at once with "Network is unreachable", nothing is sent',
        success: 'the container reached the host: it is not isolated',
      },
    },
    {
      id: 'D16',
      article: '004',
      from: 'outside',
      says: 'a --network host container serving :80 is reachable at the host address without -p; a second host-network server on the same port fails to bind',
      expect: Expect.httpFrom(200, 'host-web'),
      attempts: [
        httpGet(hostOnLan, 80),
        { ...httpGet(Found.hostAddress, 80), from: 'client' },
        { ...secondBindFails(80), from: 'host-second', expect: Expect.holds('second bind fails') },
      ],
      why: {
        'http-status': "the server's socket is in the host's network namespace, bound to all of the host's addresses: no NAT, no -p; np-serve's header names the host-network container as the server",
        refused: 'nothing listens on the host at :80',
        fact: "both containers share one network namespace, the host's: port 80 is already bound there, so bind() returns EADDRINUSE",
      },
    },
    {
      id: 'D22',
      article: '002',
      from: 'host-second',
      says: '모든 컨테이너는 브릿지를 통해서만 내외부와 통신한다 — every container communicates, inside and out, only through the bridge',
      expect: Expect.holds('traffic goes through docker0'),
      attempts: [
        { ...routeVia(outsideOnLan, 'docker0'), half: 'a --network host container reaches outside through docker0' },
        // It does communicate with the outside client: a reset from it (nothing listens on 9) proves the packets arrived.
        { ...tcpConnect(outsideOnLan, discardPort), role: 'control', expect: Expect.refused },
        // A container that cannot talk at all does not break "only through the bridge": only a path around docker0 would.
        { ...routeVia(Found.hostAddress, 'docker0', { noRouteHolds: true }), from: 'isolated', half: 'a --network none container talks through docker0 or not at all', expect: Expect.holds('no path around docker0') },
      ],
      why: {
        fact: "a --network host container uses the host's own interfaces and routes (here the lab LAN's veth), not docker0; a --network none container has no interface but lo and no route anywhere: it talks to nothing, so it has no path around docker0 either",
        refused: 'the outside client answered with a reset: the host-network container reaches it without any bridge',
      },
    },
    {
      id: 'D25',
      article: '004',
      from: 'host',
      says: '`ip netns` shows the network namespace Docker made for a container',
      expect: Expect.holds("ip netns lists the container's namespace"),
      attempts: [netnsListed('client')],
      why: {
        fact: "Docker keeps a container's namespace as a bind mount under /var/run/docker/netns (its SandboxKey); `ip netns` lists only /var/run/netns, so it shows none of Docker's (nsenter --net=<SandboxKey> enters one)",
      },
    },
  ],
});
