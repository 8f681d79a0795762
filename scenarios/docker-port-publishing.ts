/**
 * docker-port-publishing — article 004 (and 002 §5.2): a bridge container's
 * own address works from the host but not from outside; `-p 8080:80` makes a
 * container reachable from outside through a DNAT rule. "Outside" is a client
 * on a lab LAN (198.18.0.0/24, RFC 2544's lab range) whose router has no
 * uplink and no routes: the host is 198.18.0.1 on that LAN. A second outside
 * client has a static route to the Docker bridge via the host, so whether
 * isolation comes from routing or from the host's filter can be told apart.
 */
import { docker } from '../src/environment/environment.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { watchingForward, whereDropped, withHostEvidence } from '../src/probes/iptables-checks.ts';
import { Found } from '../src/probes/lab-value.ts';
import { natCounterCounts, natListingShowsDnat } from '../src/probes/nat-listing.ts';
import { dnatRuleFor } from '../src/probes/network-checks.ts';
import { articleRuleAccepted, dockerPublishRulesAccepted } from '../src/probes/netns-checks.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';
import { lan, lanRouter, outsideClient } from '../src/workloads/outside-lan.ts';

const hostOnLan = Found.labAddress("the host's address on the lab LAN", lan.host);
const noRouteOnRouter = `the lab LAN's router has no route to 172.17.0.0/16 (nor any uplink): a client whose only gateway is that router gets "network unreachable" from it, a choice of the lab's, not Docker's doing`;
/** The host's nat rules and listeners for a published port, beside a request to it. */
const portEvidence = (port: number) => [
  ['iptables', '-t', 'nat', '-S', 'DOCKER'],
  ['ss', '-Hltnp', `sport = :${port}`],
];

