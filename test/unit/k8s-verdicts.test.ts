import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/outcome/outcome.ts';
import { forwardFilters } from '../../src/probes/forward-filter.ts';
import { everyPairDirect, type PairResult } from '../../src/probes/pod-mesh.ts';
import type { ClaimSpec } from '../../src/scenario/claim.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { claimVerdict, judge } from '../../src/verdict/verdict.ts';

const claimOf = async (scenario: string, id: string): Promise<ClaimSpec> => (await loadScenario(scenario)).claims.find((c) => c.id === id)!;

/** A claim's verdict from one outcome per attempt, judged as the runner does (src/scenario/run-scenario.ts). */
const verdictOf = (claim: ClaimSpec, outcomes: readonly Outcome[]) =>
  claimVerdict(claim.attempts.map((a, i) => ({ verdict: judge(a.expect ?? claim.expect, outcomes[i]!), role: a.role, half: a.half, connection: a.describe })));

const http200: Outcome = { kind: 'http-status', status: 200 } as Outcome;
const noRoute: Outcome = { kind: 'no-route' } as Outcome;
const fact = (holds: boolean): Outcome => ({ kind: 'fact', holds, observed: '' }) as Outcome;

/** A kind node's filter table as kube-proxy (iptables mode) leaves it: INVALID drops on the forward path, a localhost guard on INPUT/OUTPUT. */
const kubeProxyFilter = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -j KUBE-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
COMMIT
`;

describe('K11/K19: the article\'s client has no route; the routed client is the lab\'s contrast', () => {
  for (const [id, controls] of [['K11', 1], ['K19', 0]] as const) {
    it(`${id}: the routed client is a contrast with its route a precondition, and "nothing filters forwarded traffic" a finding`, async () => {
      const claim = await claimOf('k8s-services', id);
      const own = claim.attempts.filter((a) => !a.role);
      expect(own).toHaveLength(1);
      expect(own[0]!.from).toBeUndefined();
      expect(claim.attempts.find((a) => a.from === 'outside-routed')).toMatchObject({ role: 'contrast' });
      expect(claim.attempts.filter((a) => a.role === 'control')).toHaveLength(controls);
      expect(claim.attempts.filter((a) => a.role === 'finding')).toHaveLength(1);
      expect(claim.preconditions?.join(' ')).toMatch(/outside-routed .*routes/);
      // Today's kindnet evidence: unroutable from outside, answered with a route. Refuted before; now confirmed.
      const outcomes = claim.attempts.map((a) => (a.role === 'contrast' ? http200 : a.role ? fact(true) : noRoute));
      expect(verdictOf(claim, outcomes).status).toBe('confirmed');
      // A finding never decides; a contrast that is not answered leaves the claim untried.
      expect(verdictOf(claim, claim.attempts.map((a, i) => (a.role === 'finding' ? fact(false) : outcomes[i]!))).status).toBe('confirmed');
      expect(verdictOf(claim, claim.attempts.map((a, i) => (a.role === 'contrast' ? ({ kind: 'timeout' } as Outcome) : outcomes[i]!))).status).toBe('inconclusive');
    });
  }

  it('reads only the forward path of the filter table, and leaves out conntrack-INVALID drops', () => {
    expect(forwardFilters(kubeProxyFilter)).toEqual({ holds: true, observed: 'FORWARD policy ACCEPT; no DROP/REJECT rule on the forward path but for conntrack-INVALID packets' });
    const policed = kubeProxyFilter.replace('-A KUBE-FORWARD -m comment', '-A KUBE-FORWARD -d 10.244.0.0/16 -j REJECT\n-A KUBE-FORWARD -m comment');
    expect(forwardFilters(policed)).toMatchObject({ holds: false, observed: expect.stringContaining('-A KUBE-FORWARD -d 10.244.0.0/16 -j REJECT') });
    expect(forwardFilters(kubeProxyFilter.replace(':FORWARD ACCEPT', ':FORWARD DROP')).holds).toBe(false);
  });

  it('names, without counting, kube-proxy\'s REJECT for a Service with no endpoints (another claim replacing its pods)', () => {
    // As read on kindnetd-lab's control plane in the matrix run of 2026-12-07, while K20 replaced myapp's pods.
    const between = kubeProxyFilter.replace(
      '-A KUBE-FORWARD -m comment',
      '-A KUBE-SERVICES -d 10.96.102.239/32 -p tcp -m comment --comment "np-86abaea3/myapp-svc has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n-A KUBE-FORWARD -m comment',
    );
    expect(between).not.toBe(kubeProxyFilter);
    expect(forwardFilters(between)).toEqual({
      holds: true,
      observed: "FORWARD policy ACCEPT; no DROP/REJECT rule on the forward path but for conntrack-INVALID packets; not counted: kube-proxy's REJECT for np-86abaea3/myapp-svc (no endpoints at that moment)",
    });
  });
});

const exec = (exitCode: number, stdout = '', stderr = '') => ({ command: 'curl', exitCode, stdout, stderr, durationMs: 1, startedAt: '' });

describe('K10/K20 as the article writes them', () => {
  it('K10 tries web-svc.default.svc.cluster.local literally, against a web-svc that really is in default (held by one run of a cluster)', async () => {
    const scenario = await loadScenario('k8s-services');
    const claim = scenario.claims.find((c) => c.id === 'K10')!;
    const literal = claim.attempts.find((a) => a.describe === 'GET http://web-svc.default.svc.cluster.local/')!;
    expect(literal.role).toBeUndefined();
    expect(literal.expect!.accepts({ kind: 'http-status', status: 200, server: 'web-default-6d9f-x2' })).toBe(true);
    expect(literal.expect!.accepts({ kind: 'dns', name: 'web-svc.default.svc.cluster.local' })).toBe(false);
    expect(scenario.workloads['web-default']!.clusterResources).toContain('default/web-svc');
  });

  it('K20 makes the Service with kubectl expose and tries `curl http://myapp-svc` as written', async () => {
    const { exposeArgs } = await import('../../src/workloads/k8s-deployment.ts');
    const scenario = await loadScenario('k8s-services');
    const claim = scenario.claims.find((c) => c.id === 'K20')!;
    expect(claim.attempts[0]!.describe).toBe('curl http://myapp-svc');
    expect(scenario.workloads.myapp!.description).toContain('made by kubectl expose');
    const args = exposeArgs('myapp', { replicas: 2, containerPort: 8080, service: { name: 'myapp-svc', port: 80, byKubectlExpose: true } }, 'np-r1', 'r1').join(' ');
    expect(args).toBe('-n np-r1 expose deployment myapp --port=80 --target-port=8080 --name=myapp-svc --labels=app=myapp,netproof.run=r1');
  });

  it("reads curl's exit as an outcome", async () => {
    const { curlOutcome } = await import('../../src/probes/curl.ts');
    expect(curlOutcome(exec(0, '200 np-r1-myapp-7c-abc'), 'myapp-svc', 5000)).toEqual({ kind: 'http-status', status: 200, server: 'np-r1-myapp-7c-abc' });
    expect(curlOutcome(exec(6, '000 ', 'curl: (6) Could not resolve host: myapp-svc'), 'myapp-svc', 5000)).toEqual({ kind: 'dns', name: 'myapp-svc' });
    expect(curlOutcome(exec(7, '000 ', 'curl: (7) Failed to connect to x port 80: Connection refused'), 'x', 5000)).toEqual({ kind: 'refused' });
    expect(curlOutcome(exec(7, '000 ', 'curl: (7) Failed to connect to x port 80: No route to host'), 'x', 5000)).toEqual({ kind: 'no-route' });
    expect(curlOutcome(exec(28, '000 '), 'x', 5000)).toEqual({ kind: 'timeout', afterMs: 5000 });
  });
});

