import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ExecResult } from '../../exec/exec-result.ts';
import type { LabRun } from '../../lab/lab-run.ts';
import { runLabel, runResourceName } from '../../lab/names.ts';
import type { Logger } from '../../log.ts';
import { ensureAddOnImage } from './add-on-image.ts';
import { clusterScopedKinds, deleteLabelled } from './kind-sweep.ts';
import type { KindLab } from './kind-lab.ts';
import { loadClientNode } from './kube-client.ts';

/** Upstream's namespace in its manifest; the lab installs into a run-labelled one instead. */
const upstreamNamespace = 'metallb-system';
/** Every object of one run's MetalLB carries this label beside the run's, so removing MetalLB leaves the rest of the run alone. */
export const addonLabel = 'netproof.addon';
const addon = 'metallb';
/** The commands in the lab's image (images/kind/metallb), by upstream image name. */
const commands: Record<string, string> = { controller: '/usr/local/bin/controller', speaker: '/usr/local/bin/speaker' };

/** The namespace one run's MetalLB lives in, a name of the run's (labelled with the run, so sweeps find it). */
export const metallbNamespace = (runId: string) => runResourceName(runId, addon);
/** The label selector of one run's MetalLB objects, namespaced and cluster-scoped. */
export const metallbSelector = (runId: string) => `${runLabel}=${runId},${addonLabel}=${addon}`;

export interface MetallbRewrite {
  readonly runId: string;
  /** The lab's image holding both commands (netproof/kind-metallb:<key>). */
  readonly image: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * MetalLB's own install manifest (config/manifests/metallb-native.yaml of its
 * module), rewritten for one run: its namespace becomes the run's metallbNamespace
 * (every `namespace:` field, so subjects and webhook services follow), the
 * ClusterRoles and their bindings are named after it, every object is labelled
 * with the run and the add-on (cluster-scoped ones too, so a sweep finds
 * them), and each container runs the lab's image with imagePullPolicy Never
 * and its command named. An image other than controller or speaker, or a
 * cluster-scoped kind the sweep does not know, is an error: the manifest
 * changed and the rewrite must be looked at again.
 */
export async function rewriteMetallbManifest(text: string, rewrite: MetallbRewrite): Promise<KubernetesObject[]> {
  const { loadAllYaml } = await loadClientNode();
  const namespace = metallbNamespace(rewrite.runId);
  const labels = { [runLabel]: rewrite.runId, [addonLabel]: addon };
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key === 'namespace' && inner === upstreamNamespace) return [key, namespace];
        // ClusterRole names (and the roleRef and binding names that repeat them) are prefixed with upstream's namespace.
        if (key === 'name' && typeof inner === 'string' && inner.startsWith(`${upstreamNamespace}:`)) return [key, `${namespace}:${inner.slice(upstreamNamespace.length + 1)}`];
        return [key, walk(inner)];
      }),
    );
  };
  const objects = (loadAllYaml(text) as unknown[]).filter(isObject).map((doc) => walk(doc) as Json & KubernetesObject);
  if (objects.length === 0) throw new Error('the MetalLB manifest holds no objects');
  for (const object of objects) {
    const metadata = (object.metadata ?? {}) as Json;
    if (object.kind === 'Namespace') {
      if (metadata.name !== upstreamNamespace) throw new Error(`the MetalLB manifest makes namespace ${String(metadata.name)}, not ${upstreamNamespace}`);
      metadata.name = namespace;
    } else if (metadata.namespace === undefined && !clusterScopedKinds.includes(String(object.kind))) {
      throw new Error(`the MetalLB manifest has a cluster-scoped ${String(object.kind)} ${String(metadata.name)}, which the lab's sweep does not remove`);
    }
    delete metadata.creationTimestamp;
    metadata.labels = { ...((metadata.labels as Record<string, string> | undefined) ?? {}), ...labels };
    object.metadata = metadata as KubernetesObject['metadata'];
    const template = ((object.spec as Json | undefined)?.template as Json | undefined)?.spec as Json | undefined;
    for (const container of (template?.containers as Json[] | undefined) ?? []) {
      const image = /\/metallb\/(\w+):/.exec(String(container.image))?.[1];
      const command = image ? commands[image] : undefined;
      if (!command) throw new Error(`the MetalLB manifest runs image ${String(container.image)}, which the lab does not build`);
      Object.assign(container, { image: rewrite.image, imagePullPolicy: 'Never', command: [command] });
    }
  }
  return objects;
}

/**
 * A few addresses at the top of a subnet for a load balancer's pool, away
 * from the gateway and the containers Docker numbers from the bottom: the
 * last `count` host addresses (broadcast aside) that are not `taken`.
 * Returns them as MetalLB's range `first-last` and the list.
 */
