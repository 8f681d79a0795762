import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isAlive } from './run-registry.ts';

/**
 * A lock between processes: a file made with O_EXCL that names its holder
 * (JSON, with the holder's pid). A holder that died (SIGKILL) releases by
 * dying: the next one to try removes its file and takes the lock.
 */
export interface LockHolder {
  readonly pid: number;
}

/** Who holds the lock; undefined when it is free (or its file is being written this instant). */
export async function lockHolder<H extends LockHolder>(file: string): Promise<H | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as H;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock if free or held by a dead process; false while a live one
 * holds it. `isMine` says that a live holder is the caller itself (it has it).
 */
export async function tryLock<H extends LockHolder>(file: string, me: H, isMine: (holder: H) => boolean = () => false): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true });
  try {
    const handle = await open(file, 'wx');
    await handle.writeFile(JSON.stringify(me));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = await lockHolder<H>(file);
  if (holder && isMine(holder)) return true;
  // A file half-written a moment ago reads as nothing: wait for it rather than take it over.
  if (holder === undefined || isAlive(holder.pid)) return false;
  await rm(file, { force: true });
  return tryLock(file, me, isMine);
}
