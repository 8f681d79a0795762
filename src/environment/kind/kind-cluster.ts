import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import type { ExecResult } from '../../exec/exec-result.ts';
import { hostExec, hostExecOrThrow, type HostExecOptions } from '../../exec/host-exec.ts';
import { ExecError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { unnamedClusterName } from '../../lab/names.ts';
import { forgetRun, registerRun } from '../../lab/run-registry.ts';
import { clusterDnsIp, renderKindConfig, type KindClusterSpec } from './cluster-config.ts';
import { checkHostFor } from './cni/host-check.ts';
import { cniModule, defaultCniFor } from './cni/registry.ts';
import { kindRoot, kubeconfigPath } from './kind-paths.ts';
import { ensureKindToolchain, type KindToolchain } from './node-image.ts';
import { ensureKindNetwork, packetsStoppedFromKind, removeKindNetworkIfUnused } from './kind-network.ts';
import { imageArchive } from './image-archives.ts';
import { runPodOnce } from './run-pod.ts';
import { installCni, type CniFacts } from './cni/install-cni.ts';
import { keepPreCniRecord, observeBeforeCni } from './pre-cni.ts';
import { nodeImageRefs } from './versions.ts';

/** kind labels every node container with its cluster's name. */
export const kindClusterLabel = 'io.x-k8s.kind.cluster';

/** A running kind cluster; `await using` (or stop()) deletes it. */
export interface StartedKindCluster extends AsyncDisposable {
  readonly name: string;
  readonly kubeconfig: string;
  readonly nodeImage: string;
  readonly nodeImageSource: 'local' | 'upstream';
  /** Which CNI runs and where it came from (set by startKindCluster). */
  readonly cni?: CniFacts;
  /** Node container names, control plane first. */
  readonly nodes: readonly string[];
  kubectl(args: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  kubectlOrThrow(args: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Runs a command inside a node container. */
  nodeExec(node: string, argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Packets from the lab's kind network that tried to leave the machine (the guard dropped them; shared by all lab clusters). */
  packetsStopped(): Promise<number>;
  /** Copies local engine images into every node, packed (containerd unpacks an image where a container of it first runs). */
  loadImages(refs: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

/** Builds what is missing, creates the cluster, waits for all nodes Ready and CoreDNS answering. */
export async function startKindCluster(spec: KindClusterSpec, logger: Logger, prepared?: KindToolchain, options: { beside?: BesideCreation } = {}): Promise<StartedKindCluster> {
  const cni = cniModule(spec.cni ?? defaultCniFor());
  // Before anything is built or made: a CNI this host's kernel cannot run is an EnvironmentError.
  await checkHostFor(cni);
  const name = spec.name ?? unnamedClusterName(process.pid, ++counter);
  const toolchain = prepared ?? (await ensureKindToolchain(logger));
  const cluster = kindCluster(name, toolchain);
  if (await clusterExists(toolchain, name)) {
    throw new EnvironmentError(`a kind cluster named "${name}" already exists`, `delete it first (npm run cluster down -- --name ${name})`);
  }
  let cniFacts: CniFacts;
  // Registered while it is being made: killed half-way, `npm run clean` (or the next run) deletes it;
  // a signal's teardown stops kind and deletes it (abandonClusterCreations).
  const creation = { id: `mk${randomBytes(4).toString('hex')}`, pid: process.pid, scenario: `creating kind cluster ${name}`, startedAt: new Date().toISOString(), keep: false, cluster: name };
  const abort = new AbortController();
  await registerRun(creation);
  inCreation.set(name, { abort, registration: creation.id });
  try {
    await logger.step(`creating kind cluster ${name} (${cni.name}, 1 control plane + ${spec.workers ?? 2} workers)`, async () => {
      const config = join(dirname(cluster.kubeconfig), `${name}.kind.yaml`);
      await mkdir(dirname(config), { recursive: true });
      await writeFile(config, renderKindConfig({ ...spec, name }));
      await ensureKindNetwork();
      const created = await toolchain.kind.run(
        ['create', 'cluster', '--name', name, '--image', toolchain.nodeImage, '--config', config, '--kubeconfig', cluster.kubeconfig, '--retain'],
        { timeoutMs: 10 * 60_000, signal: abort.signal },
      );
      if (created.exitCode !== 0) {
        throw new EnvironmentError(`kind create cluster failed:\n${created.stderr.trim().split('\n').slice(-25).join('\n')}`, `the node containers were kept for inspection (docker ps -a --filter label=${kindClusterLabel}=${name}); 'npm run cluster down -- --name ${name}' removes them`);
      }
    });
    // Nodes up, no CNI yet (kind's own is disabled for every CNI): the one moment a cluster is without one (K24, K16; pre-cni.ts).
    const beforeCni = await logger.step('observing the nodes and a pod before the CNI', () => observeBeforeCni(cluster, cni.name, (spec.workers ?? 2) + 1, nodeImageRefs(toolchain.versions)['local-path-helper']));
    let beside: Promise<void> | undefined;
    const startBeside = () => void (beside ??= options.beside?.(cluster).catch(() => undefined));
    cniFacts = await installCni(cluster, cni, logger, startBeside);
    startBeside();
    await logger.step('installing CoreDNS (answers cluster names only, forwards nothing)', () => installCoreDns(cluster, toolchain));
    await logger.step('waiting for every node Ready and CoreDNS answering', () => waitReady(cluster, toolchain));
    await logger.step('the same reads with the CNI, kept with the cluster', () => keepPreCniRecord(cluster, beforeCni));
    await beside;
  } catch (error) {
    if (!process.env.NETPROOF_KEEP_FAILED_CLUSTER) {
      await cluster.stop();
      await deleteUnfinishedCluster(name);
    }
    throw error;
  } finally {
    inCreation.delete(name);
    await forgetRun(creation.id);
  }
  return { ...cluster, nodes: await nodesOf(name), cni: cniFacts };
}

/**
 * Work for the cluster that may run while its CNI starts and CoreDNS comes up
 * (mostly waiting for pods): a run's lab images go into the nodes then. It
 * starts once the CNI's own image is in the nodes (the CNI's pods wait for
 * it) and must not change what a claim observes; a failure is left to the
 * caller to meet again (the images are loaded later if still missing).
 */
export type BesideCreation = (cluster: StartedKindCluster) => Promise<void>;

/** Clusters this process is creating: what stops its `kind create`, and its registration. */
const inCreation = new Map<string, { abort: AbortController; registration: string }>();

/** A signal's teardown: stops every `kind create` of this process and deletes what it made. */
export async function abandonClusterCreations(): Promise<void> {
  for (const [name, { abort, registration }] of inCreation) {
    abort.abort();
    if ((await deleteUnfinishedCluster(name)).remaining === 0) await forgetRun(registration);
  }
}

/**
 * Deletes a cluster whose creation did not finish. A stopped or killed kind's
 * `docker run`s outlive it, and the engine finishes a create whose client is
 * gone: nodes keep appearing for a while (seconds on a loaded machine; CI found
 * three "Created" nodes after a sweep). So it removes what it finds until two
 * looks in a row, 2 s apart, find no node and no docker client at work on the
 * cluster (60 s at most). Returns how many nodes it removed and how many remain.
 */
export async function deleteUnfinishedCluster(name: string): Promise<{ removed: number; remaining: number }> {
  const deadline = Date.now() + 60_000;
  let removed = 0;
  for (let quietLooks = 0; quietLooks < 2 && Date.now() < deadline; ) {
    const nodes = await nodeContainers(name);
    const busy = nodes.length > 0 || (await dockerClientsAt(name)) > 0;
    await removeNodeContainers(name, nodes);
    removed += nodes.length;
    quietLooks = busy ? 0 : quietLooks + 1;
    if (quietLooks < 2) await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const remaining = (await nodeContainers(name)).length;
  await removeKindNetworkIfUnused();
  return { removed, remaining };
}

/** Removes node containers (and their volumes) and the cluster's kubeconfig and kind config. */
export async function removeNodeContainers(name: string, nodes: readonly string[]): Promise<void> {
  if (nodes.length > 0) await hostExec(['docker', 'rm', '-f', '-v', ...nodes]);
  await rm(kubeconfigPath(name), { force: true });
  await rm(kubeconfigPath(name).replace(/\.kubeconfig$/, '.kind.yaml'), { force: true });
}

const nodeContainers = async (name: string) => (await hostExec(['docker', 'ps', '-aq', '--filter', `label=${kindClusterLabel}=${name}`])).stdout.split('\n').filter(Boolean);

/** docker CLI processes whose command line names the cluster's label (kind's `docker run` of a node). */
async function dockerClientsAt(name: string): Promise<number> {
  const needle = `${kindClusterLabel}=${name}\0`;
  let count = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    if ((await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '')).includes(needle)) count++;
  }
  return count;
}

/** Handle on an existing cluster (created by startKindCluster or `npm run cluster up`). */
export function kindCluster(name: string, toolchain: KindToolchain): StartedKindCluster {
  const kubeconfig = kubeconfigPath(name);
  const kubectl = (args: readonly string[], options?: HostExecOptions) => hostExec([toolchain.kubectl, '--kubeconfig', kubeconfig, ...args], options);
  const stop = () => deleteKindCluster(name, toolchain);
  return {
    name,
    kubeconfig,
    nodeImage: toolchain.nodeImage,
    nodeImageSource: toolchain.nodeImageSource,
    nodes: [],
    kubectl,
    async kubectlOrThrow(args, options) {
      const result = await kubectl(args, options);
      if (result.exitCode !== 0) throw new ExecError(result.command, result.exitCode, result.stderr || result.stdout);
      return result;
    },
    nodeExec: (node, argv, options) => hostExec(['docker', 'exec', node, ...argv], options),
    packetsStopped: packetsStoppedFromKind,
    loadImages: (refs) => loadIntoNodes(name, refs),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * What `kind load docker-image` does (`docker save`, then `ctr images import`
 * in the nodes at once), without unpacking: kind's import unpacks every image
 * on every node, while most lab images run on one or two nodes, and
 * containerd's CRI unpacks an image the first time a container of it is
 * created on a node (PostgreSQL, Django and the toolbox into three empty
 * nodes: 120 s with kind load, 59 s packed). Each image's archive is kept
 * (image-archives.ts), and each node imports only its own images.
 */
async function loadIntoNodes(cluster: string, refs: readonly string[]): Promise<void> {
  if (refs.length === 0) return;
  const nodes = await nodesOf(cluster);
  await loadPerNode(new Map(nodes.map((node) => [node, refs])));
}

/** Imports each node's images (node names to image refs): nodes side by side, a node's images one after another, each archive saved once. */
export async function loadPerNode(perNode: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const importInto = (node: string, archive: string) =>
    hostExecOrThrow(['bash', '-c', 'docker exec -i "$1" ctr --namespace=k8s.io images import --all-platforms --digests --no-unpack - < "$2"', 'import', node, archive], { timeoutMs: 15 * 60_000 });
  await Promise.all(
    [...perNode].map(async ([node, refs]) => {
      for (const ref of refs) await importInto(node, await imageArchive(ref));
    }),
  );
}

/**
 * Deletes the cluster's nodes, its kubeconfig and, when no other cluster
 * uses them, the lab's kind network and its guard: nothing stays behind.
 */
export async function deleteKindCluster(name: string, toolchain: Pick<KindToolchain, 'kind'>): Promise<void> {
  // As nodes stop, pods' /32 routes go first: the API server's last FIN-ACKs to them then followed
  // the node's default route toward the machine's uplink (the guard dropped and counted them).
  // Without a default route they die inside the node.
  const nodes = (await hostExec(['docker', 'ps', '-q', '--filter', `label=${kindClusterLabel}=${name}`])).stdout.split('\n').filter(Boolean);
  await Promise.all(nodes.map((node) => hostExec(['docker', 'exec', node, 'sh', '-c', 'ip route del default; ip -6 route del default; true'])));
  await toolchain.kind.run(['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfigPath(name)], { timeoutMs: 5 * 60_000 });
  await removeNodeContainers(name, await nodeContainers(name));
  await removeKindNetworkIfUnused();
}

export async function clusterExists(toolchain: Pick<KindToolchain, 'kind'>, name: string): Promise<boolean> {
  const clusters = await toolchain.kind.run(['get', 'clusters']);
  return clusters.stdout.split('\n').some((line) => line.trim() === name);
}

async function nodesOf(name: string): Promise<string[]> {
  const result = await hostExecOrThrow(['docker', 'ps', '--filter', `label=${kindClusterLabel}=${name}`, '--format', '{{.Names}}']);
  return result.stdout.split('\n').filter(Boolean).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const rank = (node: string) => (node.endsWith('-control-plane') ? 0 : 1);

async function installCoreDns(cluster: StartedKindCluster, toolchain: KindToolchain): Promise<void> {
  const manifest = (await readFile(join(kindRoot, 'manifests', 'coredns.yaml'), 'utf8'))
    .replaceAll('{{IMAGE}}', nodeImageRefs(toolchain.versions).coredns)
    .replaceAll('{{DNS_IP}}', clusterDnsIp);
  await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: manifest });
}

/** Ready means: every node Ready, CoreDNS rolled out, and a pod resolving the API's service name through it. */
async function waitReady(cluster: StartedKindCluster, toolchain: KindToolchain): Promise<void> {
  await cluster.kubectlOrThrow(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=240s'], { timeoutMs: 250_000 });
  await cluster.kubectlOrThrow(['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=180s'], { timeoutMs: 190_000 });
  // The local-path helper image is the lab's Debian base: it has getent, and every node has it.
  // Right after CoreDNS's rollout, the probe's node may not yet have kube-proxy's rule for the DNS
  // Service (seen once: the pod Failed, no output): a few tries within 30 s, then the failure is real.
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; ; attempt++) {
    const probe = await runPodOnce(cluster, `netproof-dns-check-${Date.now().toString(36)}`, {
      image: nodeImageRefs(toolchain.versions)['local-path-helper'],
      command: ['getent', 'hosts', 'kubernetes.default.svc.cluster.local'],
      namespace: 'kube-system',
    });
    if (probe.phase === 'Succeeded' && /^10\.96\.0\.1\s/m.test(probe.logs)) return;
    if (Date.now() > deadline) {
      throw new EnvironmentError(`CoreDNS does not answer for kubernetes.default.svc.cluster.local after ${attempt} tries in 30 s (last pod ${probe.phase}):\n${probe.logs}`, 'inspect with: kubectl -n kube-system logs deploy/coredns');
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
