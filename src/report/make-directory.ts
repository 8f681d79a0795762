import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` that always ends. Node's `mkdir(dir, { recursive: true })`
 * never returns where mkdir(2) says ENOENT under a parent that exists (any
 * path under /proc): it retries the parent forever at 100 % CPU. Here each
 * missing directory is made once, from the nearest one that exists, and the
 * first error is thrown as it is.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let path = resolve(dir); ; path = dirname(path)) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      // Another process made it meanwhile: as good as made here.
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
