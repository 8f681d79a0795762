import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../log.ts';
import { ensureCachedBuild, type BuiltArtefact } from '../cached-build.ts';
import { findGo } from '../go-artefacts.ts';
import { kindRoot } from '../kind-paths.ts';
import { requireVersion, type CniVersions } from './cni-versions.ts';

/** A CNI the lab builds from Go modules (kind/cni/build.sh): the versions.env lines it uses and its outputs. */
export const builtCnis = {
  flannel: { versions: ['FLANNEL_VERSION', 'FLANNEL_CNI_PLUGINS_VERSION'], outputs: ['flanneld', 'install-conf', 'flannel-cni'] },
  'kube-router': { versions: ['KUBE_ROUTER_VERSION'], outputs: ['kube-router'] },
} as const;

export type BuiltCni = keyof typeof builtCnis;

/** The build's key: the CNI's pinned versions, the build scripts and the Go toolchain (a bump of another CNI leaves it alone). */
export async function cniBinariesKey(cni: BuiltCni, versions: CniVersions, goVersion: string): Promise<string> {
  const hash = createHash('sha256').update(`cni ${cni}\0${goVersion}\0`);
  for (const key of builtCnis[cni].versions) hash.update(`${key}=${requireVersion(versions, key)}\0`);
  for (const script of [join(kindRoot, 'cni', 'build.sh'), join(kindRoot, 'build', 'go-env.sh')]) hash.update(await readFile(script));
  return hash.digest('hex').slice(0, 12);
}

/** Builds the CNI's binaries unless the cache has them for the same key (<cache>/kind/bin/cni-<name>-<key>). */
export async function ensureCniBinaries(cni: BuiltCni, versions: CniVersions, logger: Logger): Promise<BuiltArtefact> {
  return ensureCachedBuild(
    {
      name: cni,
      stem: `cni-${cni}`,
      key: await cniBinariesKey(cni, versions, await findGo()),
      command: ['bash', join(kindRoot, 'cni', 'build.sh'), cni],
      outputs: builtCnis[cni].outputs,
      recipe: 'kind/cni/build.sh',
      hint: 'check that the Go module proxy answers (go env GOPROXY), then run again',
      timeoutMs: 60 * 60_000,
    },
    logger,
  );
}
