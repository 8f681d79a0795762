import { access } from 'node:fs/promises';
import type { V1Node } from '@kubernetes/client-node';
import { EnvironmentError } from '../../errors.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import type { StartedEnvironment } from '../started-environment.ts';
import { runClusterName, runLabel, runNamespace, scenarioLabel } from '../../lab/names.ts';
import type { Logger } from '../../log.ts';
import { cniNodeLabel, serviceSubnet, type KindClusterSpec } from './cluster-config.ts';
import type { CniModule } from './cni/cni-module.ts';
import { cniModule, isCni, type Cni } from './cni/registry.ts';
import { clusterExists, kindCluster, loadPerNode, startKindCluster, type StartedKindCluster } from './kind-cluster.ts';
import { connectKubeClient, type KubeClient } from './kube-client.ts';
import { everyNode, nodesFor, type ImagePlacement, type PlacementNode } from './image-placement.ts';
import { ensureKindToolchain, type KindToolchain } from './node-image.ts';

/** A node as probes need it: its name (also its container's), role and addresses. */
export interface KindNode {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  /** InternalIP on the lab's kind network. */
  readonly address: string;
  readonly podCidr: string;
}

/** What the cluster is, for the results' fingerprint. */
export interface KindFacts {
  readonly kind: string;
  readonly kubernetes: string;
  /** The CNI the cluster runs, read from its nodes' label (written at creation), never from the run's spec. */
  readonly cniName: Cni;
  /** The fingerprint's line: the CNI and what it is. */
  readonly cni: string;
  readonly kubeProxyMode: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly nodes: readonly KindNode[];
}

/** One run's view of a kind cluster: the cluster, the API client, the run's namespace and the nodes. */
export interface KindLab {
  readonly cluster: StartedKindCluster;
  readonly client: KubeClient;
  /** The run's own namespace (names.ts's runNamespace); removed at teardown. */
  readonly namespace: string;
  readonly facts: KindFacts;
  /** Whether this run created the cluster (then it deletes it at teardown, unless asked to keep it). */
  readonly created: boolean;
}

export interface KindLabSpec extends KindClusterSpec {
  readonly cni: Cni;
}

/**
 * The name of the shared lab cluster for a spec (what `npm run cluster up`
 * makes and runs reuse): it carries the CNI, so a run never finds a cluster of
 * another CNI under its name (an engine, once there is a choice of one, joins
 * it the same way: netproof-<cni>[-<engine>][-<N>w]).
 */
export const sharedClusterName = (spec: Pick<KindLabSpec, 'cni' | 'workers'>) => `netproof-${spec.cni}${(spec.workers ?? 2) === 2 ? '' : `-${spec.workers}w`}`;

/** Whether a kind cluster name is one of the lab's shared clusters (sharedClusterName's shape, or the kindnet one's name before it carried the CNI). */
export const isSharedClusterName = (name: string) => /^netproof(-[a-z0-9-]+)?$/.test(name);

/**
 * Reuses the lab cluster of this spec when one runs (namespaces keep runs
 * apart) unless `ownCluster`, else starts one. A cluster the run started is deleted at teardown
 * unless `keepCluster`; while it lives its node containers' names carry the
 * run id, so a sweep of a killed run finds it. Images are loaded into the nodes
 * (never pulled), and the run's namespace is made and, at teardown, removed.
 */
