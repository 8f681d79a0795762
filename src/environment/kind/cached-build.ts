import { access, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import { hostExec } from '../../exec/host-exec.ts';
import type { Logger } from '../../log.ts';
import { cacheRoot } from './kind-paths.ts';

/** A built artefact: the cache directory holding its outputs, and the key it was built for. */
export interface BuiltArtefact {
  readonly dir: string;
  readonly key: string;
}

/** One build a script makes into a directory of the cache, once per key. */
export interface CachedBuild {
  /** What progress and errors call it (`flannel`, `traefik`). */
  readonly name: string;
  /** The cache directory's name without its key (`<cache>/kind/bin/<stem>-<key>`). */
  readonly stem: string;
  readonly key: string;
  /** The build command; the partial output directory is appended as its last argument. */
  readonly command: readonly string[];
  readonly outputs: readonly string[];
  /** Where to look when the build yields less than it should. */
  readonly recipe: string;
  readonly hint: string;
  readonly timeoutMs: number;
}

/**
 * Runs the build unless the cache holds it for the same key. It builds into
 * `<dir>.partial` and renames when every output is there, so a killed build is
 * never taken for a finished one; earlier keys of the same stem are dropped.
 */
export async function ensureCachedBuild(build: CachedBuild, logger: Logger): Promise<BuiltArtefact> {
  const dir = join(cacheRoot(), 'kind', 'bin', `${build.stem}-${build.key}`);
  if (await exists(join(dir, '.complete'))) {
    await pruneOtherKeys(build.stem, dir);
    return { dir, key: build.key };
  }
  await logger.step(`building ${build.name} from the Go module proxy (first time only)`, async () => {
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    const result = await hostExec(['nice', '-n', '10', ...build.command, partial], { timeoutMs: build.timeoutMs });
    if (result.exitCode !== 0) throw new EnvironmentError(`building ${build.name} failed:\n${tail(result.stderr || result.stdout)}`, build.hint);
    for (const output of build.outputs) {
      if (!(await exists(join(partial, output)))) throw new EnvironmentError(`building ${build.name} produced no ${output}`, `see ${build.recipe}`);
    }
    await writeFile(join(partial, '.complete'), `${build.key}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    await pruneOtherKeys(build.stem, dir);
  });
  return { dir, key: build.key };
}

/** One build per stem stays: earlier keys (and their partial builds) go. */
async function pruneOtherKeys(stem: string, keep: string): Promise<void> {
  const parent = dirname(keep);
  const pattern = new RegExp(`^${stem}-[0-9a-f]{12}(\\.partial)?$`);
  for (const entry of await readdir(parent)) {
    if (pattern.test(entry) && join(parent, entry) !== keep) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

export function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
