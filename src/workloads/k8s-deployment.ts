import type { V1Deployment, V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { ciliumServiceList, cniOf, kindLabOf, serviceFrontends, type KindLab } from '../environment/kind/index.ts';
import { HostResource } from '../lab/host-resources.ts';
import { runLabel } from '../lab/names.ts';
import { containerSpec, podContextCommands, podWorkload } from './k8s-pod.ts';
import type { WorkloadSpec } from './workload.ts';

export interface DeploymentOptions {
  readonly replicas: number;
  /**
   * `default` puts the Deployment and its Service in the cluster's default
   * namespace, where an article's full name (`<svc>.default.svc.cluster.local`)
   * points: labelled with the run, removed at teardown and by the sweep, held
   * by one run of a cluster at a time. Default: the run's own namespace.
   */
  readonly namespace?: 'default';
  /** The port np-serve listens on in each pod (the Service's targetPort). */
  readonly containerPort: number;
  /** A ClusterIP Service in front, as `kubectl expose deployment <name> --port=<port> --target-port=<containerPort>` makes it. */
  readonly service: {
    readonly name: string;
    readonly port: number;
    readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    readonly nodePort?: number;
    /** Made by running `kubectl expose deployment <name> --port --target-port --name` for real, as article 003 writes it (a ClusterIP), instead of through the API. */
    readonly byKubectlExpose?: boolean;
  };
}

/** The `kubectl expose` line that makes the Service, as article 003 writes it (plus the run's namespace and labels). */
export const exposeArgs = (deployment: string, options: DeploymentOptions, namespace: string, runId: string): string[] => [
  '-n', namespace, 'expose', 'deployment', deployment, `--port=${options.service.port}`, `--target-port=${options.containerPort}`, `--name=${options.service.name}`, `--labels=app=${deployment},${runLabel}=${runId}`,
];

/**
 * A Deployment of np-serve replicas (each answers with its pod's name) and a
 * Service over them. Started means: every replica available. `addresses`
 * has `clusterIP`; exec runs in the first replica.
 */
export function deployment(options: DeploymentOptions): WorkloadSpec {
  return {
    description: `Deployment of ${options.replicas} np-serve pods on :${options.containerPort}, Service ${options.service.name} (${options.service.byKubectlExpose ? 'made by kubectl expose, ' : ''}${options.service.type ?? 'ClusterIP'}) port ${options.service.port}${options.service.nodePort ? `, nodePort ${options.service.nodePort}` : ''} → ${options.containerPort}`,
    images: ['toolbox'],
    podsOn: 'scheduled',
    clusterResources: [
      ...(options.service.nodePort ? [HostResource.nodePort(options.service.nodePort)] : []),
      ...(options.namespace ? [HostResource.inNamespace(options.namespace, options.service.name)] : []),
    ],
    async start(name, env) {
      const lab = kindLabOf(env);
      const namespace = options.namespace ?? lab.namespace;
      const labels = { app: name, [runLabel]: env.run.id };
      if (options.namespace) env.run.defer(`delete the run's Deployment and Service in ${namespace}`, () => deleteRunObjectsIn(lab, namespace, env.run.id));
      const body: V1Deployment = {
        metadata: { name, namespace, labels },
        spec: {
          replicas: options.replicas,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 0,
              containers: [{ ...containerSpec({ name: 'web', image: 'toolbox', command: ['np-serve', String(options.containerPort)] }, env), ports: [{ containerPort: options.containerPort }] }],
            },
          },
        },
      };
      await lab.client.apps.createNamespacedDeployment({ namespace, body });
      const service = options.service.byKubectlExpose
        ? await lab.cluster.kubectlOrThrow(exposeArgs(name, options, namespace, env.run.id)).then(() => lab.client.core.readNamespacedService({ name: options.service.name, namespace }))
        : await lab.client.core.createNamespacedService({
            namespace,
            body: {
              metadata: { name: options.service.name, namespace, labels },
              // No type unless asked: the API server's default is what K23 reads.
              spec: { ...(options.service.type ? { type: options.service.type } : {}), selector: { app: name }, ports: [{ port: options.service.port, targetPort: options.containerPort, protocol: 'TCP', ...(options.service.nodePort ? { nodePort: options.service.nodePort } : {}) }] },
            },
          });
      await waitAvailable(lab, name, options.replicas, undefined, namespace);
      const pods = (await lab.client.core.listNamespacedPod({ namespace, labelSelector: `app=${name}` })).items.filter((p: V1Pod) => p.status?.podIP);
      const ips = pods.map((p) => p.status!.podIP!);
      await waitEndpoints(lab, options.service.name, ips, namespace);
      await waitKubeProxy(lab, options.service.name, ips, namespace);
      const first = pods[0]!;
      const workload = podWorkload({ ...lab, namespace }, first, name, this.description);
      return { ...workload, contextCommands: podContextCommands, addresses: { ...workload.addresses, clusterIP: service.spec?.clusterIP ?? '' } };
    },
  };
}

