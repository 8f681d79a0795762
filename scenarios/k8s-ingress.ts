/**
 * k8s-ingress — article 003's Ingress on the lab's kind cluster: one Ingress
 * with two paths to two Services, one with two host names, and one
 * terminating TLS for a host with a certificate the lab makes, served by a
 * real ingress controller (Traefik v3, built from its Go module) behind
 * NodePorts, tried from a client outside the cluster; beside them an Ingress
 * of a class no controller claims, which serves nothing.
 */
import { kind } from '../src/environment/environment.ts';
import { kindNodeNetwork } from '../src/environment/kind/index.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { ingressRouted, labCertificateServed, requestByHost } from '../src/probes/ingress-checks.ts';
import { InKind } from '../src/probes/k8s-values.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect, type Expectation } from '../src/verdict/expect.ts';
import { deployment } from '../src/workloads/k8s-deployment.ts';
import { traefikIngress } from '../src/workloads/k8s-ingress.ts';
import { nodeNetworkRouter, outsideOfCluster } from '../src/workloads/k8s-outside.ts';

/** Traefik's web entrypoint on every node (fixed, so the connection string is the article's shape). */
const nodePort = 30090;
const entry = (path: string) => httpGet(InKind.nodeAddress('worker'), nodePort, path);
/** Traefik's websecure entrypoint on every node. */
const websecureNodePort = 30453;
/** The TLS host's certificate (made by the lab at start) and its CA, in this kubernetes.io/tls Secret. */
const tlsSecret = 'lab-tls';
const byName = (name: string) => requestByHost(name, InKind.nodeAddress('worker'), nodePort);
const overTls = (name: string) => requestByHost(name, InKind.nodeAddress('worker'), websecureNodePort, { caSecret: tlsSecret });

/** The controller's own 404 (no lab server named in the answer): no route for the path. */
const controllerNotFound: Expectation = {
  label: 'HTTP 404 from the controller itself (no backend answered)',
  accepts: (o) => o.kind === 'http-status' && o.status === 404 && o.server === undefined,
};

