import type { ExecResult } from '../../exec/exec-result.ts';
import { hostExec } from '../../exec/host-exec.ts';
import { runIdOfName, runLabel, runNamePrefix } from '../../lab/names.ts';
import type { EnvironmentSweeper, SweepOptions } from '../../lab/sweepers.ts';
import { deleteUnfinishedCluster, kindClusterLabel, removeNodeContainers } from './kind-cluster.ts';
import { removeKindNetworkIfUnused } from './kind-network.ts';

/** kind clusters on this engine, by name, with their node containers (control plane first). */
async function kindClusters(): Promise<Map<string, string[]>> {
  const listed = await hostExec(['docker', 'ps', '-a', '--filter', `label=${kindClusterLabel}`, '--format', `{{.Names}} {{.Label "${kindClusterLabel}"}}`]);
  const clusters = new Map<string, string[]>();
  for (const [node, cluster] of listed.stdout.split('\n').filter(Boolean).map((l) => l.split(' '))) {
    if (!node || !cluster) continue;
    const nodes = clusters.get(cluster) ?? [];
    if (node.endsWith('-control-plane')) nodes.unshift(node);
    else nodes.push(node);
    clusters.set(cluster, nodes);
  }
  return clusters;
}

/** kubectl inside a cluster's control-plane node: no kubeconfig or tool needed on the host. */
const nodeKubectl = (controlPlane: string, args: readonly string[]) =>
  hostExec(['docker', 'exec', controlPlane, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', ...args], { timeoutMs: 120_000 });

/**
 * The cluster-scoped kinds a run may make (an add-on's CRDs, RBAC and
 * webhooks: MetalLB's): each carries the run's label, and a sweep deletes them
 * after the run's namespaces.
 */
export const clusterScopedKinds: readonly string[] = ['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];
const clusterScopedResources = 'customresourcedefinitions,clusterroles,clusterrolebindings,validatingwebhookconfigurations,mutatingwebhookconfigurations';

/** What a run may make in the shared default namespace (the article's `<svc>.default.svc.cluster.local`): labelled with the run like the rest. */
const defaultNamespaceResources = 'deployments,services';

/**
 * Deletes what carries the labels `selector` in one cluster: namespaces first
 * (their objects, an add-on's custom resources among them, go with them), then
 * the run's objects in default, then cluster-scoped objects. Returns how many
 * namespaces went.
 */
export async function deleteLabelled(kubectl: (args: readonly string[]) => Promise<ExecResult>, selector: string, options: SweepOptions = {}): Promise<number> {
  const wait = options.waitForDeletions ?? true;
  const deleted = await kubectl(['delete', 'namespace', '-l', selector, `--wait=${wait}`, ...(wait ? ['--timeout=90s'] : [])]);
  await kubectl(['-n', 'default', 'delete', defaultNamespaceResources, '-l', selector, '--wait=true', '--timeout=60s']);
  await kubectl(['delete', clusterScopedResources, '-l', selector, '--wait=true', '--timeout=60s']);
  return deleted.stdout.split('\n').filter((l) => l.includes('deleted')).length;
}

/**
 * What a run left in kind: a cluster it started for itself (its node
 * containers, kubeconfig, and the kind network once unused) and its
 * namespaces and cluster-scoped objects (label netproof.run=<id>) in clusters
 * that stay. Returns how many clusters and namespaces it removed.
 */
async function sweepKindRun(runId: string, options: SweepOptions): Promise<{ clusters: number; namespaces: number }> {
  const report = { clusters: 0, namespaces: 0 };
  const clusters = await kindClusters();
  if (clusters.size === 0) return report;
  for (const [cluster, nodes] of clusters) {
    if (cluster.startsWith(runNamePrefix(runId))) {
      await removeNodeContainers(cluster, nodes);
      report.clusters++;
      continue;
    }
    report.namespaces += await deleteLabelled((args) => nodeKubectl(nodes[0]!, args), `${runLabel}=${runId}`, options);
  }
  if (report.clusters > 0) await removeKindNetworkIfUnused();
  return report;
}

/**
 * Run ids that own a kind cluster, or a namespace or cluster-scoped object in
 * one. A cluster started through the API with no name (unnamedClusterName)
 * gives its creator's pid: the sweep leaves it while that process lives
 * (isOwned).
 */
async function kindRunIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const [cluster, nodes] of await kindClusters()) {
    const own = runIdOfName(cluster);
    if (own) ids.add(own);
    const running = await hostExec(['docker', 'inspect', '-f', '{{.State.Running}}', nodes[0]!]);
    if (running.stdout.trim() !== 'true') continue;
    const labels = await nodeKubectl(nodes[0]!, ['get', `namespaces,${clusterScopedResources}`, '-l', 'netproof.run', '-o', 'jsonpath={.items[*].metadata.labels.netproof\\.run}']);
    for (const id of labels.stdout.split(/\s+/).filter(Boolean)) ids.add(id);
    const inDefault = await nodeKubectl(nodes[0]!, ['-n', 'default', 'get', defaultNamespaceResources, '-l', 'netproof.run', '-o', 'jsonpath={.items[*].metadata.labels.netproof\\.run}']);
    for (const id of inDefault.stdout.split(/\s+/).filter(Boolean)) ids.add(id);
  }
  return ids;
}

/**
 * kind's part of every sweep: a run's own clusters and its namespaces and
 * cluster-scoped objects in clusters that stay, and a cluster a dead process
 * was still creating (its registration's `cluster`).
 */
export const kindSweeper: EnvironmentSweeper = {
  environment: 'kind',
  async sweepRun(runId, options = {}) {
    const { clusters, namespaces } = await sweepKindRun(runId, options);
    return { 'kind clusters': clusters, namespaces };
  },
  runIds: kindRunIds,
  async sweepUnfinished(record) {
    if (!record.cluster) return { removed: { 'kind clusters': 0 }, remaining: 0 };
    const { removed, remaining } = await deleteUnfinishedCluster(record.cluster);
    return { removed: { 'kind clusters': removed > 0 ? 1 : 0 }, remaining };
  },
};