/** Waits, by watch, until the Deployment has `replicas` available and no old pods left. */
export function waitAvailable(lab: KindLab, name: string, replicas: number, timeoutMs = 180_000, namespace = lab.namespace): Promise<V1Deployment> {
  return lab.client.waitFor<V1Deployment>(
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    { fieldSelector: `metadata.name=${name}` },
    (d) => (d.status?.availableReplicas ?? 0) === replicas && (d.status?.replicas ?? 0) === replicas && (d.status?.updatedReplicas ?? 0) === replicas,
    `deployment ${name}: ${replicas} available`,
    timeoutMs,
  );
}

/** Waits, by watch, until the Service's EndpointSlices list exactly `ips` as ready endpoints (kube-proxy follows them). */
export async function waitEndpoints(lab: KindLab, service: string, ips: readonly string[], namespace = lab.namespace): Promise<void> {
  const want = [...ips].sort().join(' ');
  await lab.client.waitFor<V1EndpointSlice>(
    `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
    { labelSelector: `kubernetes.io/service-name=${service}` },
    (slice) => (slice.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses).sort().join(' ') === want,
    `endpoints of ${service} to be ${want}`,
  );
}

/**
 * Waits until whatever serves Services on every node (kube-proxy's NAT rules,
 * or cilium's service table where cilium replaced kube-proxy) sends the
 * Service to exactly `endpoints`. Until then a packet for the ClusterIP would
 * follow a node's default route toward the machine's uplink (the kind guard
 * drops it, but it counts); one for a deleted endpoint would too. Neither
 * reports this in the API, so each node's table is read, every 250 ms, 60 s at most.
 */
export async function waitKubeProxy(lab: KindLab, service: string, endpoints: readonly string[], namespace = lab.namespace): Promise<void> {
  const want = [...endpoints].sort().join(' ');
  const datapath = cniOf(lab).replacesKubeProxy ? ciliumServiceTable(lab, namespace, service) : kubeProxyRules(lab, namespace, service);
  const deadline = Date.now() + 60_000;
  for (const node of lab.facts.nodes) {
    while ((await datapath.backends(node.name)) !== want) {
      if (Date.now() > deadline) throw new Error(`${datapath.name} on ${node.name} does not send ${namespace}/${service} to ${want} after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** A node's Service datapath: the backends it sends the Service to, sorted and space-separated ('' when it has none). */
interface ServiceDatapath {
  readonly name: string;
  backends(node: string): Promise<string>;
}

/** kube-proxy's NAT rules for the Service (iptables-save -t nat on the node). */
function kubeProxyRules(lab: KindLab, namespace: string, service: string): ServiceDatapath {
  const marker = `${namespace}/${service}`;
  return {
    name: 'kube-proxy',
    async backends(node) {
      const lines = (await lab.cluster.nodeExec(node, ['iptables-save', '-t', 'nat'])).stdout.split('\n').filter((l) => l.includes(marker));
      if (!lines.some((l) => l.startsWith('-A KUBE-SERVICES'))) return '';
      return [...new Set(lines.flatMap((l) => /--to-destination ([\d.]+):/.exec(l)?.[1] ?? []))].sort().join(' ');
    },
  };
}

/** cilium's service table on the node: the Service's ClusterIP frontends' active backends. */
function ciliumServiceTable(lab: KindLab, namespace: string, service: string): ServiceDatapath {
  return {
    name: "cilium's service table",
    async backends(node) {
      const listed = await ciliumServiceList(lab.cluster, node);
      if (listed.exitCode !== 0) return '';
      const ips = serviceFrontends(listed.stdout, namespace, service).filter((f) => f.type === 'ClusterIP').flatMap((f) => f.backends.map((b) => b.split(':')[0]!));
      return [...new Set(ips)].sort().join(' ');
    },
  };
}

/** The run's Deployments and Services in a shared namespace (default), by the run's label. */
async function deleteRunObjectsIn(lab: KindLab, namespace: string, runId: string): Promise<void> {
  await lab.cluster.kubectlOrThrow(['-n', namespace, 'delete', 'deployments,services', '-l', `${runLabel}=${runId}`, '--wait=true', '--timeout=90s']);
}
