import type { KubernetesObject, V1Deployment, V1Ingress } from '@kubernetes/client-node';
import { ensureAddOnImage, kindLabOf, scheduledNodes, type AddOnArtefact, type KindLab } from '../environment/kind/index.ts';
import { HostResource } from '../lab/host-resources.ts';
import { runLabel } from '../lab/names.ts';
import type { Logger } from '../log.ts';
import { waitAvailable, waitEndpoints, waitKubeProxy } from './k8s-deployment.ts';
import { podWorkload } from './k8s-pod.ts';
import { makeLabCertificate } from './lab-certificate.ts';
import type { WorkloadSpec } from './workload.ts';

/** One path of an Ingress rule: a Prefix path to a Service's port, under a rule for `host` where one is named (else any host). */
export interface IngressPath {
  readonly path: string;
  readonly service: string;
  readonly port: number;
  readonly host?: string;
}

/** An Ingress Traefik serves (no class: Traefik takes unclassed Ingresses). */
export interface ServedIngress {
  readonly name: string;
  readonly paths: readonly IngressPath[];
  /**
   * TLS for `host`, terminated by Traefik on its websecure entrypoint only:
   * a certificate the lab makes at start (makeLabCertificate), kept in the
   * kubernetes.io/tls Secret `secret` with its CA as `ca.crt`. Traefik v3
   * reads an Ingress's `tls` as certificates only: the Ingress also carries
   * Traefik's annotations making its routers HTTPS, on websecure.
   */
  readonly tls?: { readonly host: string; readonly secret: string };
}

export interface IngressOptions {
  /** The Ingresses Traefik serves. */
  readonly ingresses: readonly ServedIngress[];
  /** An Ingress of a class no controller in the cluster claims: it should serve nothing. */
  readonly unclaimed?: { readonly name: string; readonly className: string; readonly paths: readonly IngressPath[] };
  /** The nodePort of Traefik's web entrypoint (30000-32767). */
  readonly nodePort: number;
  /** The nodePort of Traefik's websecure (HTTPS) entrypoint, where an Ingress has `tls`. */
  readonly websecureNodePort?: number;
  /** Workloads whose Services the paths name (started first). */
  readonly backends: readonly string[];
}

const traefikArtefact: AddOnArtefact = 'traefik';
/** Traefik's web and websecure entrypoints (the Service's targetPorts) and its internal one (ping, API), in the pod. */
const webPort = 8000;
const websecurePort = 8443;
const internalPort = 9000;

/**
 * Traefik v3, built from its Go module, as the cluster's ingress controller:
 * its Kubernetes Ingress provider watches only the run's namespace (a Role,
 * no cluster-scope lookups), its web (and websecure) entrypoints are
 * NodePorts of one Service, and it sends nothing off the machine (no version
 * check, no usage statistics, no ACME, tracing or metrics). The Ingresses
 * (and the TLS Secrets, with certificates made here) are made with it;
 * started means Traefik has built a router for each path they serve.
 * `addresses` has `pod` and `node`; exec is not available (no shell tools).
 */
export function traefikIngress(options: IngressOptions): WorkloadSpec {
  const secure = options.websecureNodePort;
  if (options.ingresses.some((i) => i.tls) && secure === undefined) throw new Error('an Ingress with tls needs websecureNodePort');
  return {
    description: `Traefik (Kubernetes Ingress provider, built from its Go module), web entrypoint on nodePort ${options.nodePort}${secure !== undefined ? `, websecure on nodePort ${secure}` : ''}; ${options.ingresses.map(describeIngress).join('; ')}`,
    images: [],
    clusterResources: [options.nodePort, ...(secure !== undefined ? [secure] : [])].map((port) => HostResource.nodePort(port)),
    dependsOn: options.backends,
    async start(name, env) {
      const lab = kindLabOf(env);
      const image = await traefikImage(lab, env.logger);
      const labels = { app: name, [runLabel]: env.run.id };
      const meta = { name, namespace: lab.namespace, labels };
      const ingresses = [...options.ingresses, ...(options.unclaimed ? [options.unclaimed] : [])].map((spec) => ingressObject(spec, lab.namespace, labels));
      const secrets = await Promise.all(options.ingresses.flatMap((i) => (i.tls ? [tlsSecret(i.tls, env.run.id, meta)] : [])));
      await lab.client.create([
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: meta,
          rules: [
            { apiGroups: [''], resources: ['services', 'endpoints', 'secrets'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
          ],
        } as KubernetesObject,
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: meta,
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
          subjects: [{ kind: 'ServiceAccount', name, namespace: lab.namespace }],
        } as KubernetesObject,
        ...secrets,
        ...ingresses,
      ]);
      const deployment: V1Deployment = {
        metadata: meta,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: name,
              terminationGracePeriodSeconds: 0,
              containers: [
                {
                  name: 'traefik',
                  image,
                  imagePullPolicy: 'Never',
                  args: traefikArgs(lab.namespace, secure !== undefined),
                  ports: [{ containerPort: webPort }, ...(secure !== undefined ? [{ containerPort: websecurePort }] : []), { containerPort: internalPort }],
                  readinessProbe: { httpGet: { path: '/ping', port: internalPort }, periodSeconds: 1, failureThreshold: 120 },
                },
              ],
            },
          },
        },
      };
      await lab.client.apps.createNamespacedDeployment({ namespace: lab.namespace, body: deployment });
      await lab.client.core.createNamespacedService({
        namespace: lab.namespace,
        body: {
          metadata: meta,
          spec: {
            type: 'NodePort',
            selector: { app: name },
            ports: [
              { name: 'web', port: 80, targetPort: webPort, nodePort: options.nodePort, protocol: 'TCP' },
              ...(secure !== undefined ? [{ name: 'websecure', port: 443, targetPort: websecurePort, nodePort: secure, protocol: 'TCP' }] : []),
            ],
          },
        },
      });
      await waitAvailable(lab, name, 1);
      const pod = (await lab.client.core.listNamespacedPod({ namespace: lab.namespace, labelSelector: `app=${name}` })).items.find((p) => p.status?.podIP)!;
      await waitEndpoints(lab, name, [pod.status!.podIP!]);
      // The outside client's first request must find the nodePort programmed on every node.
      await waitKubeProxy(lab, name, [pod.status!.podIP!]);
      await waitRouters(lab, pod.metadata!.name!, options.ingresses.flatMap((i) => i.paths).length);
      return { ...podWorkload(lab, pod, name, this.description), contextCommands: [] };
    },
  };
}