export default defineScenario({
  name: 'docker-port-publishing',
  title: 'Container IPs from the host and from outside; -p 8080:80, -p 127.0.0.1:8081:80 and the DNAT rule (articles 004, 002)',
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
    unpublished: container({ image: 'toolbox', network: 'bridge', command: ['np-serve', '80'], listens: 80, description: 'HTTP server on the default bridge, port 80, not published' }),
    'loopback-only': container({
      image: 'toolbox',
      network: 'bridge',
      publish: [{ hostIp: '127.0.0.1', host: 8081, container: 80 }],
      command: ['np-serve', '80'],
      listens: 80,
      description: "HTTP server on the default bridge, published only on the host's loopback with -p 127.0.0.1:8081:80",
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
      says: '예: http://172.17.0.3:80 ⇒ 애플리케이션 실행 가능 / 하지만 외부에서 같은 주소로 접속했을 경우 접속 불가 — from the host a bridge container answers at its own IP; from outside the same address does not work',
      expect: Expect.httpFrom(200, 'unpublished'),
      preconditions: [noRouteOnRouter],
      attempts: [
        { ...httpGet(Found.addressOf('unpublished'), 80), half: 'the host reaches the container at its IP' },
        { ...httpGet(Found.addressOf('unpublished'), 80), from: 'outside', expect: Expect.unreachable, half: 'from outside the same address does not work' },
        { ...watchingForward(httpGet(Found.addressOf('unpublished'), 80, '/', whereDropped)), from: 'outside-routed', expect: Expect.unreachable, half: 'from outside the same address does not work' },
        // The routed client's path through the host to a container works at all: the published port at the host's
        // docker0 address is DNATed to web and forwarded to docker0, on every engine.
        { ...watchingForward(httpGet(Found.bridgeGateway, 8080)), from: 'outside-routed', expect: Expect.httpFrom(200, 'web'), role: 'control' },
        // Whether a published container's own IP answers a routed client: 20.10's DOCKER chain accepts it; since 28
        // a raw-table rule drops any packet to a container's IP that did not come in on its bridge (moby#49325).
        { ...watchingForward(httpGet(Found.addressOf('web'), 80, '/', whereDropped)), from: 'outside-routed', expect: Expect.httpFrom(200, 'web'), role: 'finding' },
      ],
      why: {
        'http-status':
          "the container answered: the host reaches it over docker0 (a connected route); a client routed via the host reaches a container's published port, which Docker's DOCKER chain in FORWARD accepts from any interface",
        'no-route': "the outside client sends 172.17.0.x to its gateway, and the LAN's router has no route to a subnet that exists only inside the Docker host: ICMP network unreachable",
        timeout: "the packet reached the Docker host (the client routes 172.17.0.0/16 via it) and FORWARD dropped it: the DOCKER chain accepts only published container ports, and FORWARD's policy took the rest (the policy and its counter are in the detail)",
      },
    },
    {
      id: 'D18',
      article: '004',
      from: 'outside',
      says: '`docker run -p 8080:80 nginx` 호스트의 8080 포트로 들어온 요청을 80포트로 전달 — from outside, host:8080 reaches the container, through a DNAT rule --dport 8080 --to-destination 172.17.0.x:80 in the DOCKER chain',
      expect: Expect.httpFrom(200, 'web'),
      attempts: [{ ...httpGet(hostOnLan, 8080), half: "host:8080 reaches the container's :80" }, { ...dnatRuleFor(8080, 'web', 80), expect: Expect.holds('a DNAT rule for 8080 exists'), half: 'through a DNAT rule' }],
      why: {
        'http-status': "the client reached the host's own LAN address; PREROUTING's DOCKER chain rewrote the destination to the container, and FORWARD accepted it to docker0",
        fact: 'dockerd added the rule when the container started with -p (the rules before the start are in the evidence)',
        timeout: 'the published port did not answer from outside',
      },
    },
    {
      id: 'D23',
      article: '002',
      from: 'outside',
      says: 'docker는 port를 export하는 방법으로 통신할 수 있다. (즉, 무조건 외부에 열어야 한다.) — Docker communicates by exporting ports, that is, it must always open them to the outside (tried with -p 127.0.0.1:8081:80)',
      expect: Expect.httpFrom(200, 'loopback-only'),
      attempts: [
        { ...httpGet('127.0.0.1', 8081), from: 'on-host', role: 'control' },
        { ...withHostEvidence(httpGet(hostOnLan, 8081), portEvidence(8081)), half: 'the port is open to the outside' },
        // moby#45610: a LAN neighbour with a route to the bridge reaches the container's own IP and port, published on loopback or not.
        { ...watchingForward(httpGet(Found.addressOf('loopback-only'), 80, '/', whereDropped)), from: 'outside-routed', half: "the container's own IP and port, from a LAN neighbour with a route to the bridge" },
      ],
      why: {
        'http-status':
          "the host reaches 127.0.0.1:8081: docker-proxy listens there and relays to the container's :80; a neighbour routing 172.17.0.0/16 via the host reaches the container's own :80, since Docker 20.10's DOCKER chain accepts a published container port from any interface, whatever host address the port was published on (moby#45610)",
        refused: "-p 127.0.0.1:8081:80 binds the host's loopback only: nothing listens on the host's LAN address at 8081 and the DNAT rule matches -d 127.0.0.1 only, so the host answers the outside client with a reset; publishing need not open a port to the outside",
        timeout: "no answer: at host:8081, or at the container's own :80 through the host, whose FORWARD dropped it (its policy and counter are in the detail)",
      },
    },
    {
      id: 'D26',
      article: '004',
      from: 'outside',
      says: '`docker run -p 8080:80 nginx` … ⇒ 외부에서 http://172.17.0.3:8080 : 접속 가능 — after -p 8080:80, from outside the container IP with the host port is reachable',
      expect: Expect.httpFrom(200, 'web'),
      preconditions: [noRouteOnRouter],
      attempts: [
        httpGet(Found.addressOf('web'), 8080),
        { ...watchingForward(httpGet(Found.addressOf('web'), 8080, '/', whereDropped)), from: 'outside-routed' },
        { ...httpGet(hostOnLan, 8080), role: 'control' },
      ],
      why: {
        'http-status': "host:8080 is the published port: the host's DNAT sends it to the container's :80",
        'no-route': "the container's IP is not reachable from outside at all: the LAN's router has no route to 172.17.0.0/16",
        timeout: "the client routed via the host reached it, but port 8080 exists on the host only: the container listens on 80, and FORWARD (DOCKER chain) accepts only the published container port 80, so FORWARD's policy took it (see the detail)",
        refused: 'the packet reached the container, where nothing listens on 8080: the container serves 80; 8080 is the host side of the mapping',
      },
    },
    {
      id: 'D27',
      article: '004',
      from: 'host',
      says: '어떻게 8080 포트에서 80 포트로 트래픽 전달? NAT 규칙 생성: iptables -t nat -A PREROUTING -j DNAT --dport 8080 --to-destination 80; iptables -t nat -A DOCKER -j DNAT --dport 8080 --to-destination 172.17.0.3:80 — these rules forward host:8080 to the container\'s :80',
      expect: Expect.holds('iptables accepts the rule'),
      attempts: [
        { ...articleRuleAccepted(['iptables', '-t', 'nat', '-A', 'PREROUTING', '-j', 'DNAT', '--dport', '8080', '--to-destination', '80'], 'd27article'), half: "the article's first rule (-A PREROUTING), verbatim" },
        // The article's second rule, into the DOCKER chain its host has (made first in the lab namespace: the chain is not what is tried).
        {
          ...articleRuleAccepted(['iptables', '-t', 'nat', '-A', 'DOCKER', '-j', 'DNAT', '--dport', '8080', '--to-destination', '172.17.0.3:80'], 'd27docker2', ['DOCKER']),
          half: "the article's second rule (-A DOCKER), verbatim",
        },
        // The rules dockerd wrote for web's -p 8080:80, read off this host: iptables in a lab namespace takes a well-formed DNAT rule.
        { ...dockerPublishRulesAccepted(8080, 'd27docker'), role: 'control' },
      ],
      why: {
        fact:
          'iptables needs `-p tcp` before `--dport` (the port match belongs to the protocol), which both of the article\'s rules lack, and the first one\'s `--to-destination 80` names no address; the rule Docker writes for -p 8080:80 is `-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.x:80`, reached from PREROUTING for local destinations',
      },
    },
    {
      id: 'D32',
      article: '004',
      from: 'host',
      says: '`docker run -p 8080:80 nginx` … NAT 규칙 생성 … ⇒ `iptables -nvL -t nat` 으로 확인할 수 있음 — after -p 8080:80, `iptables -nvL -t nat` shows the DNAT rule of the published port',
      expect: Expect.holds('chain DOCKER shows DNAT dpt:8080 to the container:80'),
      attempts: [
        { ...natListingShowsDnat({ workload: 'web', containerPort: 80, hostPort: 8080 }), half: 'shows the DNAT rule of the published port' },
        { ...natCounterCounts({ workload: 'web', containerPort: 80, hostPort: 8080 }, httpGet(hostOnLan, 8080)), from: 'outside', half: 'with its counters (-v)', expect: Expect.holds("the rule's pkts count a request from outside") },
        // The contrast: the unpublished container, on the same bridge, has no DNAT rule to show.
        { ...natListingShowsDnat({ workload: 'unpublished', containerPort: 80 }), role: 'contrast', expect: Expect.holdsNot('no DNAT rule to the unpublished container') },
      ],
      why: {
        fact: "dockerd writes one DNAT rule per published port into its own nat chain DOCKER (reached from PREROUTING and OUTPUT for local destinations), and none for a container without -p; -v shows each rule's packet counter, which counts the first packet of each new connection (the nat table sees only those)",
      },
    },
  ],
});