export function poolFromSubnet(subnet: string, count: number, taken: readonly string[] = []): { range: string; addresses: string[] } {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet);
  if (!match) throw new Error(`${subnet} is not an IPv4 subnet`);
  const bits = Number(match[5]);
  const base = match.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - bits);
  if (bits > 30 || size < count + 8) throw new Error(`${subnet} is too small for a pool of ${count} addresses beside its nodes`);
  const network = base - (base % size);
  const text = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  const used = new Set(taken);
  // A contiguous run below the broadcast address: MetalLB takes a range, and a hole would be an address it must not hand out.
  let top = network + size - 2;
  while (used.has(text(top))) top--;
  const addresses: string[] = [];
  for (let n = top; addresses.length < count; n--) {
    if (used.has(text(n))) throw new Error(`${text(n)} in ${subnet} is taken: no ${count} free addresses in a row at the top`);
    addresses.unshift(text(n));
  }
  return { range: `${addresses[0]}-${addresses.at(-1)}`, addresses };
}

/** The pool and its L2Advertisement: only Services of `serviceNamespace` may get its addresses. */
export function poolObjects(runId: string, name: string, range: string, serviceNamespace: string): KubernetesObject[] {
  const metadata = { name, namespace: metallbNamespace(runId), labels: { [runLabel]: runId, [addonLabel]: addon } };
  return [
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata,
      spec: { addresses: [range], autoAssign: true, serviceAllocation: { priority: 1, namespaces: [serviceNamespace] } },
    } as KubernetesObject,
    { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata, spec: { ipAddressPools: [name] } } as KubernetesObject,
  ];
}

export interface InstalledMetallb {
  readonly namespace: string;
  readonly image: string;
  /** The commands that installed it, with their output (evidence). */
  readonly evidence: readonly ExecResult[];
}

/** MetalLB's image (controller and speaker), built the first time, loaded into the nodes that lack it; nothing installed. */
export const ensureMetallbImage = (lab: KindLab, logger: Logger) => ensureAddOnImage(lab, 'metallb', ['controller', 'speaker'], logger);

/**
 * Installs MetalLB (controller and speaker, built from its Go module) into
 * metallbNamespace(run) from its own manifest, rewritten, and waits until its
 * CRDs are established, the controller is available and a speaker runs on
 * every node. Removal is registered on the run first, so a failure halfway or
 * Ctrl-C takes everything away; the run's sweep finds the rest by label.
 */
export async function installMetallb(lab: KindLab, run: LabRun, logger: Logger): Promise<InstalledMetallb> {
  run.defer(`remove MetalLB (${metallbNamespace(run.id)} and its cluster-scoped objects)`, () => removeMetallb(lab, run.id).then(() => undefined));
  const { ref, built } = await ensureMetallbImage(lab, logger);
  const objects = await rewriteMetallbManifest(await readFile(join(built.dir, 'metallb-native.yaml'), 'utf8'), { runId: run.id, image: ref });
  const namespace = metallbNamespace(run.id);
  const evidence: ExecResult[] = [];
  const must = async (args: string[], input?: string, timeoutMs = 200_000) => {
    const result = await lab.cluster.kubectl(args, { input, timeoutMs });
    evidence.push(input === undefined ? result : { ...result, stdout: result.stdout.split('\n').slice(0, 40).join('\n') });
    if (result.exitCode !== 0) throw new Error(`\`${result.command}\` exited ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return result;
  };
  const { dumpYaml } = await loadClientNode();
  await logger.step(`installing MetalLB into ${namespace}`, async () => {
    await must(['create', '-f', '-'], objects.map((o) => dumpYaml(o)).join('---\n'));
    await must(['wait', '--for=condition=Established', 'crd', '-l', metallbSelector(run.id), '--timeout=60s']);
    await must(['-n', namespace, 'rollout', 'status', 'deployment/controller', '--timeout=180s']);
    await must(['-n', namespace, 'rollout', 'status', 'daemonset/speaker', '--timeout=180s']);
  });
  return { namespace, image: ref, evidence };
}

/**
 * Creates the pool and its L2Advertisement. MetalLB's validating webhook (in
 * the controller) may not serve for a few seconds after the controller is
 * Ready (it makes its own certificate first): the create is repeated while
 * the webhook refuses, 90 s at most.
 */
export async function createPool(lab: KindLab, objects: readonly KubernetesObject[]): Promise<ExecResult> {
  const deadline = Date.now() + 90_000;
  const { dumpYaml } = await loadClientNode();
  for (;;) {
    // apply, not create: a try the webhook refused halfway (the pool made, the advertisement not) is completed by the next.
    const result = await lab.cluster.kubectl(['apply', '-f', '-'], { input: objects.map((o) => dumpYaml(o)).join('---\n') });
    if (result.exitCode === 0) return result;
    if (!/webhook/i.test(result.stderr) || Date.now() > deadline) throw new Error(`\`${result.command}\` exited ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Removes one run's MetalLB: its namespace (controller, speakers, pool), then its cluster-scoped objects. */
export function removeMetallb(lab: KindLab, runId: string): Promise<number> {
  return deleteLabelled((args) => lab.cluster.kubectl(args, { timeoutMs: 150_000 }), metallbSelector(runId));
}