describe('K21: every pod to every pod', () => {
  const pair = (from: string, to: string, over: Partial<PairResult> = {}): PairResult => ({ from, to, status: 200, sourceIp: `ip-${from}`, seen: `ip-${from}`, ...over });
  it('holds only when every ordered pair answered and each server saw the client\'s own pod IP', () => {
    const all = ['a', 'b', 'c'].flatMap((f) => ['a', 'b', 'c'].filter((t) => t !== f).map((t) => pair(f, t)));
    expect(everyPairDirect(all)).toEqual({ holds: true, observed: "6 of 6 ordered pairs answered, each server seeing the client's own pod IP" });
    expect(everyPairDirect([...all.slice(1), pair('a', 'b', { status: undefined, error: 'ETIMEDOUT' })])).toEqual({ holds: false, observed: '5 of 6 ordered pairs answered; a → b: ETIMEDOUT' });
    expect(everyPairDirect([...all.slice(1), pair('a', 'b', { seen: '172.18.0.2' })]).holds).toBe(false);
    expect(everyPairDirect([]).holds).toBe(false);
  });
  it('is tried from a pod on each node, both ways', async () => {
    const scenario = await loadScenario('k8s-pod-network');
    expect(scenario.claims.find((c) => c.id === 'K21')!.attempts[0]!.describe).toBe('GET http://<pod IP>:8080/ from each of client, server, anchor to each other');
  });
});

