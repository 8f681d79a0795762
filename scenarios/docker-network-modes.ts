/**
 * docker-network-modes — article 004's network modes: `--network none`
 * (only lo, nothing reachable) and `--network host` (the container's server
 * is the host's, no -p needed, and the port is then the host's too).
 */
import { docker } from '../src/environment/environment.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { onlyLoopback, secondBindFails } from '../src/probes/network-checks.ts';
import { tcpConnect } from '../src/probes/tcp-connect.ts';
import { Found } from '../src/probes/lab-value.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';

export default defineScenario({
  name: 'docker-network-modes',
  title: 'Network modes none and host (article 004)',
  environment: docker(),
  workloads: {
    isolated: container({ image: 'toolbox', network: 'none', description: 'container with --network none' }),
    'host-web': container({
      image: 'toolbox',
      network: 'host',
      command: ['np-serve', '80'],
      listens: 80,
      description: 'HTTP server on :80 with --network host, no -p',
    }),
    'host-second': container({ image: 'toolbox', network: 'host', description: 'a second --network host container' }),
    client: container({ image: 'toolbox', network: 'bridge', description: 'client on the default bridge' }),
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
      from: 'client',
      says: 'a --network host container serving :80 is reachable at the host address without -p; a second host-network server on the same port fails to bind',
      expect: Expect.httpStatus(200),
      attempts: [httpGet(Found.hostAddress, 80), httpGet(Found.bridgeGateway, 80), { ...secondBindFails(80), from: 'host-second', expect: Expect.holds('second bind fails') }],
      why: {
        'http-status': "the server's socket is in the host's network namespace, bound to all of the host's addresses: no NAT, no -p",
        refused: 'nothing listens on the host at :80',
        fact: "both containers share one network namespace, the host's: port 80 is already bound there, so bind() returns EADDRINUSE",
      },
    },
  ],
});
