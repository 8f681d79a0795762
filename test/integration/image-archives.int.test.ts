import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageArchive } from '../../src/environment/kind/image-archives.ts';
import { hostExecOrThrow } from '../../src/exec/host-exec.ts';

/** Two tiny images of one repository and one of another, made from an empty tar (no registry). */
const refs = ['netproof-test/archive:aaa1', 'netproof-test/archive:bbb2', 'netproof-test/archive-other:ccc3'];

describe("the images' archives kept for loading into kind nodes", () => {
  let cache: string;
  const before = process.env.NETPROOF_CACHE;

  beforeAll(async () => {
    cache = await mkdtemp(join(tmpdir(), 'np-archives-'));
    process.env.NETPROOF_CACHE = cache;
    for (const ref of refs) await hostExecOrThrow(['bash', '-c', 'tar cf - --files-from /dev/null | docker import - "$1"', 'import', ref]);
  });

  afterAll(async () => {
    if (before === undefined) delete process.env.NETPROOF_CACHE;
    else process.env.NETPROOF_CACHE = before;
    await hostExecOrThrow(['docker', 'rmi', ...refs]);
    await rm(cache, { recursive: true, force: true });
  });

  it('saves an image once, keeps it for the next load, and drops an older tag of its repository when a newer is saved', async () => {
    const dir = join(cache, 'kind', 'image-archives');
    const [first, again] = await Promise.all([imageArchive(refs[0]!), imageArchive(refs[0]!)]);
    expect(again).toBe(first);
    const saved = await stat(first);
    expect(await imageArchive(refs[0]!)).toBe(first);
    expect((await stat(first)).mtimeMs).toBe(saved.mtimeMs);
    const tar = await hostExecOrThrow(['tar', 'tf', first]);
    expect(tar.stdout).toContain('manifest.json');
    await imageArchive(refs[2]!);
    await imageArchive(refs[1]!);
    expect((await readdir(dir)).sort()).toEqual(['netproof-test_archive-other_ccc3.tar', 'netproof-test_archive_bbb2.tar']);
  });
});
