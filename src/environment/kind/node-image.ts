import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import { hostExec, hostExecOrThrow } from '../../exec/host-exec.ts';
import { ensureImages } from '../../images/build-images.ts';
import type { Logger } from '../../log.ts';
import { componentRecipes, ensureComponentImage, pruneOtherTags, type ComponentBuild, type ImageComponent } from './component-images.ts';
import { ensureGoArtefact, goArtefacts, tail, type BuiltArtefact, type GoArtefact } from './go-artefacts.ts';
import { KindTool } from './kind-tool.ts';
import { kindRoot } from './kind-paths.ts';
import { nodeImageRefs, readVersions, type KindVersions, type NodeComponent } from './versions.ts';

/** What a cluster is made from: the node image, the kind binary, and where each came from. */
export interface KindToolchain {
  readonly nodeImage: string;
  /** 'local': built here from modules and Debian; 'upstream': a kindest/node image already in the engine. */
  readonly nodeImageSource: 'local' | 'upstream';
  readonly kind: KindTool;
  readonly kubectl: string;
  readonly versions: KindVersions;
}

/**
 * Makes sure everything a cluster needs exists, building only what is missing:
 * Go artefacts (cached by pinned versions under the lab's cache), component
 * images, the node base, then the node image (`kind build node-image --type
 * file`). A second call with nothing changed only looks things up.
 */
export async function ensureKindToolchain(logger: Logger): Promise<KindToolchain> {
  const versions = await readVersions();
  const artefacts = await ensureArtefacts(versions, logger);
  const kind = await KindTool.create(artefacts.kind.dir);
  const kubectl = join(artefacts.kubernetes.dir, 'kubectl');

  const upstream = upstreamNodeImage();
  if (upstream) {
    // An explicit node image (e.g. kindest/node:v1.34.x) that the engine already has.
    if ((await hostExec(['docker', 'image', 'inspect', '--format', '{{.Id}}', upstream])).exitCode !== 0) {
      throw new EnvironmentError(`NETPROOF_KIND_NODE_IMAGE=${upstream} is not in the local engine`, `load it first (docker load / docker pull where a registry is reachable), or unset NETPROOF_KIND_NODE_IMAGE to build one here`);
    }
    logger.info(`node image: ${upstream} (upstream, from the local engine)`);
    return { nodeImage: upstream, nodeImageSource: 'upstream', kind, kubectl, versions };
  }

  const nodeImage = await ensureLocalNodeImage(versions, artefacts, kind, logger);
  logger.info(`node image: ${nodeImage} (built here, no registry)`);
  return { nodeImage, nodeImageSource: 'local', kind, kubectl, versions };
}

/** The upstream node image the user named (NETPROOF_KIND_NODE_IMAGE), if any: else the lab builds its own. */
export const upstreamNodeImage = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.NETPROOF_KIND_NODE_IMAGE || undefined;

/** Only the kind binary (e.g. to delete a cluster): never builds a node image. */
export async function ensureKindTool(logger: Logger): Promise<KindTool> {
  const versions = await readVersions();
  return KindTool.create((await ensureGoArtefact('kind', versions, logger)).dir);
}

async function ensureArtefacts(versions: KindVersions, logger: Logger): Promise<Record<GoArtefact, BuiltArtefact>> {
  const names = Object.keys(goArtefacts) as GoArtefact[];
  const built = {} as Record<GoArtefact, BuiltArtefact>;
  // Two at a time: a Go build is parallel inside, but download and link phases are not.
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) built[name] = await ensureGoArtefact(name, versions, logger);
  };
  await Promise.all([worker(), worker()]);
  return built;
}

