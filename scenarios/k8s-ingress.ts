/**
 * k8s-ingress — article 003's Ingress on the lab's kind cluster: one Ingress
 * with two paths to two Services, served by a real ingress controller
 * (Traefik v3, built from its Go module) behind a NodePort, tried from a
 * client outside the cluster; beside it an Ingress of a class no controller
 * claims, which serves nothing.
 */
import { kind } from '../src/environment/environment.ts';
import { kindNodeNetwork } from '../src/environment/kind/index.ts';
import { httpGet } from '../src/probes/http-get.ts';
import { ingressRouted } from '../src/probes/ingress-checks.ts';
import { InKind } from '../src/probes/k8s-values.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect, type Expectation } from '../src/verdict/expect.ts';
import { deployment } from '../src/workloads/k8s-deployment.ts';
import { traefikIngress } from '../src/workloads/k8s-ingress.ts';
import { nodeNetworkRouter, outsideOfCluster } from '../src/workloads/k8s-outside.ts';

/** Traefik's web entrypoint on every node (fixed, so the connection string is the article's shape). */
const nodePort = 30090;
const entry = (path: string) => httpGet(InKind.nodeAddress('worker'), nodePort, path);

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
      backends: ['web-a', 'web-b'],
      ingress: { name: 'by-path', paths: [{ path: '/a', service: 'svc-a', port: 80 }, { path: '/b', service: 'svc-b', port: 80 }] },
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
        { ...ingressRouted('unclaimed', 'traefik', false), expect: Expect.holds('no router for an Ingress no controller claims'), role: 'contrast' },
      ],
      preconditions: [
        "the controller is Traefik v3.6 built from its Go module, watching only the run's namespace, its web entrypoint a NodePort (30090) on every node; the outside client reaches it at the worker node's address",
      ],
      why: {
        'http-status': "the Ingress is only a routing table: the controller (Traefik) watches it, builds a router per path (PathPrefix), and proxies to the Service's endpoints (pod IPs from its EndpointSlices); it is reached like any NodePort Service. A path no rule matches, or one of an Ingress whose class no controller claims, gets the controller's own 404",
        fact: 'the routers are read from the controller itself: an Ingress object without a controller that takes it serves nothing',
      },
    },
  ],
});
