import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../../../errors.ts';
import { hostExecOrThrow } from '../../../exec/host-exec.ts';
import type { Logger } from '../../../log.ts';
import { kindNetwork } from '../kind-network.ts';
import type { StartedKindCluster } from '../kind-cluster.ts';
import type { CniModule, CniSupply, ManifestTarget, ModuleChart, ModuleFile } from './cni-module.ts';
import { ensureGoArtefact } from '../go-artefacts.ts';
import { readVersions } from '../versions.ts';
import { cniVersion, ensureCniImage, readCniVersions, type ManifestCniModule } from './cni-recipe.ts';
import { kernelFact, readKernelConfig } from './kernel-facts.ts';
import type { Cni } from './registry.ts';

/** What a cluster's CNI is, for results' fingerprints. */
export interface CniFacts {
  readonly cni: Cni;
  readonly supply: CniSupply;
  /** The CNI's version and where its images came from. */
  readonly build: string;
  /** What this host's kernel has or lacks of what the CNI needs (e.g. CONFIG_NFT_QUEUE for upstream kindnet's policies). */
  readonly kernel?: string;
}

/** The supply mode the user chose (NETPROOF_CNI_SUPPLY); never decided by probing a registry. */
export function cniSupply(): CniSupply {
  const value = process.env.NETPROOF_CNI_SUPPLY ?? 'offline';
  if (value !== 'offline' && value !== 'upstream') throw new EnvironmentError(`NETPROOF_CNI_SUPPLY=${value} is neither offline nor upstream`, 'set NETPROOF_CNI_SUPPLY=offline (built here, the default) or upstream (pinned upstream images)');
  return value;
}

/**
 * Installs the cluster's CNI as its module says: a bundled one (kind's default)
 * comes with the node image and is applied from it, as kind would; a manifest
 * one is applied from its own pinned manifest, its images built here and
 * loaded into the nodes offline (no registry): `imagesLoaded` is called then.
 * Then waits for its DaemonSet on every node and for every node's route to
 * every other node's pod CIDR.
 */
export async function installCni(cluster: StartedKindCluster, cni: CniModule<Cni>, logger: Logger, imagesLoaded: () => void = () => undefined): Promise<CniFacts> {
  const supply = cniSupply();
  const { source } = cni;
  if (source.kind === 'bundled') {
    // Its image is in the node image.
    imagesLoaded();
    await logger.step(`installing ${cni.name} from the node image (/kind/manifests/default-cni.yaml)`, async () => {
      await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: await bundledManifest(cluster, cni.podSubnet) });
      await rolledOut(cluster, cni);
    });
    await logger.step(`waiting for ${cni.name}'s routes to every other node's pod CIDR`, () => waitPodRoutes(cluster));
    const { build, reportKernelOptions } = source.describe({ image: cluster.nodeImage, source: cluster.nodeImageSource });
    return { cni: cni.name, supply, build, ...(reportKernelOptions ? { kernel: kernelFact(await readKernelConfig(), reportKernelOptions) } : {}) };
  }
  const module = cni as ManifestCniModule;
  const versions = await readCniVersions(cni);
  const version = cniVersion(module, versions);
  const image = supply === 'offline' ? await ensureCniImage(module, versions, logger) : undefined;
  if (image) await logger.step(`loading ${image} into the nodes`, () => cluster.loadImages([image]));
  imagesLoaded();
  const target = { supply, image, version, apiServer: { host: await controlPlaneAddress(cluster), port: 6443 } };
  const manifest = source.adapt(await upstreamManifest(source.manifest, version, target, logger), target);
  await logger.step('routing the pod CIDR nowhere on every node until the CNI routes it', () => podCidrUnreachable(cluster, cni.podSubnet));
  const from = 'file' in source.manifest ? source.manifest.file : `its Helm chart ${source.manifest.chart}`;
  await logger.step(`installing ${cni.name} ${version} (${from} of its module)`, async () => {
    await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: manifest });
    await rolledOut(cluster, cni);
  });
  await logger.step(`waiting for ${cni.name}'s routes to every other node's pod CIDR`, () => waitPodRoutes(cluster));
  const kernel = kernelFact(await readKernelConfig(), [...cni.kernel.requires, ...(cni.kernel.documented ?? [])]);
  return { cni: cni.name, supply, build: `${cni.name} ${version}, ${image ? `built here (${image})` : 'upstream images'}`, kernel };
}

const rolledOut = (cluster: StartedKindCluster, cni: CniModule<Cni>) =>
  cluster.kubectlOrThrow(['-n', cni.daemonSet.namespace, 'rollout', 'status', `daemonset/${cni.daemonSet.name}`, '--timeout=240s'], { timeoutMs: 250_000 });

/**
 * kind's default CNI as kind v0.32's installcni action makes it (the cluster
 * is created with it disabled, so that the nodes can be seen without a CNI
 * first: pre-cni.ts): the node image's manifest, its one template field the
 * pod subnet, and the API server's in-cluster endpoint added to the first
 * container's env (kind's "would you kindly patch this file"). Anything else
 * templated fails loudly rather than being applied half-filled.
 */
