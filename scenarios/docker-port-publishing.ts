/**
 * docker-port-publishing — article 004: a bridge container's own address
 * works from the host but not from outside; `-p 8080:80` makes it reachable
 * from outside through a DNAT rule. "Outside" is a client on a lab LAN
 * (198.18.0.0/24, RFC 2544's lab range) whose router has no uplink: the
 * host is 198.18.0.1 on that LAN. A second outside client has a static route
 * to the Docker bridge via the host, to show whether the isolation comes
 * from routing or from filtering.
 */
import { docker } from '../src/environment/environment.ts';
import { dnatRuleFor } from '../src/probes/network-checks.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { Found } from '../src/probes/lab-value.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';
import { lan, lanRouter, outsideClient } from '../src/workloads/outside-lan.ts';

const hostOnLan = { label: "the host's address on the lab LAN", resolve: () => lan.host };

export default defineScenario({
  name: 'docker-port-publishing',
  title: 'Container IPs from the host and from outside; -p 8080:80 and its DNAT rule (article 004)',
  environment: docker(),
  workloads: {
    web: container({
      image: 'toolbox',
      network: 'bridge',
      publish: [{ host: 8080, container: 80 }],
      command: ['np-serve', '80'],
      listens: 80,
      description: 'HTTP server on the default bridge, port 80, published with -p 8080:80',
    }),
    'on-host': container({ image: 'toolbox', network: 'host', description: "a client in the host's network namespace" }),
    router: lanRouter(),
    outside: outsideClient('router', { address: '198.18.0.10', description: 'client outside the host: its gateway is the LAN router' }),
    'outside-routed': outsideClient('router', {
      address: '198.18.0.11',
      routes: [['172.17.0.0/16', 'via', lan.host]],
      description: 'client outside the host with a static route to 172.17.0.0/16 via the Docker host',
    }),
  },
  claims: [
    {
      id: 'D17',
      article: '004',
      from: 'on-host',
      says: "a bridge container's IP (172.17.0.x:80) is reachable from the host, but not from a client outside the host",
      expect: Expect.httpStatus(200),
      attempts: [
        httpGet(Found.addressOf('web'), 80),
        { ...httpGet(Found.addressOf('web'), 80), from: 'outside', expect: Expect.unreachable },
        { ...httpGet(Found.addressOf('web'), 80), from: 'outside-routed', expect: Expect.unreachable },
      ],
      why: {
        'http-status':
          "the host reaches the container over docker0 (a connected route); a client that has a route to 172.17.0.0/16 via the host is forwarded too: Docker's FORWARD rules accept traffic to a published container port from any interface, so only routing keeps outsiders away",
        'no-route': "the outside client sends 172.17.0.x to its gateway, and the LAN's router has no route to a subnet that exists only inside the Docker host: ICMP network unreachable",
        timeout: "the packet reached the Docker host, which dropped it in FORWARD: the port is not published, so Docker's DOCKER chain does not accept it",
      },
    },
    {
      id: 'D18',
      article: '004',
      from: 'outside',
      says: '-p 8080:80 makes the container reachable from outside at host:8080, through a DNAT rule --dport 8080 --to-destination 172.17.0.x:80 in the DOCKER chain',
      expect: Expect.httpStatus(200),
      attempts: [httpGet(hostOnLan, 8080), { ...dnatRuleFor(8080, 'web', 80), expect: Expect.holds('a DNAT rule for 8080 exists') }],
      why: {
        'http-status': "the client reached the host's own LAN address; PREROUTING's DOCKER chain rewrote the destination to the container, and FORWARD accepted it to docker0",
        fact: 'dockerd added the rule when the container started with -p (the rules before the start are in the evidence)',
        timeout: 'the published port did not answer from outside',
      },
    },
  ],
});