async function ensureLocalNodeImage(versions: KindVersions, artefacts: Record<GoArtefact, BuiltArtefact>, kind: KindTool, logger: Logger): Promise<string> {
  const refs = nodeImageRefs(versions);
  const recipes = componentRecipes(versions, refs.pause);
  const { debian: debianRef } = await ensureImages(['debian'], logger);
  const kindModule = await kindModuleDir(versions);
  const buildOf = (component: ImageComponent): ComponentBuild => ({
    recipe: recipes[component],
    artefacts,
    debianRef,
    ...(component === 'node-base' ? { extraDirs: [[join(kindModule, 'images', 'base', 'files'), 'files']], extraKey: `kind ${versions.KIND_VERSION}` } : {}),
  });

  const components = Object.keys(refs) as NodeComponent[];
  const built = {} as Record<ImageComponent, string>;
  for (const component of [...components, 'node-base' as const]) built[component] = await ensureComponentImage(component, buildOf(component), logger);

  const hash = createHash('sha256').update(artefacts.kind.key).update(artefacts.kubernetes.key);
  for (const component of Object.keys(built).sort()) hash.update(`${component}=${built[component as ImageComponent]}\0`);
  for (const script of ['server-tarball.sh', 'docker-no-pull.sh']) hash.update(await readFile(join(kindRoot, 'build', script)));
  // "localhost/": were anything ever to try pulling it, the request stays on this machine.
  const nodeImage = `localhost/netproof/kind-node:${hash.digest('hex').slice(0, 12)}`;
  if ((await hostExec(['docker', 'image', 'inspect', '--format', '{{.Id}}', nodeImage])).exitCode === 0) return nodeImage;

  await logger.step(`building node image ${nodeImage} (kind build node-image, no pulls)`, async () => {
    // The references kubeadm and kind look for inside the node, on the images just built.
    for (const component of components) await hostExecOrThrow(['docker', 'tag', built[component], refs[component]]);
    const tarball = `/var/tmp/netproof-kubernetes-server-${process.pid}.tar.gz`;
    // kind extracts the tarball into $TMPDIR/k8s-tar-extract-* and never removes it (1.4 GB a build): a directory of ours, removed below.
    const extractDir = await mkdtemp('/var/tmp/netproof-kind-extract-');
    try {
      const extra = components.filter((c) => !['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].includes(c)).map((c) => refs[c]);
      const assemble = await hostExec(['bash', join(kindRoot, 'build', 'server-tarball.sh'), tarball, artefacts.kubernetes.dir, versions.K8S_VERSION, ...extra], { timeoutMs: 20 * 60_000 });
      if (assemble.exitCode !== 0) throw new EnvironmentError(`assembling the server tarball failed:\n${tail(assemble.stderr)}`, 'see kind/build/server-tarball.sh; is there disk space under /var/tmp?');
      const baseRef = `localhost/${built['node-base']}`;
      await hostExecOrThrow(['docker', 'tag', built['node-base'], baseRef]);
      const build = await kind.run(['build', 'node-image', '--type', 'file', tarball, '--base-image', baseRef, '--image', nodeImage], { timeoutMs: 30 * 60_000, env: { TMPDIR: extractDir } });
      await hostExec(['docker', 'rmi', baseRef]);
      if (build.exitCode !== 0) throw new EnvironmentError(`kind build node-image failed:\n${tail(build.stderr || build.stdout, 30)}`, 'see the output above; the node base is images/kind/node-base');
    } finally {
      await rm(tarball, { force: true });
      await rm(extractDir, { recursive: true, force: true });
      // The upstream-named tags were only for the archive; the netproof/kind-* tags stay as the cache.
      await hostExec(['docker', 'rmi', ...components.map((c) => refs[c])]);
    }
    await pruneOtherTags(nodeImage);
  });
  return nodeImage;
}

/** The pinned kind module's source (for its node files), from the Go module cache or proxy. */
async function kindModuleDir(versions: KindVersions): Promise<string> {
  const go = (await hostExec(['bash', '-c', 'command -v go || echo /usr/local/go/bin/go'])).stdout.trim();
  const result = await hostExecOrThrow([go, 'mod', 'download', '-json', `sigs.k8s.io/kind@${versions.KIND_VERSION}`], { timeoutMs: 5 * 60_000 });
  return (JSON.parse(result.stdout) as { Dir: string }).Dir;
}
