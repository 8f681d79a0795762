import { readdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../src/environment/docker/index.ts';
import { findSeed, seedDir } from '../../src/environment/docker/engine-seed.ts';
import { startLabHost, type LabHost } from '../../src/environment/docker/lab-host-engine.ts';
import { hostExec, hostExecOrThrow } from '../../src/exec/host-exec.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { runLabel } from '../../src/lab/names.ts';
import { noopLogger } from '../../src/log.ts';

/**
 * A lab host's images are loaded once per engine image and image set, then
 * kept (issue 17): two real lab hosts of Debian's 20.10 with the toolbox image,
 * the first loading it and keeping its image store, the second starting from
 * that store — the image there, runnable, with nothing but images carried over.
 */
describe("a lab host's image store, kept and reused", () => {
  const id = `sd${process.pid}`;
  const network = `np-${id}-lan`;
  const hosts: LabHost[] = [];
  // --internal: nothing on it can be forwarded off the machine.
  beforeAll(() => hostExecOrThrow(['docker', 'network', 'create', '--internal', '--label', `${runLabel}=${id}`, network]));
  afterAll(async () => {
    for (const host of hosts) await host.remove();
    await hostExec(['docker', 'network', 'rm', network]);
  });

  it('the second lab host finds the first one\'s images without loading them, and a fresh engine otherwise', { timeout: 600_000 }, async () => {
    const image = await engines['20.10']!.labHost!.image(noopLogger);
    const { toolbox } = await ensureImages(['toolbox'], noopLogger);
    const dir = seedDir(image, [toolbox]);
    await rm(dir, { recursive: true, force: true });
    const start = async (n: number) => {
      const started = performance.now();
      const host = await startLabHost({ name: `np-${id}-host${n}`, engine: '20.10', image, network, labels: { [runLabel]: id }, images: [toolbox] });
      hosts.push(host);
      return { host, seconds: (performance.now() - started) / 1000 };
    };

    const first = await start(1);
    expect(await findSeed(image, [toolbox]), 'the first lab host kept its image store').toBe(dir);
    expect((await readdir(dir)).sort(), 'only the image store: no containers, networks, volumes or swarm state').toEqual(['.complete', 'image', 'overlay2']);

    const second = await start(2);
    const mounts = await hostExecOrThrow(['docker', 'inspect', '--format', '{{range .Mounts}}{{.Source}} {{.Destination}} {{.RW}}{{end}}', second.host.containerName]);
    expect(mounts.stdout.trim(), 'the seed, read-only').toBe(`${dir} /seed false`);
    expect((await second.host.docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n')).toContain(toolbox);
    // The copied store is whole: a container runs from it, and the engine is otherwise fresh.
    const ran = await second.host.docker(['run', '--rm', '--pull', 'never', '--network', 'none', toolbox, 'true']);
    expect([ran.exitCode, ran.stderr.trim()]).toEqual([0, '']);
    const fresh = await Promise.all([second.host.docker(['ps', '-aq']), second.host.docker(['network', 'ls', '--format', '{{.Name}}']), second.host.docker(['volume', 'ls', '-q'])]);
    expect(fresh.map((r) => r.stdout.trim().split('\n').filter(Boolean).sort())).toEqual([[], ['bridge', 'host', 'none'], []]);
    console.info(`lab host with toolbox: ${first.seconds.toFixed(1)} s loading it, ${second.seconds.toFixed(1)} s from the kept store`);
  });

  // Found on a fresh machine: docker-two-hosts' three hosts, starting together with no store kept, copied into one partial directory and failed.
  it('lab hosts that start together with no store kept all start, one keeps it, and no partial copy is left', { timeout: 600_000 }, async () => {
    const image = await engines['20.10']!.labHost!.image(noopLogger);
    const { toolbox } = await ensureImages(['toolbox'], noopLogger);
    const dir = seedDir(image, [toolbox]);
    await rm(dir, { recursive: true, force: true });
    const settled = await Promise.allSettled([3, 4, 5].map((n) => startLabHost({ name: `np-${id}-host${n}`, engine: '20.10', image, network, labels: { [runLabel]: id }, images: [toolbox] })));
    const together = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    hosts.push(...together);
    expect(settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []))).toEqual([]);
    for (const host of together) expect((await host.docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n')).toContain(toolbox);
    expect(await findSeed(image, [toolbox])).toBe(dir);
    expect((await readdir(dirname(dir))).filter((entry) => entry.includes('.partial-'))).toEqual([]);
  });
});
