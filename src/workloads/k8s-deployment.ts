import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { kindLabOf } from '../environment/kind/kind-lab.ts';
import { runLabel } from '../lab/sweep.ts';
import { containerSpec, podContextCommands, podWorkload } from './k8s-pod.ts';
import type { WorkloadSpec } from './workload.ts';

export interface DeploymentOptions {
  readonly replicas: number;
  /** The port np-serve listens on in each pod (the Service's targetPort). */
  readonly containerPort: number;
  /** A ClusterIP Service in front, as `kubectl expose deployment <name> --port=<port> --target-port=<containerPort>` makes it. */
  readonly service: { readonly name: string; readonly port: number; readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; readonly nodePort?: number };
}

/**
 * A Deployment of np-serve replicas (each answers with its pod's name) and a
 * Service over them. Started means: every replica available. `addresses`
 * has `clusterIP`; exec runs in the first replica.
 */
export function deployment(options: DeploymentOptions): WorkloadSpec {
  return {
    description: `Deployment of ${options.replicas} np-serve pods on :${options.containerPort}, Service ${options.service.name} (${options.service.type ?? 'ClusterIP'}) port ${options.service.port}${options.service.nodePort ? `, nodePort ${options.service.nodePort}` : ''} → ${options.containerPort}`,
    images: ['toolbox'],
    async start(name, env) {
      const lab = kindLabOf(env);
      const labels = { app: name, [runLabel]: env.run.id };
      const body: V1Deployment = {
        metadata: { name, namespace: lab.namespace, labels },
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
      await lab.client.apps.createNamespacedDeployment({ namespace: lab.namespace, body });
      const service = await lab.client.core.createNamespacedService({
        namespace: lab.namespace,
        body: {
          metadata: { name: options.service.name, namespace: lab.namespace, labels },
          spec: { type: options.service.type ?? 'ClusterIP', selector: { app: name }, ports: [{ port: options.service.port, targetPort: options.containerPort, protocol: 'TCP', ...(options.service.nodePort ? { nodePort: options.service.nodePort } : {}) }] },
        },
      });
      await waitAvailable(lab, name, options.replicas);
      const pods = await lab.client.core.listNamespacedPod({ namespace: lab.namespace, labelSelector: `app=${name}` });
      const first = pods.items.find((p: V1Pod) => p.status?.podIP)!;
      const workload = podWorkload(lab, first, name, this.description);
      return { ...workload, contextCommands: podContextCommands, addresses: { ...workload.addresses, clusterIP: service.spec?.clusterIP ?? '' } };
    },
  };
}

/** Waits, by watch, until the Deployment has `replicas` available and no old pods left. */
export function waitAvailable(lab: ReturnType<typeof kindLabOf>, name: string, replicas: number, timeoutMs = 180_000): Promise<V1Deployment> {
  return lab.client.waitFor<V1Deployment>(
    `/apis/apps/v1/namespaces/${lab.namespace}/deployments`,
    { fieldSelector: `metadata.name=${name}` },
    (d) => (d.status?.availableReplicas ?? 0) === replicas && (d.status?.replicas ?? 0) === replicas && (d.status?.updatedReplicas ?? 0) === replicas,
    `deployment ${name}: ${replicas} available`,
    timeoutMs,
  );
}