describe('K23: the default Service type', () => {
  it("reads web-svc's type and address back, web-svc's manifest having none", async () => {
    const scenario = await loadScenario('k8s-services');
    const claim = scenario.claims.find((c) => c.id === 'K23')!;
    expect(claim.attempts[0]!.describe).toBe("kubectl get service web-svc -o jsonpath='{.spec.type} {.spec.clusterIP}'");
    expect(scenario.workloads.web!.description).toContain('Service web-svc (ClusterIP)');
    expect(claim.expect.accepts({ kind: 'fact', holds: true, observed: '' })).toBe(true);
  });
});

describe("K1/K4/K27: the article's node, with and without Docker", () => {
  it('K1 tries 172.17.0.1 on a node without Docker and on one with docker0 (172.17.0.1/16), expecting only that the node\'s database does not answer', async () => {
    const scenario = await loadScenario('k8s-host-db');
    const k1 = scenario.claims.find((c) => c.id === 'K1')!;
    expect(k1.attempts.map((a) => a.setup?.describe)).toEqual([undefined, 'a docker0 bridge with 172.17.0.1/16 on the worker node, as dockerd makes it']);
    // The Docker host's reset (kind's nesting) no longer refutes; the node's own database answering does.
    expect(k1.expect.accepts({ kind: 'refused' })).toBe(true);
    expect(k1.expect.accepts({ kind: 'success', server: 'nodedb' })).toBe(false);
    expect(k1.preconditions?.join(' ')).toContain('a property of kind');
    expect(scenario.workloads.django!.hostResources).toContain('host port 5432/tcp');
    const k4 = scenario.claims.find((c) => c.id === 'K4')!;
    expect(k4.attempts.filter((a) => a.describe.includes('172.17.0.1')).map((a) => a.expect!.accepts({ kind: 'refused' }))).toEqual([true, true]);
    expect(k4.attempts.at(-1)!.setup?.describe).toContain('worker2');
  });

  it("K27 tries the node's LAN IP and its address on the pod network's side (the first of its podCIDR)", async () => {
    const { InKind } = await import('../../src/probes/k8s-values.ts');
    const env = { kind: { cluster: { name: 'netproof' }, facts: { nodes: [{ name: 'netproof-worker', role: 'worker', address: '172.18.0.3', podCidr: '10.244.1.0/24' }] } } } as never;
    expect(InKind.podCidrGateway('worker').resolve(env)).toBe('10.244.1.1');
    const k27 = (await loadScenario('k8s-host-db')).claims.find((c) => c.id === 'K27')!;
    expect(k27.attempts.map((a) => a.describe)).toEqual([
      "DATABASES HOST='<the worker node's InternalIP>' PORT=5432",
      "DATABASES HOST='<the first address of the worker node's podCIDR (its pods' gateway)>' PORT=5432",
    ]);
    expect(k27.attempts[1]!.expect!.accepts({ kind: 'success', server: 'nodedb' })).toBe(false);
  });
});

