/**
 * docker-two-hosts — Docker hosts as separate machines (each a dockerd in its
 * own privileged container) on one lab LAN. Article 002's limit of Docker
 * networks: host A's container tries host B's containers by their 172.17.x
 * addresses, then host C's (another --bip) through a static route, then an
 * overlay after a swarm join. Article 004's docker0 DOWN with nothing
 * attached, read on a fresh engine. Article 000's 172.17.0.1 as the way from
 * a container to its host, from the default bridge, a user-defined network,
 * and on the engine started with another --bip, beside host-gateway.
 */
import { docker } from '../src/environment/environment.ts';
import { userNetwork } from '../src/environment/docker/index.ts';
import { docker0State, throughRoute, toLanGateway } from '../src/probes/docker-host-paths.ts';
import { acrossDefaultBridges, nothingInstalledButTheEngine, overlayWithoutSwarm, overSwarmOverlay } from '../src/probes/docker-hosts.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { watchingForward, whereDropped } from '../src/probes/iptables-checks.ts';
import { Found } from '../src/probes/lab-value.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { dockerHost, innerContainer } from '../src/workloads/docker-host.ts';
import { labObjectName } from '../src/lab/names.ts';

const port = 8000;
/** The host's service: an np-serve standing in for PostgreSQL's 5432 (the path is in question, not the protocol). */
const hostPort = 15432;
/** A page that names its server, so an answer proves who answered. */
const webServer = ['np-serve', String(port)];
const hostServer = ['np-serve', String(hostPort)];
const hosts = ['hostA', 'hostB'];
/** Host A's user-defined network, on its own dockerd. */
const userNet = labObjectName('user');
/**
 * Host C's default bridge: a --bip of the lab's choosing. 172.16.0.0/16 lies outside
 * Docker's default address pools (172.17–31.0.0/16, 192.168.0.0/16), so the lab LAN,
 * which Docker numbers from those pools, can never be given the same subnet.
 */
const bipC = { gateway: '172.16.0.1', subnet: '172.16.0.0/16' };
const routeToC = { on: 'hostA', to: bipC.subnet, via: 'hostC' };
const gatewayOfC = Found.labAddress("host C's docker0 address (its --bip)", bipC.gateway);
const hostGateway = 'host.docker.internal:host-gateway';
/** Hosts A and B in one swarm, web1 and the client on its attachable overlay: D20's way across, and D31's engine with nothing else installed. */
const overlayToWeb1 = overSwarmOverlay({ manager: 'hostA', worker: 'hostB', target: { workload: 'web1', port }, overlay: labObjectName('overlay') });

