/**
 * docker-networks — article 002's tour of Docker networking: the default
 * bridge (by IP, not by name), --link, user-defined networks with their own
 * DNS and br-<id> bridge, and two user-defined networks kept apart.
 * Servers are `python3 -m http.server 80` in the toolbox image; clients run
 * np-probe (a TCP connect, 3 s timeout).
 */
import { docker } from '../src/environment/environment.ts';
import { userNetwork } from '../src/environment/docker/lab-network.ts';
import { hostBridgeFor } from '../src/probes/network-checks.ts';
import { tcpConnect } from '../src/probes/tcp-connect.ts';
import { Found } from '../src/probes/lab-value.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';

const server = (network: string) => container({ image: 'toolbox', network, command: ['np-serve', '80'], listens: 80, description: `HTTP server on ${network}, port 80` });
const client = (network: string) => container({ image: 'toolbox', network, description: `client on ${network}` });

export default defineScenario({
  name: 'docker-networks',
  title: 'Default bridge, --link, user-defined networks and their isolation (article 002)',
  environment: docker(),
  networks: { front: userNetwork(), back: userNetwork() },
  workloads: {
    web: server('bridge'),
    client: client('bridge'),
    linked: container({ image: 'toolbox', network: 'bridge', links: { web: 'webalias' }, description: 'client on the default bridge started with --link web:webalias' }),
    'front-web': server('front'),
    'front-client': client('front'),
    'back-client': client('back'),
  },
  claims: [
    {
      id: 'D9',
      article: '002',
      from: 'client',
      says: 'containers on the default bridge reach each other by IP with no configuration',
      expect: Expect.connects,
      attempts: [tcpConnect(Found.addressOf('web'), 80)],
      why: { success: 'both veths are ports of docker0, one L2 segment: the packet is bridged, not routed, and no rule filters it (icc is on by default)' },
    },
    {
      id: 'D10',
      article: '002',
      from: 'client',
      says: 'on the default bridge a container cannot find another by name (contrast with 4.2/4.3)',
      expect: Expect.noName,
      attempts: [tcpConnect(Found.containerName('web'), 80)],
      why: {
        dns: "the default bridge has no embedded DNS: the container resolves through the host's resolver settings, which know no container names (the lab points them at the container's own loopback so no query leaves the machine)",
        success: 'the name resolved: this engine serves names on the default bridge',
      },
    },
    {
      id: 'D11',
      article: '002',
      from: 'linked',
      says: 'a container started with --link reaches the linked container by its alias',
      expect: Expect.connects,
      attempts: [tcpConnect('webalias', 80)],
      why: { success: "--link wrote 'webalias' into the container's /etc/hosts with web's bridge address; no DNS is involved" },
    },
    {
      id: 'D12',
      article: '002',
      from: 'front-client',
      says: "on a user-defined network containers reach each other by container name, and the host shows a br-<id> bridge for it",
      expect: Expect.connects,
      attempts: [tcpConnect(Found.containerName('front-web'), 80), { ...hostBridgeFor('front'), expect: Expect.holds('a br-<id> bridge exists') }],
      why: {
        success: "Docker's embedded DNS at 127.0.0.11 answers container names (and aliases) of the same user-defined network",
        dns: 'the embedded DNS did not know the name',
        fact: 'each user-defined bridge network gets its own Linux bridge, br- plus the first 12 characters of the network id',
      },
    },
    {
      id: 'D14',
      article: '002',
      from: 'back-client',
      says: 'containers on two different user-defined networks are isolated from each other, even by IP',
      expect: Expect.unreachable,
      attempts: [tcpConnect(Found.addressOf('front-web', 'front'), 80)],
      why: {
        timeout: "the packet reached the host (back's gateway) and was routed toward front's bridge, where Docker's DOCKER-ISOLATION-STAGE rules dropped it: a silent drop, so the client waits out its timeout",
        success: 'the networks are not isolated on this engine (no DOCKER-ISOLATION rules?)',
        'no-route': 'the client has no route to the other network',
      },
    },
  ],
});
