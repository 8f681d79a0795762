import { Writable } from 'node:stream';
import type { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObject, KubernetesObjectApi, V1Status } from '@kubernetes/client-node';
import { shellQuote, type ExecResult } from '../../exec/exec-result.ts';

export interface PodExecOptions {
  readonly container?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** A watch that saw nothing satisfy its condition before its deadline (not a failure of the watch itself). */
export class WatchTimedOut extends Error {}

/** @kubernetes/client-node, loaded when a cluster is first used: a third of a second that a Docker run never needs. */
type ClientNode = typeof import('@kubernetes/client-node');
export const loadClientNode = (): Promise<ClientNode> => import('@kubernetes/client-node');

/** The client for a cluster's kubeconfig. */
export async function connectKubeClient(kubeconfig: string): Promise<KubeClient> {
  return new KubeClient(await loadClientNode(), kubeconfig);
}

/**
 * The Kubernetes API through @kubernetes/client-node, for one cluster:
 * objects, readiness by watch, exec. Each exec is recorded as the
 * `kubectl exec …` a reader can paste.
 */
export class KubeClient {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly objects: KubernetesObjectApi;

  readonly kubeconfig: string;
  readonly #k8s: ClientNode;

  constructor(k8s: ClientNode, kubeconfig: string) {
    this.#k8s = k8s;
    this.kubeconfig = kubeconfig;
    this.config = new k8s.KubeConfig();
    this.config.loadFromFile(kubeconfig);
    this.core = this.config.makeApiClient(k8s.CoreV1Api);
    this.apps = this.config.makeApiClient(k8s.AppsV1Api);
    this.objects = k8s.KubernetesObjectApi.makeApiClient(this.config);
  }

  /** Creates each object in order (a namespace before what lives in it). */
  async create(objects: readonly KubernetesObject[]): Promise<void> {
    for (const object of objects) await this.objects.create(object);
  }

  /**
   * Resolves with the first object under `path` (an API list path such as
   * `/api/v1/namespaces/x/pods`) that satisfies `ready`. A watch without a
   * resourceVersion first replays every existing object, so nothing is missed.
   * `ready` may throw to give up at once (a pod that cannot start). The
   * deadline passing rejects with WatchTimedOut; any other rejection is the
   * watch failing.
   */
  waitFor<T>(path: string, query: Record<string, string>, ready: (object: T, phase: string) => boolean, what: string, timeoutMs = 180_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      const finish = (error?: Error, object?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        controller?.abort();
        if (error) reject(error);
        else resolve(object as T);
      };
      const timer = setTimeout(() => finish(new WatchTimedOut(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)), timeoutMs);
      const start = () =>
        new this.#k8s.Watch(this.config)
          .watch(path, query, (phase, object: T) => {
            try {
              if (ready(object, phase)) finish(undefined, object);
            } catch (error) {
              finish(error instanceof Error ? error : new Error(String(error)));
            }
          }, (error: unknown) => {
            // The API server ends watches after a while: start another until the deadline.
            if (!settled) setTimeout(() => void start().catch((e: Error) => finish(e)), error ? 500 : 0);
          })
          .then((c) => {
            controller = c;
            if (settled) c.abort();
          });
      start().catch((error: Error) => finish(error));
    });
  }

  /** Deletes a namespace; resolves once the API server has taken the deletion, with `gone`: it and everything in it gone. */
  async startDeletingNamespace(name: string, timeoutMs = 180_000): Promise<{ gone: Promise<void> }> {
    const exists = await this.core.readNamespace({ name }).then(() => true, (error: { code?: number }) => (error.code === 404 ? false : Promise.reject(error)));
    if (!exists) return { gone: Promise.resolve() };
    const gone = this.waitFor('/api/v1/namespaces', { fieldSelector: `metadata.name=${name}` }, (_object, phase) => phase === 'DELETED', `namespace ${name} to go`, timeoutMs).then(() => undefined);
    try {
      await this.core.deleteNamespace({ name });
    } catch (error) {
      gone.catch(() => undefined);
      throw error;
    }
    return { gone };
  }

  /** Runs argv in a pod's container; a non-zero exit is data. `env` is given through `env(1)`, as kubectl exec has no --env. */
  async exec(namespace: string, pod: string, argv: readonly string[], options: PodExecOptions = {}): Promise<ExecResult> {
    const command = options.env && Object.keys(options.env).length ? ['env', ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`), ...argv] : [...argv];
    const pasteable = shellQuote(['kubectl', '-n', namespace, 'exec', pod, ...(options.container ? ['-c', options.container] : []), '--', ...command]);
    const startedAt = new Date().toISOString();
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    const sink = (append: (text: string) => void) => new Writable({ write: (chunk: Buffer, _encoding, done) => (append(chunk.toString()), done()) });
    const exitCode = await new Promise<number | null>((resolve) => {
      let socket: { close(): void } | undefined;
      const timer = setTimeout(() => {
        stderr += `\n(netproof: no exit status after ${(options.timeoutMs ?? 60_000) / 1000} s; the exec was closed)`;
        socket?.close();
        resolve(null);
      }, options.timeoutMs ?? 60_000);
      const container = options.container ?? '';
      new this.#k8s.Exec(this.config)
        .exec(namespace, pod, container, command, sink((t) => (stdout += t)), sink((t) => (stderr += t)), null, false, (status: V1Status) => {
          clearTimeout(timer);
          resolve(exitCodeOf(status));
        })
        .then((ws) => {
          socket = ws;
          // A socket that closes without a status (the pod went away) is not an exit code.
          ws.on('close', () => setTimeout(() => (clearTimeout(timer), resolve(null)), 200));
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          stderr += `${error instanceof Error ? error.message : String(error)}`;
          resolve(null);
        });
    });
    return { command: pasteable, exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started), startedAt };
  }
}

/** The exec status channel says Success, or Failure with the exit code as a cause. */
function exitCodeOf(status: V1Status): number | null {
  if (status.status === 'Success') return 0;
  const code = status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  return code === undefined ? null : Number(code);
}
