import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { kindLabOf, type KindLab } from '../environment/kind/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { ImageName } from '../images/catalogue.ts';
import { runLabel, runResourceName } from '../lab/names.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';

export interface PodContainer {
  readonly name: string;
  readonly image: ImageName;
  readonly command?: readonly string[];
  /** Arguments to the image's entrypoint (Kubernetes' `args`; `command` replaces the entrypoint). */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** A command that succeeds once the container serves (a readiness probe): the pod is Ready only then. */
  readonly readyWhen?: readonly string[];
}

export interface PodOptions {
  readonly description: string;
  readonly containers: readonly PodContainer[];
  /** Pin to a node by kind's suffix (`control-plane`, `worker`, `worker2`); default: the scheduler's choice. */
  readonly node?: string;
  /** Share the node's network namespace, as a program installed on the node would. */
  readonly hostNetwork?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  /** The container probes exec in; default the first. */
  readonly execIn?: string;
}

/** The pod name of a workload: the workload's name (a DNS label), in the run's namespace. */
export const podName = (workload: string) => workload.toLowerCase().replace(/[^a-z0-9-]/g, '-');

/** What probes read to explain a pod's view of the network. */
export const podContextCommands: readonly (readonly string[])[] = [['ip', '-4', 'addr', 'show'], ['ip', 'route', 'show'], ['cat', '/etc/resolv.conf']];

/**
 * A pod of lab images (never pulled) as a workload, in the run's namespace.
 * `addresses` has `pod` (its pod IP) and `node` (its node's InternalIP).
 */
export function pod(options: PodOptions): WorkloadSpec {
  return {
    description: options.description,
    images: [...new Set(options.containers.map((c) => c.image))],
    podsOn: options.node ? [options.node] : 'scheduled',
    async start(name, env) {
      const lab = kindLabOf(env);
      const manifest = podManifest(podName(name), options, env);
      await lab.client.core.createNamespacedPod({ namespace: lab.namespace, body: manifest });
      const ready = await waitPodReady(lab, podName(name));
      return podWorkload(lab, ready, name, options.description, options.execIn);
    },
  };
}

export function podManifest(name: string, options: Omit<PodOptions, 'description'>, env: StartedEnvironment): V1Pod {
  const lab = kindLabOf(env);
  return {
    metadata: { name, namespace: lab.namespace, labels: { [runLabel]: env.run.id, 'netproof.workload': name, ...options.labels } },
    spec: {
      terminationGracePeriodSeconds: 0,
      hostNetwork: options.hostNetwork,
      ...(options.node ? { nodeName: `${lab.cluster.name}-${options.node}` } : {}),
      containers: options.containers.map((c) => containerSpec(c, env)),
    },
  };
}

/** A container of a lab image, never pulled. np-serve inside names itself by the run's resource name for the pod, as every lab server does. */
export function containerSpec(container: PodContainer, env: StartedEnvironment): V1Container {
  return {
    name: container.name,
    image: env.images[container.image],
    imagePullPolicy: 'Never',
    ...(container.command ? { command: [...container.command] } : {}),
    ...(container.args ? { args: [...container.args] } : {}),
    ...(container.readyWhen ? { readinessProbe: { exec: { command: [...container.readyWhen] }, periodSeconds: 1, failureThreshold: 120 } } : {}),
    env: [
      { name: 'NP_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      // The kubelet expands $(VAR) of an earlier variable.
      { name: 'NP_SERVER_ID', value: runResourceName(env.run.id, '$(NP_POD_NAME)') },
      ...Object.entries(container.env ?? {}).map(([key, value]) => ({ name: key, value })),
    ],
  };
}

/** Waits, by watch, until the pod is Ready; a pod that fails or cannot start its containers is an error at once. */
export function waitPodReady(lab: KindLab, name: string, timeoutMs = 180_000): Promise<V1Pod> {
  return lab.client.waitFor<V1Pod>(
    `/api/v1/namespaces/${lab.namespace}/pods`,
    { fieldSelector: `metadata.name=${name}` },
    (pod) => {
      const waiting = pod.status?.containerStatuses?.map((s) => s.state?.waiting?.reason).find((r) => r === 'ErrImageNeverPull' || r === 'CrashLoopBackOff' || r === 'CreateContainerError');
      if (waiting || pod.status?.phase === 'Failed') throw new Error(`pod ${name}: ${waiting ?? 'Failed'}`);
      return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    },
    `pod ${name} Ready`,
    timeoutMs,
  );
}

/** A running pod as a place probes run from. */
export function podWorkload(lab: KindLab, ready: V1Pod, name: string, description: string, execIn?: string): StartedWorkload {
  const pod = ready.metadata!.name!;
  return {
    name,
    description,
    containerName: pod,
    exec: (argv, options) => lab.client.exec(lab.namespace, pod, argv, { container: execIn, env: options?.env }),
    contextCommands: podContextCommands,
    addresses: { pod: ready.status?.podIP ?? '', node: ready.status?.hostIP ?? '' },
    place: { kind: ready.spec?.hostNetwork ? 'host-netns' : 'pod' },
  };
}