export async function startKindLab(spec: KindLabSpec, run: LabRun, logger: Logger, images: readonly string[], options: { keepCluster?: boolean; ownCluster?: boolean; imagePlacement?: ReadonlyMap<string, ImagePlacement> } = {}): Promise<KindLab> {
  const toolchain = await logger.step('checking the kind toolchain', () => ensureKindToolchain(logger));
  const shared = sharedClusterName(spec);
  // A run's own cluster is never kept: it carries the run id, and only the run knows it.
  const keep = options.keepCluster && !options.ownCluster;
  const reuse = !options.ownCluster && (await clusterExists(toolchain, shared));
  const name = reuse || keep ? shared : runClusterName(run.id, spec.cni);
  let cluster: StartedKindCluster;
  if (reuse) {
    logger.info(`reusing kind cluster ${name}`);
    cluster = { ...kindCluster(name, toolchain), nodes: [] };
  } else {
    // The run's images go into the nodes while the CNI and CoreDNS start (about 30 s of waiting for pods).
    const loadImages = async (started: StartedKindCluster) => loadWherePlaced(started, await connectKubeClient(started.kubeconfig), images, options.imagePlacement ?? new Map(), logger);
    cluster = await startKindCluster({ ...spec, name }, logger, toolchain, { beside: loadImages });
    if (!keep) run.defer(`delete kind cluster ${name}`, () => cluster.stop());
  }
  if (reuse) await waitUsable(cluster, toolchain, logger);
  const client = await connectKubeClient(cluster.kubeconfig);
  const facts = await readKindFacts(client, toolchain.versions.KIND_VERSION);
  if (facts.cniName !== spec.cni) {
    // Only a cluster made by hand under a lab name gets here: its own CNI decides, never the name or the spec.
    throw new EnvironmentError(`kind cluster ${name} runs ${facts.cniName}, not ${spec.cni}`, `delete it (npm run cluster down -- --name ${name}), or run with --cni ${facts.cniName}`);
  }
  await loadWherePlaced(cluster, client, images, options.imagePlacement ?? new Map(), logger);
  const namespace = runNamespace(run.id);
  await client.core.createNamespace({ body: { metadata: { name: namespace, labels: { [runLabel]: run.id, [scenarioLabel]: run.scenario } } } });
  run.defer(`delete namespace ${namespace}`, async () => run.linger(`namespace ${namespace} to go`, (await client.startDeletingNamespace(namespace)).gone));
  return { cluster, client, namespace, facts, created: !reuse };
}

/**
 * A cluster another process is still creating is listed before it can be
 * used: its kubeconfig is written at the end of `kind create`, and CoreDNS is
 * installed after. Waits for both (kind's export, then kubectl's wait), 5 min at most.
 */
