import { access, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { hostExec } from '../exec/host-exec.ts';
import { lockHolder, tryLock, type LockHolder } from '../lab/lock-file.ts';
import type { Logger } from '../log.ts';
import { cacheRoot } from './cache-root.ts';

/** A built artefact: the cache directory holding its outputs, and the key it was built for. */
export interface BuiltArtefact {
  readonly dir: string;
  readonly key: string;
}

/** One build a script makes into a directory of the cache, once per key. */
export interface CachedBuild {
  /** What progress and errors call it (`flannel`, `traefik`). */
  readonly name: string;
  /** Where under the cache its directories are (`kind/bin`, `engines`). */
  readonly area: string;
  /** The cache directory's name without its key (`<cache>/<area>/<stem>-<key>`). */
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
 * Two runs that need the same first-time build share it: the build holds
 * `<dir>.lock`, a second run waits for it, then finds it complete.
 */
export async function ensureCachedBuild(build: CachedBuild, logger: Logger): Promise<BuiltArtefact> {
  const dir = join(cacheRoot(), build.area, `${build.stem}-${build.key}`);
  const complete = () => exists(join(dir, '.complete'));
  if (!(await complete())) {
    await holdingBuildLock(`${dir}.lock`, build, logger, async () => {
      // The run it waited for may have built it (or failed: then this one builds).
      if (!(await complete())) await buildInto(dir, build, logger);
    });
  }
  await pruneOtherKeys(build.stem, dir);
  return { dir, key: build.key };
}

/** Who is building an artefact: its lock file says so. */
interface Builder extends LockHolder {
  /** The holder's script and arguments (`main.ts scenario k8s-pod-network`, `prebuild.ts`), for the line a waiting run prints. */
  readonly command: string;
}

/** Runs `work` holding the artefact's lock, waiting (and saying for whom) while another live process builds it. */
async function holdingBuildLock(lock: string, build: CachedBuild, logger: Logger, work: () => Promise<void>): Promise<void> {
  const me: Builder = { pid: process.pid, command: [basename(process.argv[1] ?? 'node'), ...process.argv.slice(2)].join(' ') };
  const deadline = Date.now() + build.timeoutMs + 60_000;
  let announced = false;
  while (!(await tryLock(lock, me))) {
    const holder = await lockHolder<Builder>(lock);
    if (!announced && holder) {
      logger.info(`waiting for ${build.name}: process ${holder.pid} (${holder.command}) is building it`);
      announced = true;
    }
    if (Date.now() > deadline) throw new EnvironmentError(`${build.name} is still being built by process ${holder?.pid ?? '?'}`, 'wait for that build to end, or stop its run, then run again');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  try {
    await work();
  } finally {
    await rm(lock, { force: true });
  }
}

async function buildInto(dir: string, build: CachedBuild, logger: Logger): Promise<void> {
  await logger.step(`building ${build.name} from the Go module proxy (first time only)`, async () => {
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    // bash's `times` after the build prints its children's CPU: on a fresh machine these builds are most of a run's time.
    const timed = ['bash', '-c', '"$@"; status=$?; times; exit $status', 'build', 'nice', '-n', '10', ...build.command, partial];
    const result = await hostExec(timed, { timeoutMs: build.timeoutMs });
    if (result.exitCode !== 0) throw new EnvironmentError(`building ${build.name} failed:\n${tail(result.stderr || result.stdout)}`, build.hint);
    const cpu = childrenCpuSeconds(result.stdout);
    if (cpu !== undefined) logger.info(`  ${build.name}: ${cpu.toFixed(1)} s of CPU (user and system)`);
    for (const output of build.outputs) {
      if (!(await exists(join(partial, output)))) throw new EnvironmentError(`building ${build.name} produced no ${output}`, `see ${build.recipe}`);
    }
    await writeFile(join(partial, '.complete'), `${build.key}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
  });
}

/** One build per stem stays: earlier keys (and their partial builds) go. */
async function pruneOtherKeys(stem: string, keep: string): Promise<void> {
  const parent = dirname(keep);
  const pattern = new RegExp(`^${stem}-[0-9a-f]{12}(\\.partial)?$`);
  for (const entry of await readdir(parent)) {
    if (pattern.test(entry) && join(parent, entry) !== keep) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

/** The children's user + system seconds from the last line of bash's `times` (`0m1.5s 0m0.25s`). */
function childrenCpuSeconds(stdout: string): number | undefined {
  const match = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stdout);
  if (!match) return undefined;
  const [, um, us, sm, ss] = match.map(Number);
  return um! * 60 + us! + sm! * 60 + ss!;
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