export function bundledManifestFrom(raw: string, podSubnet: string, controlPlaneEndpoint: string): string {
  let manifest = raw.replaceAll('{{ .PodSubnet }}', podSubnet);
  if (manifest.includes('{{')) throw new EnvironmentError(`the node image's CNI manifest has a template field the lab does not fill: ${/\{\{[^}]*\}\}/.exec(manifest)?.[0]}`, "compare kind's installcni action of the pinned kind version with src/environment/kind/cni/install-cni.ts");
  if (manifest.includes('would you kindly patch this file')) {
    const env = /^( *)env:\n/m.exec(manifest);
    if (!env) throw new EnvironmentError("the node image's CNI manifest asks for kind's patch but has no env: list", 'inspect /kind/manifests/default-cni.yaml in the node image');
    const indent = env[1]!;
    const entry = `${indent}- name: CONTROL_PLANE_ENDPOINT\n${indent}  value: ${controlPlaneEndpoint}\n`;
    manifest = manifest.slice(0, env.index + env[0].length) + entry + manifest.slice(env.index + env[0].length);
  }
  return manifest;
}

async function bundledManifest(cluster: StartedKindCluster, podSubnet: string): Promise<string> {
  const node = `${cluster.name}-control-plane`;
  const raw = await hostExecOrThrow(['docker', 'exec', node, 'cat', '/kind/manifests/default-cni.yaml']);
  // kind's docker provider names the API server by the control plane's container name inside the cluster.
  return bundledManifestFrom(raw.stdout, podSubnet, `${node}:6443`);
}

async function controlPlaneAddress(cluster: StartedKindCluster): Promise<string> {
  const node = `${cluster.name}-control-plane`;
  const result = await hostExecOrThrow(['docker', 'inspect', '-f', `{{(index .NetworkSettings.Networks "${kindNetwork}").IPAddress}}`, node]);
  const address = result.stdout.trim();
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) throw new EnvironmentError(`${node} has no address on ${kindNetwork} ("${address}")`, 'inspect the node container');
  return address;
}

/**
 * The manifest as the pinned module has it: a file of it, or its chart
 * rendered by Helm (built here) with the lab's values, after the CRDs it names.
 */
async function upstreamManifest(manifest: ModuleFile | ModuleChart, version: string, target: ManifestTarget, logger: Logger): Promise<string> {
  const dir = await moduleDir(manifest.module, version);
  if ('file' in manifest) return readFile(join(dir, manifest.file), 'utf8');
  const versions = await readVersions();
  const helm = join((await ensureGoArtefact('helm', versions, logger)).dir, 'helm');
  const values = Object.entries(manifest.values(target)).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const rendered = await hostExecOrThrow([helm, 'template', 'netproof', join(dir, manifest.chart), '--namespace', manifest.namespace, '--kube-version', versions.K8S_VERSION, ...values], { timeoutMs: 120_000 });
  const crds: string[] = [];
  for (const crdDir of manifest.crds ?? []) {
    for (const file of (await readdir(join(dir, crdDir))).filter((name) => name.endsWith('.yaml')).sort()) crds.push(await readFile(join(dir, crdDir, file), 'utf8'));
  }
  return [...crds, rendered.stdout].join('\n---\n');
}

/** The pinned module's source (its manifests), from the Go module cache or proxy. */
async function moduleDir(module: string, version: string): Promise<string> {
  const go = (await hostExecOrThrow(['bash', '-c', 'command -v go || echo /usr/local/go/bin/go'])).stdout.trim();
  const result = await hostExecOrThrow([go, 'mod', 'download', '-json', `${module}@${version}`], { timeoutMs: 5 * 60_000 });
  return (JSON.parse(result.stdout) as { Dir: string }).Dir;
}

/**
 * A DaemonSet is Ready before its agents have routed the other nodes' pod
 * CIDRs (kube-router's BGP sessions take seconds): until then a pod on another
 * node is unreachable. Waits (at most 120 s) until every node has a route to
 * every other node's podCIDR.
 */
async function waitPodRoutes(cluster: StartedKindCluster): Promise<void> {
  const listed = await cluster.kubectlOrThrow(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.podCIDR}{"\\n"}{end}']);
  const nodes = listed.stdout.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const missing: string[] = [];
    for (const [node] of nodes) {
      const routes = (await cluster.nodeExec(node, ['ip', '-4', 'route', 'show'])).stdout;
      for (const [other, cidr] of nodes) if (other !== node && !routes.includes(cidr)) missing.push(`${node} → ${cidr}`);
    }
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new EnvironmentError(`no route to another node's pod CIDR after 120 s: ${missing.join(', ')}`, "inspect the CNI's pods: kubectl get pods -A -o wide");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Until a CNI has routed another node's pod CIDR (kube-router's BGP takes
 * seconds after pods start), a packet for a pod there, e.g. the API server's
 * SYN-ACK to a worker's pod, would follow the node's default route to the
 * host and on towards the uplink (the kind guard stopped such packets). An
 * `unreachable` route for the whole pod subnet answers locally instead; the
 * CNI's per-node routes are more specific and win.
 */
async function podCidrUnreachable(cluster: StartedKindCluster, podSubnet: string): Promise<void> {
  const nodes = (await cluster.kubectlOrThrow(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ').filter(Boolean);
  for (const node of nodes) {
    const result = await cluster.nodeExec(node, ['ip', 'route', 'replace', 'unreachable', podSubnet]);
    if (result.exitCode !== 0) throw new EnvironmentError(`could not add the unreachable route for ${podSubnet} on ${node}: ${result.stderr.trim()}`, 'inspect the node container');
  }
}