async function waitUsable(cluster: StartedKindCluster, toolchain: KindToolchain, logger: Logger): Promise<void> {
  if (await access(cluster.kubeconfig).then(() => true, () => false)) return;
  await logger.step(`waiting for kind cluster ${cluster.name} (another run is creating it)`, async () => {
    const deadline = Date.now() + 300_000;
    while ((await toolchain.kind.run(['export', 'kubeconfig', '--name', cluster.name, '--kubeconfig', cluster.kubeconfig])).exitCode !== 0) {
      if (Date.now() > deadline) throw new EnvironmentError(`kind cluster ${cluster.name} is listed but gives no kubeconfig`, `delete it (npm run cluster down -- --name ${cluster.name}) and run again`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    await cluster.kubectlOrThrow(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=240s'], { timeoutMs: 250_000 });
    // kubectl wait fails at once on a Deployment that does not exist yet (the creator installs CoreDNS last).
    while ((await cluster.kubectl(['-n', 'kube-system', 'get', 'deployment/coredns'])).exitCode !== 0) {
      if (Date.now() > deadline) throw new EnvironmentError(`kind cluster ${cluster.name} has no CoreDNS after 5 min`, 'delete it and run again');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    await cluster.kubectlOrThrow(['-n', 'kube-system', 'wait', '--for=condition=Available', 'deployment/coredns', '--timeout=240s'], { timeoutMs: 250_000 });
  });
}

/** Per node, which of the images it should have it lacks (nodes read side by side). */
async function missingByNode(cluster: StartedKindCluster, wanted: ReadonlyMap<string, readonly string[]>): Promise<Map<string, string[]>> {
  const read = await Promise.all(
    [...wanted].map(async ([node, images]) => {
      const listed = await cluster.nodeExec(node, ['ctr', '-n', 'k8s.io', 'images', 'ls', '-q']);
      // containerd names a docker-loaded image with its registry: netproof/x:tag is docker.io/netproof/x:tag.
      const present = new Set(listed.stdout.split('\n').map((ref) => ref.replace(/^docker\.io\//, '')));
      return [node, images.filter((image) => listed.exitCode !== 0 || !present.has(image.replace(/^docker\.io\//, '')))] as const;
    }),
  );
  return new Map(read.filter(([, missing]) => missing.length > 0));
}

/**
 * Loads each image into the nodes its placement names that lack it (every
 * node for an image without one), the nodes side by side.
 */
export async function loadWherePlaced(cluster: StartedKindCluster, client: KubeClient, images: readonly string[], placement: ReadonlyMap<string, ImagePlacement>, logger: Logger): Promise<void> {
  if (images.length === 0) return;
  const nodes = await placementNodes(client, cluster.name);
  const placedOn = new Map(images.map((image) => [image, nodesFor(placement.get(image) ?? everyNode, nodes)]));
  const wanted = new Map(nodes.map((node) => [node.name, images.filter((image) => placedOn.get(image)!.includes(node.name))]));
  const missing = await missingByNode(cluster, wanted);
  if (missing.size === 0) return;
  const loading = [...new Set([...missing.values()].flat())];
  const where = [...missing.keys()].map((node) => node.slice(cluster.name.length + 1)).join(', ');
  await logger.step(`loading ${loading.length === 1 ? loading[0] : `${loading.length} lab images`} into the nodes that run them (${where})`, () => loadPerNode(missing));
}

/** The cluster's nodes as placement reads them: name, kind's suffix, and whether the scheduler may use it. */
async function placementNodes(client: KubeClient, clusterName: string): Promise<PlacementNode[]> {
  const listed = await client.core.listNode();
  return listed.items.map((node) => {
    const name = node.metadata?.name ?? '';
    const schedulable = !node.spec?.unschedulable && !(node.spec?.taints ?? []).some((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute');
    return { name, suffix: name.slice(clusterName.length + 1), schedulable };
  });
}

/** The cluster's CNI as its nodes' label names it (all must agree), e.g. after `npm run cluster up -- --cni flannel`. */
export function cniOfNodes(nodes: readonly V1Node[]): Cni {
  const names = [...new Set(nodes.map((node) => node.metadata?.labels?.[cniNodeLabel] ?? '(none)'))];
  const [name] = names;
  if (names.length !== 1 || name === undefined || !isCni(name)) {
    throw new EnvironmentError(`the cluster's nodes do not name one known CNI in their ${cniNodeLabel} label (${names.join(', ') || 'no nodes'})`, 'it was made by hand or by an older netproof: delete it (npm run cluster down -- --name NAME) and run again');
  }
  return name;
}

async function readKindFacts(client: KubeClient, kindVersion: string): Promise<KindFacts> {
  const nodes = (await client.core.listNode()).items;
  const cni = cniModule(cniOfNodes(nodes));
  const proxyConfig = await client.core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' }).catch(() => undefined);
  // kube-proxy's default when `mode` is empty is iptables on Linux.
  const mode = /^mode:\s*"?([\w-]*)"?\s*$/m.exec(proxyConfig?.data?.['config.conf'] ?? '')?.[1];
  return {
    kind: kindVersion,
    kubernetes: nodes[0]?.status?.nodeInfo?.kubeletVersion ?? 'unknown',
    cniName: cni.name,
    cni: cni.fingerprint,
    kubeProxyMode: mode === undefined ? 'unknown' : mode || 'iptables (default)',
    podCidr: cni.podSubnet,
    serviceCidr: serviceSubnet,
    nodes: nodes.map(kindNode).sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'control-plane' ? -1 : 1)),
  };
}

const kindNode = (node: V1Node): KindNode => ({
  name: node.metadata?.name ?? '',
  role: node.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined ? 'control-plane' : 'worker',
  address: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
  podCidr: node.spec?.podCIDR ?? '',
});

/** The CNI module of the lab's cluster (as its nodes name it): what probes and explanations ask of the CNI that ran. */
export const cniOf = (lab: Pick<KindLab, 'facts'>): CniModule<Cni> => cniModule(lab.facts.cniName);

/** A node by role and index: `control-plane`, `worker` (the first), `worker2`, … as kind names them. */
export function nodeNamed(lab: KindLab, which: string): KindNode {
  const node = lab.facts.nodes.find((n) => n.name === `${lab.cluster.name}-${which}`);
  if (!node) throw new Error(`cluster ${lab.cluster.name} has no node "${which}" (${lab.facts.nodes.map((n) => n.name).join(', ')})`);
  return node;
}

/** The kind lab of a run; workloads and probes that need a cluster call it. */
export function kindLabOf(env: StartedEnvironment): KindLab {
  if (!env.kind) throw new Error(`scenario ${env.run.scenario} runs on Docker, not kind: its environment has no cluster`);
  return env.kind;
}