export default defineScenario({
  name: 'docker-two-hosts',
  title: 'Three Docker hosts: default bridges, another --bip with a route, a swarm overlay, docker0 state, 172.17.0.1 as the way to the host (articles 002, 004, 000)',
  environment: docker({ engineRuns: 'docker-hosts' }),
  networks: { lan: userNetwork() },
  workloads: {
    hostA: dockerHost({ lan: 'lan', networks: [userNet], description: `Docker host A: dockerd in a privileged container on the lab LAN, with a user-defined network ${userNet}` }),
    hostB: dockerHost({ lan: 'lan', description: 'Docker host B: dockerd in a privileged container on the lab LAN' }),
    hostC: dockerHost({ lan: 'lan', bip: `${bipC.gateway}/16`, description: `Docker host C: dockerd started with --bip ${bipC.gateway}/16, on the lab LAN` }),
    client: innerContainer({ host: 'hostA', image: 'toolbox', description: "toolbox on host A's default bridge (its first container)" }),
    // web1 first, so host B numbers it as host A numbered the client: both 172.17.0.2 on fresh engines.
    web1: innerContainer({ host: 'hostB', image: 'toolbox', command: webServer, listens: port, description: "HTTP server on host B's default bridge (its first container)" }),
    web2: innerContainer({ host: 'hostB', image: 'toolbox', command: webServer, listens: port, after: ['web1'], description: "HTTP server on host B's default bridge (its second container)" }),
    srvA: innerContainer({ host: 'hostA', image: 'toolbox', network: 'host', command: hostServer, listens: hostPort, description: `the host's service: np-serve :${hostPort} in host A's own namespace (docker run --network host)` }),
    userClient: innerContainer({ host: 'hostA', image: 'toolbox', network: userNet, addHosts: [hostGateway], description: `toolbox on host A's user-defined network ${userNet}, --add-host ${hostGateway}` }),
    srvC: innerContainer({ host: 'hostC', image: 'toolbox', network: 'host', command: hostServer, listens: hostPort, description: `the host's service: np-serve :${hostPort} in host C's own namespace` }),
    cWeb: innerContainer({ host: 'hostC', image: 'toolbox', command: webServer, listens: port, addHosts: [hostGateway], description: `HTTP server on host C's default bridge, not published, --add-host ${hostGateway}` }),
    cPub: innerContainer({ host: 'hostC', image: 'toolbox', command: webServer, listens: port, publish: [{ host: port, container: port }], after: ['cWeb'], description: `HTTP server on host C's default bridge, published with -p ${port}:${port}` }),
  },
  claims: [
    {
      id: 'D20',
      article: '002',
      from: 'client',
      says:
        "Docker Network는 같은 호스트에서만 구성이 가능하다 … (결론: Overlay Network add-on 도입이 필요하다.) — containers on two Docker hosts' default bridges cannot reach each other; an overlay network connects them",
      expect: Expect.unreachable,
      preconditions: [
        `host C's engine runs with --bip ${bipC.gateway}/16 and host A has a static route to ${bipC.subnet} via host C's LAN address: both set by the lab, for the routed attempts`,
        "each engine starts as a fresh Linux host does, with net.ipv4.ip_forward=0: dockerd turns forwarding on and sets FORWARD's policy to DROP (a host that forwarded before Docker keeps ACCEPT)",
      ],
      attempts: [
        // An address host A's bridge does not use: the honest "B's container by its bridge IP".
        { ...acrossDefaultBridges({ target: { workload: 'web2', host: 'hostB', port }, hosts }), half: 'same bridge subnet on both hosts' },
        // The address both engines hand out first: on host A it is the client itself, so web1 cannot be what answers.
        { ...acrossDefaultBridges({ target: { workload: 'web1', host: 'hostB', port }, hosts }), expect: Expect.notFrom('web1'), half: 'same bridge subnet on both hosts' },
        // The route to host C's bridge works at all: host C itself answers on its docker0 address.
        { ...throughRoute(httpGet(gatewayOfC, hostPort), routeToC), expect: Expect.httpFrom(200, 'srvC'), role: 'control' },
        { ...watchingForward(throughRoute(httpGet(Found.addressOf('cWeb'), port, '/', whereDropped), routeToC), 'hostC'), half: 'different bridge subnets and a route: an unpublished container' },
        { ...watchingForward(throughRoute(httpGet(Found.addressOf('cPub'), port, '/', whereDropped), routeToC), 'hostC'), half: 'different bridge subnets and a route: a published container' },
        // What the article prescribes instead: with an overlay, web1 itself answers.
        { ...overlayToWeb1, half: 'an overlay network connects them', expect: Expect.httpFrom(200, 'web1') },
      ],
      why: {
        'no-route':
          "each engine's docker0 is its own private 172.17.0.0/16, on-link on that host only: host A looks for 172.17.0.x on its own bridge (ARP), finds nobody, and never sends it to the other host",
        refused: "the address both engines hand out first is, on host A, the client's own: it refused itself, and host B's container was never asked",
        timeout:
          "no answer: by the static route the packet went to host C, whose FORWARD dropped it (its policy and counter are in the detail); across identical subnets, ARP on host A's own docker0 found nobody",
        'http-status':
          "an answer from the named container: over the overlay, swarm carries the containers' frames between the engines in VXLAN (UDP 4789); with different bridge subnets and a route, host A masquerades the client to its LAN address and host C forwards to its bridge, no overlay involved",
      },
    },
    {
      id: 'D31',
      article: '002',
      from: 'client',
      says: 'docker에서 Overlay Network를 지원하라면 추가적인 플러그인과 설정이 필요하다 — for Docker to support an overlay network, additional plugins and configuration are needed',
      // The article's reading: with nothing installed beyond the engine, no overlay joins the containers.
      expect: Expect.unreachable,
      preconditions: ['the Docker hosts run Debian\'s docker.io and nothing else: no plugin installed (checked, the control below)'],
      attempts: [
        { ...overlayWithoutSwarm('hostC', labObjectName('overlay-c')), expect: Expect.holds('the engine refuses an overlay network until it is configured (a swarm)'), half: 'configuration: an engine in no swarm' },
        { ...nothingInstalledButTheEngine(['hostA', 'hostB']), expect: Expect.holds('no plugin installed; overlay is one of the engine\'s own network drivers'), role: 'control' },
        { ...overlayToWeb1, half: 'plugins: nothing installed but the engine, configured as a swarm' },
      ],
      why: {
        fact: "an engine in no swarm refuses the overlay driver (it needs the swarm's key-value store): configuration is needed; `docker plugin ls` is empty on both hosts and `overlay` is among the drivers the engine itself reports",
        'http-status':
          'web1 answered over the overlay with nothing installed but the engine: `docker swarm init` / `join` (configuration) was all it took; the overlay driver is built into dockerd, no plugin',
      },
    },
    {
      id: 'D24',
      article: '004',
      from: 'hostB',
      says: 'Docker0 ⇒ down state — docker0 is in state DOWN (with no container attached)',
      expect: Expect.holds('docker0 is DOWN'),
      attempts: [
        { ...docker0State('hostB', 'at start', 'DOWN'), half: 'with no container attached' },
        { ...docker0State('hostB', 'now', 'UP'), expect: Expect.holds('docker0 is UP with containers attached'), role: 'contrast' },
      ],
      why: {
        fact: "docker0's admin state is UP from the engine's start; its operational state follows its ports: with none attached the bridge has no carrier (NO-CARRIER), which `ip link` shows as state DOWN, and the first container's veth brings it UP",
      },
    },
    {
      id: 'D28',
      article: '000',
      from: 'client',
      says: "컨테이너 내부에서 172.17.0.1 은 호스트 머신(Gateway)을 가리키는 가장 확실한 경로이다 — from inside a container, 172.17.0.1 is the most reliable path to the host machine (DATABASES 'HOST': '172.17.0.1', PORT 5432)",
      expect: Expect.httpFrom(200, 'srvA'),
      preconditions: [
        `the host's service is an np-serve HTTP server on port ${hostPort} in each Docker host's own namespace, standing in for PostgreSQL on 5432: the path is in question, not the protocol`,
        `host C's LAN gateway is this machine, whose own docker0 holds 172.17.0.1 (checked before sending): what host C sends there stays on the machine`,
      ],
      attempts: [
        { ...httpGet('172.17.0.1', hostPort), half: 'from the default bridge' },
        { ...httpGet('172.17.0.1', hostPort), from: 'userClient', half: 'from a user-defined network' },
        { ...httpGet('host.docker.internal', hostPort), from: 'userClient', role: 'contrast' },
        { ...toLanGateway(httpGet('172.17.0.1', hostPort), 'hostC', '172.17.0.1', hostPort), from: 'cWeb', expect: Expect.httpFrom(200, 'srvC'), half: 'on an engine started with another --bip' },
        { ...httpGet('host.docker.internal', hostPort), from: 'cWeb', expect: Expect.httpFrom(200, 'srvC'), role: 'contrast' },
      ],
      why: {
        'http-status':
          "the Docker host's own server answered: with the default bip 172.17.0.1 is docker0's address, an address of the host, so from the default bridge and from a user-defined network alike the packet is delivered to the host's namespace; host-gateway writes the engine's docker0 address (its --bip gateway) into /etc/hosts",
        refused:
          "on an engine started with another --bip, 172.17.0.1 is no address of that Docker host: the container's packet follows the host's default route to its LAN gateway, another machine (here this machine, whose docker0 is 172.17.0.1 and where nothing listens on the port), which refused",
        timeout: 'no answer at 172.17.0.1: the packet went to a machine that did not answer',
      },
    },
  ],
});
