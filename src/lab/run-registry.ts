import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidOfRunId } from './names.ts';

/**
 * Which lab runs exist and which process owns each. A run whose owner is dead
 * (SIGKILL, a crash) is stale: `npm run clean` and the next run sweep it,
 * which is the job testcontainers' Ryuk would do if it could be pulled here.
 */
export interface RunRecord {
  readonly id: string;
  readonly pid: number;
  readonly scenario: string;
  readonly startedAt: string;
  /** Left running on purpose (--keep): only an explicit clean removes it. */
  readonly keep: boolean;
  /** A kind cluster this process is creating (`npm run cluster up`): if the process dies first, the sweep deletes it. */
  readonly cluster?: string;
}

const registryDir = () => process.env.NETPROOF_RUN_DIR ?? join(tmpdir(), 'netproof-runs');

export async function registerRun(record: RunRecord): Promise<void> {
  await mkdir(registryDir(), { recursive: true });
  await writeFile(join(registryDir(), `${record.id}.json`), JSON.stringify(record));
}

export async function forgetRun(id: string): Promise<void> {
  await rm(join(registryDir(), `${id}.json`), { force: true });
}

export async function readRun(id: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(registryDir(), `${id}.json`), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

export async function listRuns(): Promise<string[]> {
  try {
    return (await readdir(registryDir())).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether what carries run id `id` is still wanted, given its registration:
 * a run kept on purpose (--keep) or whose process lives. An unregistered id is
 * nobody's, unless it is a pid: a cluster started through the API with no name
 * (unnamedClusterName, registered only while kind creates it) belongs to that
 * process while it lives, and is swept once it is gone, like a dead run.
 */
export function isOwned(id: string, record: RunRecord | undefined): boolean {
  if (record) return record.keep || isAlive(record.pid);
  const pid = pidOfRunId(id);
  return pid !== undefined && isAlive(pid);
}
