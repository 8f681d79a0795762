import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hostExecOrThrow } from '../../exec/host-exec.ts';
import { cacheRoot } from './kind-paths.ts';

/**
 * Each lab image as a `docker save` archive, kept between runs: a lab image's
 * tag is the hash of what built it, so an archive of a ref never goes stale,
 * and every later cluster (every CNI's column) imports it without saving
 * again. One archive per image, so a node gets only the images it runs. A
 * newer archive of the same repository replaces the older ones.
 */
const archivesDir = () => join(cacheRoot(), 'kind', 'image-archives');

const safe = (name: string) => name.replace(/^docker\.io\//, '').replace(/[^A-Za-z0-9._-]/g, '_');
const fileOf = (ref: string) => `${safe(ref)}.tar`;
/** `netproof/postgres:abc` → `netproof_postgres_`: what every tag's archive of the repository starts with. */
const repositoryPrefix = (ref: string) => safe(ref.replace(/:[^:/]+$/, ':'));

const saving = new Map<string, Promise<string>>();

/** The archive of `ref`: saved the first time (to a temporary name, then renamed, so a reader never sees half of one). */
export function imageArchive(ref: string): Promise<string> {
  let archive = saving.get(ref);
  if (!archive) {
    archive = saveOnce(ref).finally(() => saving.delete(ref));
    saving.set(ref, archive);
  }
  return archive;
}

async function saveOnce(ref: string): Promise<string> {
  const dir = archivesDir();
  const path = join(dir, fileOf(ref));
  if (await stat(path).then((s) => s.size > 0, () => false)) return path;
  await mkdir(dir, { recursive: true });
  const partial = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await hostExecOrThrow(['docker', 'save', '-o', partial, ref], { timeoutMs: 15 * 60_000 });
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  // The repository's other tags (a tag never holds '_': the repository's '/' and ':' do).
  const prefix = repositoryPrefix(ref);
  for (const name of await readdir(dir)) if (name.startsWith(prefix) && /^[A-Za-z0-9.-]+\.tar$/.test(name.slice(prefix.length)) && name !== fileOf(ref)) await rm(join(dir, name), { force: true });
  return path;
}
