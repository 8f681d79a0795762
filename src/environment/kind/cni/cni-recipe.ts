/**
 * A manifest CNI's offline build, from its recipe folder kind/cni/<name>/:
 * build.sh makes its binaries from the Go module proxy (cached by key), the
 * Dockerfile puts them on the lab's Debian base. Nothing here is per CNI.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnvFile } from '../../../build/env-file.ts';
import { ensureImages } from '../../../images/build-images.ts';
import type { Logger } from '../../../log.ts';
import { ensureCachedBuild, type BuiltArtefact } from '../../../build/cached-build.ts';
import { ensureComponentImage, type ComponentRecipe, type ImageComponent } from '../component-images.ts';
import { findGo, type GoArtefact } from '../go-artefacts.ts';
import { kindRoot } from '../kind-paths.ts';
import type { CniModule, ManifestCni } from './cni-module.ts';

/** A CNI installed from its manifest, with its recipe. */
export type ManifestCniModule = CniModule & { readonly source: ManifestCni };

/** The recipe's versions.env, parsed: NAME=value lines. */
export type CniVersions = Readonly<Record<string, string>>;

/** The recipe's name: the CNI's own, or the module it shares a build with (cilium-kpr runs cilium's). */
export const recipeName = (cni: Pick<CniModule, 'name' | 'source'>): string => (cni.source.kind === 'manifest' && cni.source.recipe) || cni.name;

export const recipeDir = (cni: Pick<CniModule, 'name' | 'source'>) => join(kindRoot, 'cni', recipeName(cni));

export async function readCniVersions(cni: Pick<CniModule, 'name' | 'source'>): Promise<CniVersions> {
  return parseCniVersions(await readFile(join(recipeDir(cni), 'versions.env'), 'utf8'));
}

/** versions.env's NAME=value lines. */
export const parseCniVersions: (text: string) => CniVersions = parseEnvFile;

export function requireVersion(cni: Pick<CniModule, 'name' | 'source'>, versions: CniVersions, key: string): string {
  const value = versions[key];
  if (!value) throw new Error(`kind/cni/${recipeName(cni)}/versions.env has no ${key}`);
  return value;
}

/** The CNI's own version (the first of its versions.env lines). */
export const cniVersion = (cni: ManifestCniModule, versions: CniVersions) => requireVersion(cni, versions, cni.source.versions[0]);

/** The build's key: the CNI's pinned versions, its build script, the shared Go setup and the Go toolchain (another CNI's change leaves it alone). */
export async function cniBinariesKey(cni: ManifestCniModule, versions: CniVersions, goVersion: string): Promise<string> {
  const hash = createHash('sha256').update(`cni ${recipeName(cni)}\0${goVersion}\0`);
  for (const key of cni.source.versions) hash.update(`${key}=${requireVersion(cni, versions, key)}\0`);
  for (const script of [join(recipeDir(cni), 'build.sh'), join(kindRoot, 'build', 'go-env.sh')]) hash.update(await readFile(script));
  return hash.digest('hex').slice(0, 12);
}

/** Builds the CNI's binaries unless the cache has them for the same key (<cache>/kind/bin/cni-<name>-<key>). */
export async function ensureCniBinaries(cni: ManifestCniModule, versions: CniVersions, logger: Logger): Promise<BuiltArtefact> {
  return ensureCachedBuild(
    {
      name: recipeName(cni),
      area: 'kind/bin',
      stem: `cni-${recipeName(cni)}`,
      key: await cniBinariesKey(cni, versions, await findGo()),
      command: ['bash', join(recipeDir(cni), 'build.sh')],
      outputs: cni.source.outputs,
      recipe: `kind/cni/${recipeName(cni)}/build.sh`,
      hint: 'check that the Go module proxy answers (go env GOPROXY), then run again',
      timeoutMs: 60 * 60_000,
    },
    logger,
  );
}

/** The CNI's image (netproof/kind-<name>:<key>), built from its recipe's Dockerfile unless the engine has it. */
export async function ensureCniImage(cni: ManifestCniModule, versions: CniVersions, logger: Logger): Promise<string> {
  const built = await ensureCniBinaries(cni, versions, logger);
  const { debian: debianRef } = await ensureImages(['debian'], logger);
  // The component-image builder keys inputs by artefact name; the CNI's build is one such artefact.
  const artefact = recipeName(cni) as GoArtefact;
  const recipe: ComponentRecipe = { dockerfile: recipeDir(cni), inputs: cni.source.outputs.map((file) => [artefact, file, file] as const), buildArgs: {}, onDebian: true };
  return ensureComponentImage(artefact as ImageComponent, { recipe, artefacts: { [artefact]: built }, debianRef }, logger);
}