describe('K25: an Ingress routed by host name, terminating TLS', () => {
  const verbose = (subject: string, issuer: string) => `* Server certificate:\n*  subject: ${subject}\n*  start date: Dec  6 23:00:00 2026 GMT\n*  issuer: ${issuer}\n*  SSL certificate verify ok.\n`;
  const servedBy = (server: string): Outcome => ({ kind: 'http-status', status: 200, server }) as Outcome;
  const notFound: Outcome = { kind: 'http-status', status: 404 } as Outcome;

  it("reads the served certificate off curl -v, and curl's exit 60 as a certificate the given CA did not verify", async () => {
    const { servedCertificate } = await import('../../src/probes/ingress-checks.ts');
    const { curlOutcome } = await import('../../src/probes/curl.ts');
    expect(servedCertificate(verbose('CN=secure.lab.test', 'CN=netproof lab CA r1'))).toBe('subject CN=secure.lab.test, issuer CN=netproof lab CA r1');
    expect(servedCertificate('* Connected to b.lab.test\n')).toBeUndefined();
    const trace = '* TLSv1.3 (OUT), TLS alert, unknown CA (560)\n* SSL certificate problem: self-signed certificate\ncurl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html';
    expect(curlOutcome(exec(60, '000 ', trace), 'b.lab.test', 5000)).toEqual({ kind: 'other', message: 'certificate not verified: curl: (60) SSL certificate problem: self-signed certificate' });
    expect(curlOutcome(exec(35, '000 ', '* trying\ncurl: (35) OpenSSL SSL_connect: Connection reset by peer'), 'x', 5000)).toEqual({ kind: 'other', message: 'curl: (35) OpenSSL SSL_connect: Connection reset by peer' });
  });

  it('sends each host name to the worker node with --resolve, over HTTPS trusting the Secret\'s CA alone', async () => {
    const claim = await claimOf('k8s-ingress', 'K25');
    expect(claim.attempts.map((a) => a.describe)).toEqual([
      "curl --resolve a.lab.test:30090:<the worker node's InternalIP> http://a.lab.test:30090/",
      "curl --resolve b.lab.test:30090:<the worker node's InternalIP> http://b.lab.test:30090/",
      "curl --resolve unknown.lab.test:30090:<the worker node's InternalIP> http://unknown.lab.test:30090/",
      "kubectl get ingress by-host -o json; Traefik's /api/http/routers (pod of traefik)",
      "curl --resolve secure.lab.test:30453:<the worker node's InternalIP> --cacert <ca.crt of Secret lab-tls> https://secure.lab.test:30453/",
      "curl --resolve b.lab.test:30453:<the worker node's InternalIP> --cacert <ca.crt of Secret lab-tls> https://b.lab.test:30453/",
      "kubectl get ingress with-tls -o json; Traefik's /api/http/routers (pod of traefik)",
    ]);
  });

  it('is confirmed only when each host reaches its own Service, the TLS host with the lab\'s certificate, and the contrasts hold', async () => {
    const claim = await claimOf('k8s-ingress', 'K25');
    const refused: Outcome = { kind: 'other', message: 'certificate not verified: curl: (60) SSL certificate problem: self-signed certificate' } as Outcome;
    const asRun = [servedBy('web-a-7c-1'), servedBy('web-b-7c-1'), notFound, fact(true), servedBy('web-b-7c-2'), fact(false), fact(true)];
    expect(verdictOf(claim, asRun).status).toBe('confirmed');
    // Hosts crossed: a.lab.test answered by svc-b's pod.
    expect(verdictOf(claim, [servedBy('web-b-7c-1'), ...asRun.slice(1)]).status).toBe('refuted');
    // The TLS host answered by the wrong Service, or with a certificate the lab's CA does not verify (no answer: not confirmed).
    expect(verdictOf(claim, [...asRun.slice(0, 4), servedBy('web-a-7c-1'), ...asRun.slice(5)]).status).toBe('refuted');
    expect(verdictOf(claim, [...asRun.slice(0, 4), refused, ...asRun.slice(5)]).status).toBe('inconclusive');
    // A contrast that does not behave (the lab's certificate served for any name; every host answered) leaves the claim untried, never confirmed.
    expect(verdictOf(claim, [...asRun.slice(0, 5), fact(true), asRun[6]!]).status).toBe('inconclusive');
    expect(verdictOf(claim, [...asRun.slice(0, 2), servedBy('web-a-7c-1'), ...asRun.slice(3)]).status).not.toBe('confirmed');
  });
});
