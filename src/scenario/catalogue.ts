/**
 * The claim catalogue: every claim the articles make that the lab tries,
 * with its stable id (shared/claims.md), the article file and section it
 * comes from, and what it says. Scenarios try them; `npm run scenario --
 * --claims` prints them with the scenario that does; a unit test holds the
 * catalogue, shared/claims.md and the scenarios to one another.
 */
export interface CatalogueEntry {
  readonly id: string;
  /** The article file number in shared/articles (000 … 004). */
  readonly article: string;
  /** Where in the article: its section number or heading. */
  readonly section: string;
  readonly says: string;
}

const entry = (id: string, article: string, section: string, says: string): CatalogueEntry => ({ id, article, section, says });

export const catalogue: readonly CatalogueEntry[] = [
  entry('D1', '000', 'Docker 단독 실행 환경', "from a container on the default bridge, the host's PostgreSQL answers at 172.17.0.1:5432 (docker0)"),
  entry('D2', '000', "'로컬'의 정의가 다르다", "localhost / 127.0.0.1 inside the container is the container itself, not the host's database"),
  entry('D3', '000', 'HOST 변경 이유', "the host's own LAN address reaches its PostgreSQL from a container"),
  entry('D4', '001', '2. 도커 컴포즈 사용시 nginx-default.conf', 'proxy_pass http://model_test:6001 (the service name) reaches Flask: HTTP 200'),
  entry('D5', '001', '2. 도커 컴포즈 사용시 nginx-default.conf', 'proxy_pass http://127.0.0.1:6001 is nginx itself: 502'),
  entry('D6', '001', '2. 도커 컴포즈 사용시 nginx-default.conf', 'the nginx and Flask containers have different IPs in one subnet'),
  entry('D7', '002', '3.1 docker에서 사용중인 Network 확인', 'docker network ls shows bridge, host and none'),
  entry('D8', '002', '2.1 docker0 브릿지란?', 'docker0 is 172.17.0.1, the default bridge subnet 172.17.0.0/16'),
  entry('D9', '002', '4.1 리눅스 브릿지(docker0)를 사용한 내부 통신', 'containers on the default bridge reach each other by IP with no configuration'),
  entry('D10', '002', '4.2 / 4.3 (by contrast)', 'on the default bridge a container cannot find another by name'),
  entry('D11', '002', '4.2 Linking을 사용한 통신', 'a --link container reaches the linked one by its alias, directly, without going through the bridge'),
  entry('D12', '002', '4.3 Custom Network를 사용한 통신', 'on a user-defined network containers find each other by name; the host has a br-<id> bridge'),
  entry('D13', '002', '2, 4.3', 'docker-compose up creates a new network, every time it runs'),
  entry('D14', '002', '4.1 리눅스 브릿지(docker0)를 사용한 내부 통신', 'by configuration a container can be isolated inside one Docker network'),
  entry('D15', '004', '1. Container Networking', 'a --network none container has only lo and reaches nothing'),
  entry('D16', '004', '1. Container Networking', 'a --network host server is reachable at the host address without -p; a second one on the port cannot bind'),
  entry('D17', '004', '1. Bridge network', "a bridge container's IP works from the host, not from outside the host"),
  entry('D18', '004', '2. 호스트 외부에서 도커 컨테이너를 접속', '-p 8080:80 makes host:8080 reach the container through a DNAT rule'),
  entry('D19', '004', '1. Bridge network', "a veth pair joins the container's eth0 and docker0"),
  entry('D20', '002', '4.4 한계', 'containers on two Docker hosts cannot reach each other without an overlay network'),
  entry('D21', '002', '4.4 한계', 'all three ways only work inside one Docker network: no traffic between networks'),
  entry('D22', '002', '2. docker0 브릿지', 'every container communicates, inside and out, only through the bridge'),
  entry('D23', '002', '5.2 외부 통신 방법 비교', 'Docker exports ports, so it must always open them to the outside'),
  entry('D24', '004', '1. Bridge network', 'docker0 is DOWN while no container is attached'),
  entry('D25', '004', '1. Bridge network', "ip netns shows a container's network namespace"),
  entry('D26', '004', '2. 호스트 외부에서 도커 컨테이너를 접속', 'from outside, http://172.17.0.3:8080 (container IP, host port) is reachable'),
  entry('D27', '004', '2. 호스트 외부에서 도커 컨테이너를 접속', 'iptables -t nat -A PREROUTING -j DNAT --dport 8080 --to-destination 80 forwards host:8080 to the container'),
  entry('D28', '000', 'HOST 변경 이유', '172.17.0.1 is the most reliable path from inside a container to the host'),
  entry('K1', '000', '네트워크의 주체가 다르다 (docker0 vs CNI)', 'from a pod, 172.17.0.1 may be blocked or unrouted, depending on the CNI'),
  entry('K2', '000', 'Kubernetes 환경', "from a pod, the node's own address (10.0.2.4) reaches PostgreSQL on the node"),
  entry('K3', '000', "'로컬'의 정의가 다르다", 'localhost in a pod is the pod itself'),
  entry('K4', '000', '확장성을 고려한 표준 방식이다', "a pod on a worker still reaches the DB node's address; 172.17.0.1 means nothing there"),
  entry('K5', '001', '3. 쿠버네티스 사용시 nginx-default.conf', 'nginx and Flask in one pod: proxy_pass http://127.0.0.1:6001 answers 200'),
  entry('K6', '001', '3. 쿠버네티스 사용시 nginx-default.conf', 'nginx and Flask in two pods: proxy_pass http://127.0.0.1:6001 fails (502)'),
  entry('K7', '001', '3. 쿠버네티스 사용시 nginx-default.conf', 'the containers of one pod share one IP'),
  entry('K8', '003', 'Pod 간 통신의 구조', 'a pod reaches a pod on another node by pod IP, without NAT'),
  entry('K9', '003', '쿠버네티스 네트워킹의 기본 철학', 'every pod has a unique IP inside the pod CIDR, one subnet per node'),
  entry('K10', '003', 'DNS로 이름 기반 통신하기', 'a ClusterIP Service answers at http://web-svc and web-svc.default.svc.cluster.local'),
  entry('K11', '003', 'Service와 ClusterIP란?', 'a ClusterIP is not reachable from outside the cluster'),
  entry('K12', '003', 'Service와 ClusterIP란?', 'a ClusterIP Service spreads requests over its replicas'),
  entry('K13', '003', '클러스터 외부 접근 방법', 'nodeIP:nodePort is reachable from outside the cluster'),
  entry('K14', '003', '클러스터 외부 접근 방법', 'a LoadBalancer Service gets an external IP only where a load balancer exists'),
  entry('K15', '003', '클러스터 외부 접근 방법', 'an Ingress routes two paths to two Services'),
  entry('K16', '003', 'CNI 플러그인: 네트워크의 핵심', "the node's /etc/cni/net.d holds the CNI's config"),
  entry('K17', '002', '5.1 default 브릿지 cni0', 'a cni0 bridge plays the role of docker0'),
  entry('K18', '003', 'CNI 플러그인: 네트워크의 핵심', 'Calico: high performance, network policy support (tried as the NetworkPolicy conformance suite, judged on Calico only)'),
  entry('K19', '003', 'Service와 ClusterIP란?', 'a pod IP is cluster-internal and cannot be reached from outside'),
  entry('K20', '003', '실습 예시: ClusterIP 통신 확인', 'kubectl expose --port=80 --target-port=8080 maps 80 to 8080 and keeps answering when pod IPs change'),
  // Being added (`+D29` … in shared/claims.md): each is tried by at most one scenario until all are.
  entry('D29', '002', '3.2 Network 이름을 사용하여 docker 브릿지 설정 확인', 'container IPs in the bridge network are assigned randomly within the Subnet'),
  entry('D30', '002', '2.1 docker0 브릿지란? / 3.3 호스트 PC의 리눅스 브릿지에 마운트 되어 있는 컨테이너 확인', 'brctl show, a command installed on Linux by default, shows the containers bound to the bridge'),
  entry('D31', '002', '4.4 한계', 'for Docker to support an overlay network, additional plugins and configuration are needed'),
  entry('D32', '004', '2. 호스트 외부에서 도커 컨테이너를 접속', 'iptables -nvL -t nat shows the DNAT rule of the published port'),
  entry('K21', '003', '쿠버네티스 네트워킹의 기본 철학', 'every Pod must be able to communicate directly with every other Pod (all pairs, no NAT)'),
  entry('K22', '002', '5.1 default 브릿지 cni0', 'multi-hosts have different subnet ranges ⇒ 10.224.0.0/16'),
  entry('K23', '003', 'ClusterIP란?', 'ClusterIP is the default service type, an internal-only virtual IP'),
  entry('K24', '003', 'CNI 플러그인: 네트워크의 핵심', 'Kubernetes does not implement the network itself; pods communicate through a CNI plugin'),
  entry('K25', '003', '클러스터 외부 접근 방법', 'Ingress: domain/path-based routing + TLS support'),
  entry('K26', '003', 'CNI 플러그인: 네트워크의 핵심', 'Cilium: BPF-based'),
  entry('K27', '000', '네트워크의 주체가 다르다 (docker0 vs CNI)', "to reach the node's process from a Pod you must use the LAN IP the node really uses (10.0.2.4)"),
];

/** An id as shared/claims.md writes it: `+` in front while the statement is being added (tried by at most one scenario, not yet by exactly one). */
export interface ClaimsMarkdownId {
  readonly id: string;
  readonly beingAdded: boolean;
}

/** The ids shared/claims.md lists, in its order: `| D1 | …` and `| +D29 | …` table rows, the `+` read off into `beingAdded`. */
export function idsInClaimsMarkdown(markdown: string): ClaimsMarkdownId[] {
  return [...markdown.matchAll(/^\|\s*(\+?)([DK]\d+)\s*\|/gm)].map((m) => ({ id: m[2]!, beingAdded: m[1] === '+' }));
}
