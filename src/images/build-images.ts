import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { hostExec } from '../exec/host-exec.ts';
import type { Logger } from '../log.ts';
import { catalogue, imagesRoot, type ImageName } from './catalogue.ts';

/** The lab's own reference for an image: netproof/<name>:<hash of its inputs>. */
export async function imageRef(name: ImageName): Promise<string> {
  return `netproof/${name}:${await inputsHash(name)}`;
}

/** Builds whatever of `names` (and their bases) is missing; returns name → reference. */
export async function ensureImages(names: readonly ImageName[], logger: Logger): Promise<Record<ImageName, string>> {
  // Present images are looked up side by side (a tag's hash covers its base: a present image needs no look at its base); a missing one is built, one at a time.
  const refs = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await imageRef(name)]))) as Record<ImageName, string>;
  const present = await Promise.all(names.map((name) => imageExists(refs[name])));
  for (const name of names.filter((_, i) => !present[i])) await ensureImage(name, logger);
  return refs;
}

const imageExists = async (ref: string) => (await hostExec(['docker', 'image', 'inspect', '--format', '{{.Id}}', ref])).exitCode === 0;

async function ensureImage(name: ImageName, logger: Logger): Promise<string> {
  const spec = catalogue[name];
  const baseRef = spec.base ? await ensureImage(spec.base, logger) : undefined;
  const ref = await imageRef(name);
  if (await imageExists(ref)) return ref;
  await logger.step(`building image ${ref} (first time only)`, async () => {
    const dir = join(imagesRoot, name);
    const build = baseRef
      ? await hostExec(['docker', 'build', '--network', 'host', '--label', 'netproof.image=1', '--build-arg', `BASE=${baseRef}`, '-t', ref, dir], { timeoutMs: 20 * 60_000 })
      : await hostExec(['bash', join(dir, 'build.sh'), ref], { timeoutMs: 20 * 60_000 });
    if (build.exitCode !== 0) {
      throw new EnvironmentError(
        `building image ${ref} failed:\n${(build.stderr || build.stdout).split('\n').slice(-15).join('\n')}`,
        'check that Debian packages can be downloaded (apt-get update works on this host), then run again',
      );
    }
  });
  return ref;
}

/** Hash of every file in images/<name>/ plus the base's hash, so a base change rebuilds its children. */
async function inputsHash(name: ImageName): Promise<string> {
  const hash = createHash('sha256');
  const dir = join(imagesRoot, name);
  for (const file of (await listFiles(dir)).sort()) {
    hash.update(file).update('\0').update(await readFile(join(dir, file))).update('\0');
  }
  const base = catalogue[name].base;
  if (base) hash.update(await inputsHash(base));
  return hash.digest('hex').slice(0, 12);
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name === '__pycache__') continue;
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else files.push(path);
  }
  return files;
}