export default defineScenario({
  name: 'k8s-ingress',
  title: 'An Ingress routed by path through a real ingress controller (Traefik v3) on a three-node kind cluster (article 003)',
  environment: kind({ workers: 2 }),
  networks: { nodes: kindNodeNetwork() },
  workloads: {
    'web-a': deployment({ replicas: 2, containerPort: 8080, service: { name: 'svc-a', port: 80 } }),
    'web-b': deployment({ replicas: 2, containerPort: 8080, service: { name: 'svc-b', port: 80 } }),
    traefik: traefikIngress({
      nodePort,
      websecureNodePort,
      backends: ['web-a', 'web-b'],
      ingresses: [
        { name: 'by-path', paths: [{ path: '/a', service: 'svc-a', port: 80 }, { path: '/b', service: 'svc-b', port: 80 }] },
        { name: 'by-host', paths: [{ host: 'a.lab.test', path: '/', service: 'svc-a', port: 80 }, { host: 'b.lab.test', path: '/', service: 'svc-b', port: 80 }] },
        { name: 'with-tls', paths: [{ host: 'secure.lab.test', path: '/', service: 'svc-b', port: 80 }], tls: { host: 'secure.lab.test', secret: tlsSecret } },
      ],
      unclaimed: { name: 'unclaimed', className: 'no-controller', paths: [{ path: '/c', service: 'svc-a', port: 80 }] },
    }),
    router: nodeNetworkRouter('nodes'),
    outside: outsideOfCluster('nodes', 'router', { description: "client outside the cluster on the nodes' network; its gateway is the lab router, which knows no cluster CIDR" }),
  },
  claims: [
    {
      id: 'K15',
      article: '003',
      from: 'outside',
      says: 'an Ingress with two paths sends `/a` to one Service and `/b` to another: routed by path, from outside the cluster',
      expect: Expect.httpStatus(200),
      attempts: [
        { ...entry('/a'), expect: Expect.httpFromPodOf(200, 'web-a'), half: '/a reaches svc-a' },
        { ...entry('/b'), expect: Expect.httpFromPodOf(200, 'web-b'), half: '/b reaches svc-b' },
        { ...entry('/c'), expect: controllerNotFound, role: 'contrast' },
        { ...ingressRouted('by-path', 'traefik'), expect: Expect.holds('the controller built a router for each path'), role: 'control' },
        { ...ingressRouted('unclaimed', 'traefik', 'not routed'), expect: Expect.holds('no router for an Ingress no controller claims'), role: 'contrast' },
      ],
      preconditions: [
        "the controller is Traefik v3.6 built from its Go module, watching only the run's namespace, its web entrypoint a NodePort (30090) on every node; the outside client reaches it at the worker node's address",
      ],
      why: {
        'http-status': "the Ingress is only a routing table: the controller (Traefik) watches it, builds a router per path (PathPrefix), and proxies to the Service's endpoints (pod IPs from its EndpointSlices); it is reached like any NodePort Service. A path no rule matches, or one of an Ingress whose class no controller claims, gets the controller's own 404",
        fact: 'the routers are read from the controller itself: an Ingress object without a controller that takes it serves nothing',
      },
    },
    {
      id: 'K25',
      article: '003',
      from: 'outside',
      says: '"Ingress: domain/path-based routing + TLS support": an Ingress routes by host name, and terminates TLS for a host, from outside the cluster',
      expect: Expect.httpStatus(200),
      attempts: [
        { ...byName('a.lab.test'), expect: Expect.httpFromPodOf(200, 'web-a'), half: 'host a.lab.test reaches svc-a' },
        { ...byName('b.lab.test'), expect: Expect.httpFromPodOf(200, 'web-b'), half: 'host b.lab.test reaches svc-b' },
        { ...byName('unknown.lab.test'), expect: controllerNotFound, role: 'contrast' },
        { ...ingressRouted('by-host', 'traefik'), expect: Expect.holds('the controller built a router for each host'), role: 'control' },
        { ...overTls('secure.lab.test'), expect: Expect.httpFromPodOf(200, 'web-b'), half: "TLS for secure.lab.test terminated with the lab's certificate, then svc-b" },
        { ...labCertificateServed('b.lab.test', InKind.nodeAddress('worker'), websecureNodePort, tlsSecret), expect: Expect.holdsNot("the lab's certificate is not served for a host without tls"), role: 'contrast' },
        { ...ingressRouted('with-tls', 'traefik', 'routed with TLS'), expect: Expect.holds('the controller built a TLS router for the host'), role: 'control' },
      ],
      preconditions: [
        "the host names are the lab's own (.test, RFC 2606): no resolver knows them; the client sends each to the worker node's address with curl --resolve, so the name is the Host header and, over HTTPS, the SNI",
        `the certificate of secure.lab.test and the CA that signed it are made by the lab at start with the machine's openssl (valid one day, nothing fetched), kept in the kubernetes.io/tls Secret ${tlsSecret} (its ca.crt the CA); the client trusts that CA alone`,
        `Traefik's websecure entrypoint is a NodePort (${websecureNodePort}) on every node. Traefik v3 takes an Ingress's \`tls\` section as certificates only: its routers serve HTTPS where Traefik's own annotations say so, so with-tls carries router.tls=true and router.entrypoints=websecure (without them, a first run here got the lab's certificate for secure.lab.test and then Traefik's 404: the router took plain HTTP only)`,
      ],
      why: {
        'http-status': "Traefik builds a router per host rule (Host(…) && PathPrefix(/)) and picks it by the request's Host header; an unknown host matches no router and gets the controller's own 404. For an Ingress with `tls`, Traefik loads the Secret's certificate and serves it when the client's SNI names the host; its router (marked TLS) then routes by Host as over HTTP",
        fact: "the routers are read from the controller itself: one per host rule, with TLS where the Ingress asks Traefik for it (router.tls). A name no Ingress's `tls` names gets Traefik's own default certificate (self-signed, TRAEFIK DEFAULT CERT), which the lab's CA does not verify: the lab's certificate is served only for the host its Ingress names",
      },
    },
  ],
});
