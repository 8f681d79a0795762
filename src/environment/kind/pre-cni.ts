/**
 * A cluster before its CNI (article 003: "Kubernetes does not implement the
 * network itself; pods communicate through a CNI plugin"), observed once, while
 * the cluster is made: between `kind create` (nodes up, no CNI: kind's own is
 * disabled for every CNI, kind's default included, see installCni) and the CNI's
 * install, then again once the cluster is Ready.
 *
 * Why during the creation, and kept with the cluster: that window exists only
 * there, and a lab cluster is made once and reused by many runs. A short-lived
 * cluster per attempt would add a cluster creation (minutes) to every run of
 * the scenario; this costs one pod and a few reads (seconds) per creation. The
 * record is a ConfigMap in kube-system, so it lives and dies with the cluster it
 * describes (never mistaken for another's), and carries when it was observed: a
 * run on a reused cluster cites it as what it is, an observation of that
 * cluster's creation, not of the run.
 */
import type { ExecResult } from '../../exec/exec-result.ts';
import type { StartedKindCluster } from './kind-cluster.ts';

export const preCniRecordName = 'netproof-pre-cni';
export const preCniRecordNamespace = 'kube-system';
/** The pod that waits, on the first worker, for a network only a CNI gives. */
const waitingPod = 'netproof-pre-cni-pod';

/** A node's Ready condition as the kubelet reported it. */
export interface NodeReadiness {
  readonly node: string;
  readonly ready: string;
  readonly reason: string;
  readonly message: string;
}

/** One node's /etc/cni/net.d: the names of its files (`ls -A`). */
export interface CniDirListing {
  readonly node: string;
  readonly files: readonly string[];
}

/** The waiting pod as the API server showed it. */
export interface WaitingPod {
  readonly name: string;
  readonly node: string;
  readonly phase: string;
  readonly podIp: string;
  /** Its events, `reason: message`, oldest first. */
  readonly events: readonly string[];
}

export interface ClusterState {
  readonly observedAt: string;
  readonly nodes: readonly NodeReadiness[];
  readonly cniDir: readonly CniDirListing[];
  readonly pod: WaitingPod;
}

/** What a cluster's creation saw before and after its CNI was installed. */
export interface PreCniRecord {
  readonly cluster: string;
  readonly cni: string;
  readonly before: ClusterState;
  readonly after?: ClusterState;
}

type Cluster = Pick<StartedKindCluster, 'name' | 'kubectl' | 'kubectlOrThrow' | 'nodeExec'>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const nodeReadiness = async (cluster: Cluster): Promise<NodeReadiness[]> => {
  const listed = await cluster.kubectlOrThrow(['get', 'nodes', '-o', 'json']);
  const nodes = (JSON.parse(listed.stdout) as { items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }[] }).items;
  return nodes.map((node) => {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    return { node: node.metadata.name, ready: ready?.status ?? 'Unknown', reason: ready?.reason ?? '', message: ready?.message ?? '' };
  });
};

const cniDir = async (cluster: Cluster, nodes: readonly string[]): Promise<CniDirListing[]> =>
  Promise.all(nodes.map(async (node) => ({ node, files: (await cluster.nodeExec(node, ['ls', '-A', '/etc/cni/net.d'])).stdout.split('\n').filter(Boolean) })));

async function waitingPodNow(cluster: Cluster): Promise<WaitingPod> {
  const pod = JSON.parse((await cluster.kubectlOrThrow(['-n', preCniRecordNamespace, 'get', 'pod', waitingPod, '-o', 'json'])).stdout) as { spec: { nodeName?: string }; status: { phase?: string; podIP?: string } };
  const events = await cluster.kubectlOrThrow(['-n', preCniRecordNamespace, 'get', 'events', '--field-selector', `involvedObject.name=${waitingPod}`, '--sort-by=.lastTimestamp', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  return { name: waitingPod, node: pod.spec.nodeName ?? '', phase: pod.status.phase ?? '', podIp: pod.status.podIP ?? '', events: [...new Set(events.stdout.split('\n').filter(Boolean))] };
}

/** Whether the kubelet's events say the pod could not be given a network (it refuses to sync it, or the runtime fails its sandbox). */
export const noNetworkEvent = (event: string) => /^(NetworkNotReady|FailedCreatePodSandBox):/.test(event);

/**
 * Before the CNI: waits for every node to register, starts a pod pinned to the
 * first worker (tolerating the not-ready taint, so only the network stops it)
 * and waits (90 s at most) for the kubelet's event that it has no network;
 * then reads every node's Ready condition and /etc/cni/net.d.
 */
export async function observeBeforeCni(cluster: Cluster, cni: string, nodes: number, image: string): Promise<PreCniRecord> {
  const deadline = Date.now() + 90_000;
  let readiness = await nodeReadiness(cluster);
  while (readiness.length < nodes && Date.now() < deadline) {
    await sleep(1000);
    readiness = await nodeReadiness(cluster);
  }
  const worker = `${cluster.name}-worker`;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: waitingPod, namespace: preCniRecordNamespace, labels: { 'netproof.io/pre-cni': 'true' } },
    spec: {
      nodeName: worker,
      terminationGracePeriodSeconds: 0,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }],
      containers: [{ name: 'wait', image, imagePullPolicy: 'Never', command: ['sleep', 'infinity'] }],
    },
  };
  await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify(pod) });
  let state = await waitingPodNow(cluster);
  while (!state.events.some(noNetworkEvent) && state.phase !== 'Running' && Date.now() < deadline) {
    await sleep(1000);
    state = await waitingPodNow(cluster);
  }
  readiness = await nodeReadiness(cluster);
  return { cluster: cluster.name, cni, before: { observedAt: new Date().toISOString(), nodes: readiness, cniDir: await cniDir(cluster, readiness.map((n) => n.node)), pod: state } };
}

/**
 * Once the CNI is installed and the cluster Ready: the same reads, the waiting
 * pod given 120 s to run; then the record is written with the cluster (a
 * ConfigMap) and the pod deleted.
 */
export async function keepPreCniRecord(cluster: Cluster, record: PreCniRecord): Promise<void> {
  await cluster.kubectl(['-n', preCniRecordNamespace, 'wait', '--for=condition=Ready', `pod/${waitingPod}`, '--timeout=120s'], { timeoutMs: 130_000 });
  const nodes = await nodeReadiness(cluster);
  const after: ClusterState = { observedAt: new Date().toISOString(), nodes, cniDir: await cniDir(cluster, nodes.map((n) => n.node)), pod: await waitingPodNow(cluster) };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: preCniRecordName, namespace: preCniRecordNamespace }, data: { 'record.json': JSON.stringify({ ...record, after }, null, 1) } };
  await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify(configMap) });
  await cluster.kubectl(['-n', preCniRecordNamespace, 'delete', 'pod', waitingPod, '--wait=false', '--ignore-not-found']);
}

/** Reads a cluster's record (the command is the evidence); undefined when the cluster has none (made before the lab kept one). */
export async function readPreCniRecord(cluster: Pick<StartedKindCluster, 'kubectl'>): Promise<{ result: ExecResult; record?: PreCniRecord }> {
  const result = await cluster.kubectl(['-n', preCniRecordNamespace, 'get', 'configmap', preCniRecordName, '-o', 'jsonpath={.data.record\\.json}']);
  if (result.exitCode !== 0 || !result.stdout.trim()) return { result };
  return { result, record: JSON.parse(result.stdout) as PreCniRecord };
}
