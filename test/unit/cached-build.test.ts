import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

/** A process running the tiny build (test/fixtures/tiny-cached-build.ts) against one cache. */
const buildIn = (cache: string, log: string) =>
  execa('node', ['test/fixtures/tiny-cached-build.ts', log], { env: { NETPROOF_CACHE: cache }, reject: false });

describe('cached builds', () => {
  it('a second run that needs a build the first is making waits for it, says for whom, and uses its output', async () => {
    const cache = await temporaryDirectory('netproof-cache-');
    const log = join(cache, 'builds.log');
    const first = buildIn(cache, log);
    // The first is building (its build wrote its line) before the second starts.
    for (let tries = 0; !existsSync(log); tries++) {
      expect(tries, 'the first build did not start in 20 s').toBeLessThan(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const second = buildIn(cache, log);
    const firstPid = first.pid;
    const [a, b] = await Promise.all([first, second]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expect((await readFile(log, 'utf8')).trim().split('\n'), 'builds made').toHaveLength(1);
    expect(b.stderr).toContain(`waiting for tiny: process ${firstPid} (tiny-cached-build.ts ${log}) is building it`);
    expect(b.stderr).not.toContain('building tiny');
    // The build's own CPU (its count), as bash's `times` measured it: the builder says it, the waiter does not.
    const cpu = /tiny: ([\d.]+) s of CPU \(user and system\)/.exec(a.stderr);
    expect(cpu, a.stderr).not.toBeNull();
    expect(Number(cpu![1])).toBeGreaterThan(0.05);
    expect(b.stderr).not.toContain('s of CPU');
    const built = JSON.parse(a.stdout) as { dir: string };
    expect(JSON.parse(b.stdout)).toEqual(built);
    expect(await readFile(join(built.dir, 'tiny'), 'utf8')).toBe('artefact\n');
    expect(existsSync(`${built.dir}.lock`), 'the lock is released').toBe(false);
  }, 60_000);

  it('takes over the lock of a build whose process died', async () => {
    const cache = await temporaryDirectory('netproof-cache-');
    const log = join(cache, 'builds.log');
    const dead = await execa('node', ['-e', 'process.stdout.write(String(process.pid))']);
    await mkdir(join(cache, 'kind', 'bin'), { recursive: true });
    await writeFile(join(cache, 'kind', 'bin', 'tiny-0123456789ab.lock'), JSON.stringify({ pid: Number(dead.stdout), command: 'killed' }));
    const run = await buildIn(cache, log);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