/** Traefik's static configuration, as flags. */
function traefikArgs(namespace: string, websecure: boolean): string[] {
  return [
    `--entrypoints.web.address=:${webPort}`,
    ...(websecure ? [`--entrypoints.websecure.address=:${websecurePort}`] : []),
    `--entrypoints.traefik.address=:${internalPort}`,
    '--ping=true',
    // The API (read through the API server's pod proxy) shows the routers Traefik built: evidence, and the readiness wait.
    '--api.insecure=true',
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.namespaces=${namespace}`,
    // Cluster-scope lookups (IngressClasses, nodes) would need a ClusterRole, which a killed run's namespace sweep would leave behind.
    '--providers.kubernetesingress.disableclusterscoperesources=true',
    // Nothing leaves the machine: no version check, no anonymous usage report.
    '--global.checknewversion=false',
    '--global.sendanonymoususage=false',
    '--log.level=INFO',
  ];
}

const describeIngress = (spec: ServedIngress) =>
  `Ingress ${spec.name}: ${spec.paths.map((p) => `${p.host ?? ''}${p.path} → ${p.service}:${p.port}`).join(', ')}${spec.tls ? ` (TLS for ${spec.tls.host}, Secret ${spec.tls.secret})` : ''}`;

/** Traefik's annotations for an Ingress's routers: TLS (its `tls` section alone only loads the certificates), on the websecure entrypoint only. */
const httpsOnWebsecure = { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure', 'traefik.ingress.kubernetes.io/router.tls': 'true' };

/** An Ingress: one rule per host its paths name (in their order); with `tls`, served on the websecure entrypoint only. */
function ingressObject(spec: ServedIngress & { className?: string }, namespace: string, labels: Record<string, string>): V1Ingress & KubernetesObject {
  const hosts = [...new Set(spec.paths.map((p) => p.host))];
  const backend = (p: IngressPath) => ({ path: p.path, pathType: 'Prefix', backend: { service: { name: p.service, port: { number: p.port } } } });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: spec.name, namespace, labels, ...(spec.tls ? { annotations: httpsOnWebsecure } : {}) },
    spec: {
      ...(spec.className ? { ingressClassName: spec.className } : {}),
      ...(spec.tls ? { tls: [{ hosts: [spec.tls.host], secretName: spec.tls.secret }] } : {}),
      rules: hosts.map((host) => ({ ...(host ? { host } : {}), http: { paths: spec.paths.filter((p) => p.host === host).map(backend) } })),
    },
  };
}

/** The kubernetes.io/tls Secret of an Ingress's TLS: a certificate for its host made here by a CA made here (its `ca.crt`, for the clients), labelled as every object of the run. */
async function tlsSecret(tls: NonNullable<ServedIngress['tls']>, runId: string, meta: { namespace: string; labels: Record<string, string> }): Promise<KubernetesObject> {
  const made = await makeLabCertificate(tls.host, runId);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: tls.secret, namespace: meta.namespace, labels: meta.labels },
    type: 'kubernetes.io/tls',
    stringData: { 'tls.crt': made.cert, 'tls.key': made.key, 'ca.crt': made.caCert },
  } as KubernetesObject;
}

/** Traefik's routers from its API, through the API server's pod proxy (no client tool in the pod, no route from the host needed): `kubectl get --raw` of this path. */
export const traefikRoutersPath = (namespace: string, pod: string) => `/api/v1/namespaces/${namespace}/pods/${pod}:${internalPort}/proxy/api/http/routers`;

/** Waits until Traefik has a router from the Kubernetes Ingress provider for each path (it loads the Ingress asynchronously), 60 s at most. */
async function waitRouters(lab: KindLab, pod: string, paths: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const raw = await lab.cluster.kubectl(['get', '--raw', traefikRoutersPath(lab.namespace, pod)]);
    const routers = raw.exitCode === 0 ? (JSON.parse(raw.stdout) as { provider?: string }[]) : [];
    if (routers.filter((r) => r.provider === 'kubernetes').length >= paths) return;
    if (Date.now() > deadline) throw new Error(`Traefik built ${routers.length} routers, not ${paths}, within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Traefik's image: the binary built from its Go module on the lab's Debian base, loaded into the nodes the scheduler may put its pod on when they lack it. */
async function traefikImage(lab: KindLab, logger: Logger): Promise<string> {
  return (await ensureAddOnImage(lab, traefikArtefact, ['traefik'], logger, scheduledNodes)).ref;
}
