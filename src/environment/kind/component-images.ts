import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import { hostExec } from '../../exec/host-exec.ts';
import type { Logger } from '../../log.ts';
import type { BuiltArtefact, GoArtefact } from './go-artefacts.ts';
import { tail } from './go-artefacts.ts';
import { kindImagesRoot } from './kind-paths.ts';
import type { KindVersions, NodeComponent } from './versions.ts';

/** One image built from images/kind/<dockerfile>/ (or a CNI's recipe folder) plus files taken from built artefacts. */
export interface ComponentRecipe {
  /** A folder of images/kind, or an absolute path (a CNI's kind/cni/<name>/). */
  readonly dockerfile: string;
  /** Build context files: [artefact, file in it, name in the context]. */
  readonly inputs: readonly (readonly [GoArtefact, string, string])[];
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Whether it is built FROM the lab's Debian base (passed as BASE). */
  readonly onDebian: boolean;
}

export type ImageComponent = NodeComponent | 'node-base';

export function componentRecipes(v: KindVersions, pauseImage: string): Record<ImageComponent, ComponentRecipe> {
  const binary = (name: string): ComponentRecipe => ({
    dockerfile: 'k8s-binary',
    inputs: [['kubernetes', name, name]],
    buildArgs: { BINARY: name },
    onDebian: true,
  });
  const single = (dockerfile: string, artefact: GoArtefact, file: string, onDebian: boolean): ComponentRecipe => ({
    dockerfile,
    inputs: [[artefact, file, file]],
    buildArgs: {},
    onDebian,
  });
  return {
    'kube-apiserver': binary('kube-apiserver'),
    'kube-controller-manager': binary('kube-controller-manager'),
    'kube-scheduler': binary('kube-scheduler'),
    'kube-proxy': single('kube-proxy', 'kubernetes', 'kube-proxy', true),
    etcd: single('etcd', 'etcd', 'etcd', true),
    coredns: single('coredns', 'coredns', 'coredns', false),
    pause: { dockerfile: 'pause', inputs: [['kubernetes', 'pause.c', 'pause.c']], buildArgs: { PAUSE_VERSION: v.PAUSE_VERSION }, onDebian: true },
    kindnetd: single('kindnetd', 'kindnetd', 'kindnetd', true),
    'local-path-provisioner': single('local-path-provisioner', 'local-path-provisioner', 'local-path-provisioner', false),
    'local-path-helper': { dockerfile: 'local-path-helper', inputs: [], buildArgs: {}, onDebian: true },
    'node-base': {
      dockerfile: 'node-base',
      inputs: [
        ['containerd', 'containerd', 'bin/containerd'],
        ['containerd', 'ctr', 'bin/ctr'],
        ['containerd', 'containerd-shim-runc-v2', 'bin/containerd-shim-runc-v2'],
        ['oci-capdrop', 'oci-capdrop', 'bin/oci-capdrop'],
      ],
      buildArgs: { PAUSE_IMAGE: pauseImage },
      onDebian: true,
    },
  };
}

export interface ComponentBuild {
  readonly recipe: ComponentRecipe;
  readonly artefacts: Readonly<Partial<Record<GoArtefact, BuiltArtefact>>>;
  readonly debianRef: string;
  /** Extra directories copied into the context: [source, name in the context]. */
  readonly extraDirs?: readonly (readonly [string, string])[];
  /** Identifies extraDirs' content in the key (e.g. the kind version they come from). */
  readonly extraKey?: string;
}

/** netproof/kind-<component>:<key>; the key covers the Dockerfile dir, inputs' keys, base and build args. */
export async function componentRef(component: ImageComponent, build: ComponentBuild): Promise<string> {
  const hash = createHash('sha256').update(component).update('\0');
  const dir = recipeDir(build.recipe);
  for (const file of (await readdir(dir)).sort()) hash.update(file).update('\0').update(await readFile(join(dir, file))).update('\0');
  for (const [artefact, file] of build.recipe.inputs) hash.update(`${artefact}/${file}=${build.artefacts[artefact]!.key}\0`);
  if (build.recipe.onDebian) hash.update(build.debianRef);
  hash.update(JSON.stringify(build.recipe.buildArgs)).update(build.extraKey ?? '');
  return `netproof/kind-${component}:${hash.digest('hex').slice(0, 12)}`;
}

const recipeDir = (recipe: ComponentRecipe) => (isAbsolute(recipe.dockerfile) ? recipe.dockerfile : join(kindImagesRoot, recipe.dockerfile));

/** Builds the component image unless the engine has it; returns its netproof reference. */
export async function ensureComponentImage(component: ImageComponent, build: ComponentBuild, logger: Logger): Promise<string> {
  const ref = await componentRef(component, build);
  if ((await hostExec(['docker', 'image', 'inspect', '--format', '{{.Id}}', ref])).exitCode === 0) return ref;
  await logger.step(`building image ${ref}`, async () => {
    const context = await mkdtemp('/var/tmp/netproof-kind-image-');
    try {
      await cp(recipeDir(build.recipe), context, { recursive: true });
      for (const [source, name] of build.extraDirs ?? []) await cp(source, join(context, name), { recursive: true, dereference: true });
      for (const [artefact, file, name] of build.recipe.inputs) {
        await cp(join(build.artefacts[artefact]!.dir, file), join(context, name), { recursive: true });
      }
      const args = Object.entries({ ...build.recipe.buildArgs, ...(build.recipe.onDebian ? { BASE: build.debianRef } : {}) })
        .flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]);
      const result = await hostExec(
        ['nice', '-n', '10', 'docker', 'build', '--network', 'host', '--label', 'netproof.image=1', '--label', 'netproof.kind=1', ...args, '-t', ref, context],
        { timeoutMs: 30 * 60_000 },
      );
      if (result.exitCode !== 0) {
        throw new EnvironmentError(
          `building image ${ref} failed:\n${tail(result.stderr || result.stdout)}`,
          'check that Debian packages can be downloaded (apt-get update works on this host), then run again',
        );
      }
    } finally {
      await rm(context, { recursive: true, force: true });
    }
    await pruneOtherTags(ref);
  });
  return ref;
}

/** Removes the other tags of an image's repository (earlier keys); in-use images stay. */
export async function pruneOtherTags(ref: string): Promise<void> {
  const repository = ref.slice(0, ref.lastIndexOf(':'));
  const tags = await hostExec(['docker', 'images', repository, '--format', '{{.Repository}}:{{.Tag}}']);
  const stale = tags.stdout.split('\n').filter((t) => t && t !== ref && !t.endsWith(':<none>'));
  if (stale.length > 0) await hostExec(['docker', 'rmi', ...stale]);
}

