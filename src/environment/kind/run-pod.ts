import type { StartedKindCluster } from './kind-cluster.ts';

export interface PodRun {
  readonly phase: string;
  readonly logs: string;
}

export interface RunPodOptions {
  readonly image: string;
  readonly command: readonly string[];
  /** Pin to a node (spec.nodeName); default: the scheduler's choice. */
  readonly node?: string;
  readonly namespace?: string;
  readonly timeoutSeconds?: number;
}

/**
 * Runs a command once in a fresh pod (image never pulled), waits for it to
 * finish, returns its phase and logs, and deletes the pod.
 */
export async function runPodOnce(cluster: Pick<StartedKindCluster, 'kubectl' | 'kubectlOrThrow'>, name: string, options: RunPodOptions): Promise<PodRun> {
  const namespace = options.namespace ?? 'default';
  const timeout = options.timeoutSeconds ?? 90;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'netproof.io/run-once': 'true' } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      ...(options.node ? { nodeName: options.node } : {}),
      containers: [{ name: 'run', image: options.image, imagePullPolicy: 'Never', command: options.command }],
    },
  };
  await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify(pod) });
  try {
    const deadline = Date.now() + timeout * 1000;
    let phase = 'Pending';
    while (Date.now() < deadline) {
      phase = (await cluster.kubectl(['-n', namespace, 'get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout.trim();
      if (phase === 'Succeeded' || phase === 'Failed') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const logs = (await cluster.kubectl(['-n', namespace, 'logs', name])).stdout;
    return { phase, logs };
  } finally {
    await cluster.kubectl(['-n', namespace, 'delete', 'pod', name, '--wait=false', '--ignore-not-found']);
  }
}
