import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../../../errors.ts';
import { hostExec } from '../../../exec/host-exec.ts';
import type { Logger } from '../../../log.ts';
import { findGo, tail, type BuiltArtefact } from '../go-artefacts.ts';
import { cacheRoot, kindRoot } from '../kind-paths.ts';
import { requireVersion, type CniVersions } from './cni-versions.ts';

/** A CNI the lab builds from Go modules (kind/cni/build.sh): the versions.env lines it uses and its outputs. */
export const builtCnis = {
  flannel: { versions: ['FLANNEL_VERSION', 'FLANNEL_CNI_PLUGINS_VERSION'], outputs: ['flanneld', 'install-conf', 'flannel-cni'] },
  'kube-router': { versions: ['KUBE_ROUTER_VERSION'], outputs: ['kube-router'] },
} as const;

export type BuiltCni = keyof typeof builtCnis;

/** The build's key: the CNI's pinned versions, the build script and the Go toolchain (a bump of another CNI leaves it alone). */
export async function cniBinariesKey(cni: BuiltCni, versions: CniVersions, goVersion: string): Promise<string> {
  const hash = createHash('sha256').update(`cni ${cni}\0${goVersion}\0`);
  for (const key of builtCnis[cni].versions) hash.update(`${key}=${requireVersion(versions, key)}\0`);
  hash.update(await readFile(join(kindRoot, 'cni', 'build.sh')));
  return hash.digest('hex').slice(0, 12);
}

/** Builds the CNI's binaries unless the cache has them for the same key (<cache>/kind/bin/cni-<name>-<key>). */
export async function ensureCniBinaries(cni: BuiltCni, versions: CniVersions, logger: Logger): Promise<BuiltArtefact> {
  const key = await cniBinariesKey(cni, versions, await findGo());
  const dir = join(cacheRoot(), 'kind', 'bin', `cni-${cni}-${key}`);
  if (await exists(join(dir, '.complete'))) return { dir, key };
  await logger.step(`building ${cni} from the Go module proxy (first time only)`, async () => {
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    const result = await hostExec(['nice', '-n', '10', 'bash', join(kindRoot, 'cni', 'build.sh'), cni, partial], { timeoutMs: 60 * 60_000 });
    if (result.exitCode !== 0) {
      throw new EnvironmentError(`building ${cni} failed:\n${tail(result.stderr || result.stdout)}`, 'check that the Go module proxy answers (go env GOPROXY), then run again');
    }
    for (const output of builtCnis[cni].outputs) {
      if (!(await exists(join(partial, output)))) throw new EnvironmentError(`building ${cni} produced no ${output}`, 'see kind/cni/build.sh');
    }
    await writeFile(join(partial, '.complete'), `${key}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    // One build per CNI stays: earlier keys go.
    const pattern = new RegExp(`^cni-${cni}-[0-9a-f]{12}(\\.partial)?$`);
    for (const entry of await readdir(dirname(dir))) {
      if (pattern.test(entry) && join(dirname(dir), entry) !== dir) await rm(join(dirname(dir), entry), { recursive: true, force: true });
    }
  });
  return { dir, key };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
