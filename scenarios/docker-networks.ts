/**
 * docker-networks — article 002's tour of Docker networking: the default
 * bridge (by IP, not by name), --link, user-defined networks with their own
 * DNS and br-<id> bridge, isolation inside one network by configuration
 * (enable_icc=false, --internal), and two user-defined networks kept apart;
 * how the default bridge hands out addresses, and `brctl show`.
 * Servers are np-serve (they name themselves); clients run np-probe (a TCP
 * connect, 3 s timeout).
 */
import { userNetwork } from '../src/environment/docker/index.ts';
import { docker } from '../src/environment/environment.ts';
import { bridgeAddressesInSubnet, bridgeAddressesUnpredictable } from '../src/probes/address-allocation.ts';
import { brctlInstalledByDefault, brctlListsContainers, brctlListsNothingOn } from '../src/probes/brctl-checks.ts';
import { withoutBridge } from '../src/probes/engine-checks.ts';
import { Found } from '../src/probes/lab-value.ts';
import { hostBridgeFor } from '../src/probes/network-checks.ts';
import { whileNoNetworkIsCreated } from '../src/probes/quiet-engine.ts';
import { tcpConnect } from '../src/probes/tcp-connect.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';

const server = (network: string) => container({ image: 'toolbox', network, command: ['np-serve', '80'], listens: 80, description: `HTTP server (np-serve) on ${network}, port 80` });
const client = (network: string) => container({ image: 'toolbox', network, description: `client on ${network}` });

/** Nothing listens on the discard port: a reset proves the packet reached the host, silence or no route that it did not. */
const hostDiscardPort = 9;

/** The lab's resolver choice, which decides what an unknown name does on the default bridge. */
const labResolver =
  "every lab container's resolver is its own loopback (--dns 127.0.0.1, nothing listening), so no query leaves the machine; on a stock host the default bridge copies the host's resolv.conf instead, whose servers know no container names either";

