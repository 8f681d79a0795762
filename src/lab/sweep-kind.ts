import { readdir, readFile, rm } from 'node:fs/promises';
import { kindClusterLabel } from '../environment/kind/kind-cluster.ts';
import { kubeconfigPath } from '../environment/kind/kind-paths.ts';
import { removeKindNetworkIfUnused } from '../environment/kind/kind-network.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { hostExec } from '../exec/host-exec.ts';

/** Name prefix of a kind cluster a run started for itself (`np-<run>-<cni>`). */
const runClusterPrefix = (runId: string) => `np-${runId}-`;

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

/**
 * Deletes what carries the labels `selector` in one cluster: namespaces first
 * (their objects, an add-on's custom resources among them, go with them), then
 * cluster-scoped objects. Returns how many namespaces went.
 */
export async function deleteLabelled(kubectl: (args: readonly string[]) => Promise<ExecResult>, selector: string): Promise<number> {
  const deleted = await kubectl(['delete', 'namespace', '-l', selector, '--wait=true', '--timeout=90s']);
  await kubectl(['delete', clusterScopedResources, '-l', selector, '--wait=true', '--timeout=60s']);
  return deleted.stdout.split('\n').filter((l) => l.includes('deleted')).length;
}

/**
 * What a run left in kind: a cluster it started for itself (its node
 * containers, kubeconfig, and the kind network once unused) and its
 * namespaces and cluster-scoped objects (label netproof.run=<id>) in clusters
 * that stay. Returns how many clusters and namespaces it removed.
 */
export async function sweepKindRun(runId: string): Promise<{ clusters: number; namespaces: number }> {
  const report = { clusters: 0, namespaces: 0 };
  const clusters = await kindClusters();
  if (clusters.size === 0) return report;
  for (const [cluster, nodes] of clusters) {
    if (cluster.startsWith(runClusterPrefix(runId))) {
      await removeClusterNodes(cluster, nodes);
      report.clusters++;
      continue;
    }
    report.namespaces += await deleteLabelled((args) => nodeKubectl(nodes[0]!, args), `netproof.run=${runId}`);
  }
  if (report.clusters > 0) await removeKindNetworkIfUnused();
  return report;
}

async function removeClusterNodes(cluster: string, nodes: readonly string[]): Promise<void> {
  if (nodes.length > 0) await hostExec(['docker', 'rm', '-f', '-v', ...nodes]);
  await rm(kubeconfigPath(cluster), { force: true });
  await rm(kubeconfigPath(cluster).replace(/\.kubeconfig$/, '.kind.yaml'), { force: true });
}

/**
 * A cluster whose `cluster up` died before it was up: its nodes, kubeconfig,
 * and the kind network once unused. A killed kind's `docker run`s outlive it,
 * and the engine finishes a create whose client is gone: nodes keep appearing
 * for a while (seconds on a loaded machine). So it removes what it finds until
 * two looks in a row, 2 s apart, find no node and no docker client still at
 * work on the cluster (60 s at most). Returns 1 if it had nodes, and whether
 * some are still there (then the next sweep tries again).
 */
export async function sweepUnfinishedCluster(cluster: string): Promise<{ clusters: number; remaining: number }> {
  const deadline = Date.now() + 60_000;
  let removed = 0;
  let quietLooks = 0;
  while (quietLooks < 2 && Date.now() < deadline) {
    const nodes = (await kindClusters()).get(cluster) ?? [];
    const busy = nodes.length > 0 || (await dockerClientsAt(cluster)) > 0;
    await removeClusterNodes(cluster, nodes);
    removed += nodes.length;
    quietLooks = busy ? 0 : quietLooks + 1;
    if (quietLooks < 2) await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const remaining = (await kindClusters()).get(cluster) ?? [];
  await removeKindNetworkIfUnused();
  return { clusters: removed > 0 ? 1 : 0, remaining: remaining.length };
}

/** docker CLI processes whose command line names the cluster's label (kind's `docker run` of a node). */
async function dockerClientsAt(cluster: string): Promise<number> {
  const needle = `${kindClusterLabel}=${cluster}\0`;
  let count = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '');
    if (argv.includes(needle)) count++;
  }
  return count;
}

/** Run ids that own a kind cluster, or a namespace or cluster-scoped object in one. */
export async function kindRunIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const [cluster, nodes] of await kindClusters()) {
    const own = /^np-([a-z0-9]{1,12})-/.exec(cluster)?.[1];
    if (own) ids.add(own);
    const running = await hostExec(['docker', 'inspect', '-f', '{{.State.Running}}', nodes[0]!]);
    if (running.stdout.trim() !== 'true') continue;
    const labels = await nodeKubectl(nodes[0]!, ['get', `namespaces,${clusterScopedResources}`, '-l', 'netproof.run', '-o', 'jsonpath={.items[*].metadata.labels.netproof\\.run}']);
    for (const id of labels.stdout.split(/\s+/).filter(Boolean)) ids.add(id);
  }
  return ids;
}
