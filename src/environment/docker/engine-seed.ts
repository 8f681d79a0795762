/**
 * A lab host's images, loaded once per engine image and image set and then
 * kept (issue 17): the first lab host to load a set leaves its image store —
 * /var/lib/docker's `image/` and `overlay2/`, read before any container ran —
 * in the cache, and a later lab host of the same engine image and set starts
 * with a copy of it in its tmpfs (images/dind's entrypoint copies /seed before
 * dockerd starts). Nothing else is kept: no container, network, volume or
 * swarm state, so each lab host is still a fresh engine. Copying the store
 * takes seconds where `docker save | docker load` took tens of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exists } from '../../build/cached-build.ts';
import { cacheRoot } from '../../build/cache-root.ts';
import { hostExec } from '../../exec/host-exec.ts';
import { isAlive } from '../../lab/run-registry.ts';

/** Where a lab host mounts its seed (read-only); images/dind/dind-entrypoint copies it from there. */
export const seedMountPoint = '/seed';
/** Seeds kept per engine image: the newest, by when each was made or last used. */
const keptPerEngine = 6;

const seedsRoot = () => join(cacheRoot(), 'engines', 'seeds');
/** `netproof/engine-29.8:181650eed594` → `engine-29.8-181650eed594`. */
const engineStem = (engineImage: string) => engineImage.replace(/^.*\//, '').replace(/[^A-Za-z0-9.-]/g, '-');

/** The seed's directory for an engine image and a set of lab images (their tags are hashes of their build inputs). */
export function seedDir(engineImage: string, images: readonly string[]): string {
  const key = createHash('sha256').update([engineImage, ...[...new Set(images)].sort()].join('\0')).digest('hex').slice(0, 12);
  return join(seedsRoot(), `${engineStem(engineImage)}--${key}`);
}

/** The seed for this engine image and image set when one was made; undefined otherwise. Its use is dated (the pruning keeps the newest). */
export async function findSeed(engineImage: string, images: readonly string[]): Promise<string | undefined> {
  const dir = seedDir(engineImage, images);
  if (!(await exists(join(dir, '.complete')))) return undefined;
  const now = new Date();
  await utimes(dir, now, now).catch(() => undefined);
  return dir;
}

/** Seeds this process is keeping now, by directory: lab hosts started together (docker-two-hosts' three) keep one. */
const keeping = new Map<string, Promise<string | undefined>>();

/**
 * Keeps the image store of a lab host that has just loaded exactly these
 * images and has run nothing yet. A partial copy is never taken for a seed
 * (it is renamed into place when whole); within a process one lab host keeps
 * it while the others of the same set go on, and two runs making the same
 * seed each copy into a partial of their own, the second finding it there. A
 * failure costs the next run its speed, not its result: it is reported, never
 * thrown.
 */
export function keepSeed(containerName: string, dir: string): Promise<string | undefined> {
  if (keeping.has(dir)) return Promise.resolve(undefined);
  const kept = copyStore(containerName, dir).catch((error: Error) => `the image store of ${containerName} could not be kept: ${error.message}`);
  keeping.set(dir, kept);
  return kept.finally(() => keeping.delete(dir));
}

async function copyStore(containerName: string, dir: string): Promise<string | undefined> {
  if (await exists(join(dir, '.complete'))) return undefined;
  const partial = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(partial, { recursive: true });
  const copied = await hostExec(['bash', '-c', 'set -o pipefail; docker exec "$1" tar -C /var/lib/docker -cf - image overlay2 | tar -C "$2" -xf -', 'seed', containerName, partial], { timeoutMs: 5 * 60_000 });
  if (copied.exitCode !== 0) {
    await rm(partial, { recursive: true, force: true });
    return `the image store of ${containerName} could not be kept: ${copied.stderr.trim().split('\n').at(-1)}`;
  }
  await writeFile(join(partial, '.complete'), `${new Date().toISOString()}\n`);
  await rename(partial, dir).catch(() => rm(partial, { recursive: true, force: true }));
  await pruneSeeds(dir);
  return undefined;
}

/** Drops the seeds of the same engine image beyond the newest few, and those of its other builds. */
async function pruneSeeds(kept: string): Promise<void> {
  const name = kept.slice(seedsRoot().length + 1);
  const engine = name.slice(0, name.indexOf('--'));
  const build = engine.replace(/-[0-9a-f]{12}$/, '');
  const entries = (await readdir(seedsRoot()).catch(() => [] as string[])).filter((entry) => entry.startsWith(`${build}-`) && !entry.includes('.partial-'));
  const dated = await Promise.all(entries.map(async (entry) => ({ entry, time: (await stat(join(seedsRoot(), entry)).catch(() => undefined))?.mtimeMs ?? 0 })));
  const sameBuild = dated.filter((d) => d.entry.startsWith(`${engine}--`)).sort((a, b) => b.time - a.time);
  const drop = [...dated.filter((d) => !d.entry.startsWith(`${engine}--`)), ...sameBuild.slice(keptPerEngine)];
  await Promise.all([...drop.map((d) => d.entry), ...(await orphanedPartials())].map((entry) => rm(join(seedsRoot(), entry), { recursive: true, force: true })));
}

/** Partial copies whose process is gone (a run killed while it kept a seed). */
async function orphanedPartials(): Promise<string[]> {
  const entries = await readdir(seedsRoot()).catch(() => [] as string[]);
  return entries.filter((entry) => {
    const pid = Number(/\.partial-(\d+)-/.exec(entry)?.[1]);
    return pid > 0 && !isAlive(pid);
  });
}