export default defineScenario({
  name: 'docker-networks',
  title: 'Default bridge, --link, user-defined networks, isolation inside and between networks (article 002)',
  environment: docker(),
  networks: {
    front: userNetwork(),
    back: userNetwork(),
    quiet: userNetwork({ options: { 'com.docker.network.bridge.enable_icc': 'false' } }),
    sealed: userNetwork({ internal: true }),
    // No container joins it: brctl show's contrast, a bridge with nothing bound.
    empty: userNetwork(),
  },
  workloads: {
    web: server('bridge'),
    'link-web': server('bridge'),
    client: client('bridge'),
    linked: container({ image: 'toolbox', network: 'bridge', links: { 'link-web': 'webalias' }, description: 'client on the default bridge started with --link link-web:webalias' }),
    'front-web': server('front'),
    'front-client': client('front'),
    'back-client': client('back'),
    'quiet-web': server('quiet'),
    'quiet-client': client('quiet'),
    'sealed-client': client('sealed'),
    viewer: container({ image: 'toolbox', network: 'host', description: "toolbox in the host's network namespace, where brctl show sees the host's bridges" }),
  },
  claims: [
    {
      id: 'D9',
      article: '002',
      from: 'client',
      says: 'containers on the default bridge reach each other by IP with no configuration',
      expect: Expect.connects,
      attempts: [tcpConnect(Found.addressOf('web'), 80)],
      why: {
        success: 'both veths are ports of docker0, one L2 segment: the packet is bridged, not routed, and no rule filters it (icc is on by default)',
        timeout: 'something on this host drops traffic between containers of the default bridge (icc=false on the daemon?)',
      },
    },
    {
      id: 'D10',
      article: '002',
      from: 'client',
      says: 'on the default bridge a container cannot find another by name (contrast with 4.2/4.3)',
      expect: Expect.noName,
      attempts: [
        tcpConnect(Found.containerName('web'), 80),
        // The positive control: where Docker serves names (a user-defined network), the same kind of name resolves.
        { ...tcpConnect(Found.containerName('front-web'), 80), from: 'front-client', role: 'control', expect: Expect.connects },
      ],
      preconditions: [labResolver],
      why: {
        dns: "the default bridge has no embedded DNS (the container's resolv.conf does not point at 127.0.0.11) and --link wrote nothing into its /etc/hosts: the name is unknown; on a user-defined network the same kind of name is answered by Docker's embedded DNS",
        success: 'the name resolved: this engine serves names on the default bridge',
      },
    },
    {
      id: 'D11',
      article: '002',
      from: 'linked',
      says: '--link으로 연결된 컨테이너는 브릿지를 거치지 않고 직접 통신 — a container started with --link reaches the linked container by its alias, directly, without going through the bridge',
      expect: Expect.connects,
      attempts: [
        { ...tcpConnect('webalias', 80), half: 'reaches the linked container by its alias' },
        { ...withoutBridge('link-web', tcpConnect('webalias', 80)), half: 'directly, without going through the bridge', expect: Expect.holds('packets do not cross docker0') },
      ],
      why: {
        success: "--link wrote 'webalias' into the container's /etc/hosts with link-web's bridge address; no DNS is involved",
        fact: "a link is only an /etc/hosts entry (and, with icc=false, an iptables hole): the packets still go container → veth → docker0 → veth → container, so the linked server's veth, a port of docker0, counts them",
      },
    },
    {
      id: 'D12',
      article: '002',
      from: 'front-client',
      says: 'on a user-defined network containers reach each other by container name, and the host shows a br-<id> bridge for it',
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
      from: 'quiet-client',
      says: '설정에 따라 Docker Network 내부에서도 특정 컨테이너를 격리할 수 있다 — by configuration a container can be isolated inside one Docker network',
      expect: Expect.unreachable,
      attempts: [
        { ...tcpConnect(Found.addressOf('quiet-web', 'quiet'), 80), half: 'isolated from a peer on the same network (enable_icc=false)' },
        // The contrast: the same pair of images on a network with Docker's defaults connects.
        { ...tcpConnect(Found.addressOf('front-web', 'front'), 80), from: 'front-client', role: 'contrast', expect: Expect.connects },
        // "Can be isolated" is existential: enable_icc=false isolating the pair settles it. Beside it, a finding:
        // what an --internal network (the other isolating setting) still lets through, and the same from a default network.
        { ...tcpConnect(Found.hostAddress, hostDiscardPort), from: 'sealed-client', role: 'finding' },
        { ...tcpConnect(Found.hostAddress, hostDiscardPort), from: 'front-client', role: 'finding', expect: Expect.refused },
      ],
      why: {
        timeout: 'com.docker.network.bridge.enable_icc=false makes Docker add a FORWARD rule dropping traffic from the bridge back into the same bridge (-i br-x -o br-x -j DROP): the SYN is dropped silently',
        'no-route': '--internal gives the network no gateway: the container has no default route, so connect() fails at once with "Network is unreachable"',
        success: 'the two containers of the default-configured network reach each other: the contrast behaves',
        refused:
          "a reset from the host's own address (nothing listens on port 9): the packet was delivered to the host itself (INPUT). --internal only drops traffic Docker would forward off the network; the container keeps a default route to its bridge, whose host answers for all its own addresses: the same reset as from a default-configured network. A finding beside the claim, which enable_icc=false settles",
      },
    },
    {
      id: 'D21',
      article: '002',
      from: 'back-client',
      says: '세 가지 방법 모두 하나의 Docker Network 내부에서의 통신만 지원 — containers on two different user-defined networks cannot reach each other, even by IP',
      expect: Expect.unreachable,
      attempts: [
        // Docker 20.10 lifts this isolation for a moment whenever any network is created (another run's, say):
        // the attempt counts only if none was created while it ran.
        whileNoNetworkIsCreated(tcpConnect(Found.addressOf('front-web', 'front'), 80)),
        { ...tcpConnect(Found.addressOf('front-web', 'front'), 80), from: 'front-client', role: 'contrast', expect: Expect.connects },
      ],
      why: {
        timeout: "the packet reached the host (back's gateway) and was routed toward front's bridge, where Docker's DOCKER-ISOLATION-STAGE rules dropped it: a silent drop, so the client waits out its timeout",
        success: 'on the same network the address answers: the contrast behaves',
        'no-route': 'the client has no route to the other network',
      },
    },
    {
      id: 'D29',
      article: '002',
      from: 'host',
      says: '`bridge` 네트워크의 내부 컨테이너 IP는 `Subnet`에 할당된 대역폭 안에서 랜덤으로 배정된다 — container IPs in the bridge network are assigned randomly within the Subnet',
      expect: Expect.holds('assigned randomly within the subnet'),
      attempts: [
        { ...bridgeAddressesInSubnet(['web', 'link-web', 'client', 'linked']), half: 'within the Subnet', expect: Expect.holds('inside the bridge subnet') },
        { ...bridgeAddressesUnpredictable(), half: 'assigned randomly' },
      ],
      why: {
        fact: "Docker's IPAM (libnetwork's bitmap allocator) hands out the lowest address of the pool no endpoint holds, skipping the gateway: in order, and a freed address is given again to the next container; the address is predictable from the bridge's endpoints, not random",
      },
    },
    {
      id: 'D30',
      article: '002',
      from: 'viewer',
      says: '리눅스에 기본으로 설치된 명령인 `brctl show`를 사용해 `bridge`에 바인딩 된 컨테이너 확인이 가능하다 — `brctl show`, a command installed on Linux by default, shows the containers bound to the bridge',
      expect: Expect.holds("lists each container's veth under its bridge"),
      attempts: [
        { ...brctlInstalledByDefault(), from: 'host', half: 'a command installed on Linux by default', expect: Expect.holds('part of a default install') },
        { ...brctlListsContainers(['web', 'link-web', 'client', 'linked', 'front-web', 'front-client']), half: 'shows the containers bound to the bridge' },
        // The contrast: a bridge no container joined lists nothing, so a listed veth means a bound container.
        { ...brctlListsNothingOn('empty'), role: 'contrast', expect: Expect.holds('a bridge with no container lists no interface') },
      ],
      why: {
        fact: "brctl (Debian's bridge-utils, priority optional: a default install leaves it out; iproute2's `bridge link` is what comes by default) reads each bridge's ports from sysfs: every container's host-side veth is a port of its network's bridge (docker0 or br-<id>), so it lists the veths, by interface name, not the containers",
      },
    },
  ],
});
