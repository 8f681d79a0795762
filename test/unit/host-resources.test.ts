import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.ts';
import { acquireHostResources, HostResource } from '../../src/lab/host-resources.ts';
import { LabRun } from '../../src/lab/lab-run.ts';
import type { Logger } from '../../src/log.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

/** Two runs wanting one host port: the second waits and says why; a dead holder's lock is taken over. */
describe('exclusive host resources', () => {
  const said: string[] = [];
  const logger: Logger = { info: (line: string) => void said.push(line), step: async <T>(_what: string, work: () => Promise<T>) => work() } as Logger;
  let lockDir: string;
  beforeEach(async () => {
    lockDir = await temporaryDirectory('np-locks-');
    process.env.NETPROOF_LOCK_DIR = lockDir;
    process.env.NETPROOF_RUN_DIR = await temporaryDirectory('np-runs-');
    said.length = 0;
  });
  const port = HostResource.tcpPort(5432);

  it('makes a second run wait for the first, naming the holder, and go on once it is released', async () => {
    const first = await LabRun.start({ scenario: 'docker-host-db', logger, id: 'aaaa' });
    const second = await LabRun.start({ scenario: 'docker-host-db', logger, id: 'bbbb' });
    await acquireHostResources(first, [port], { logger });
    const waiting = acquireHostResources(second, [port], { logger, pollMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(said).toContain(`waiting for host port 5432/tcp, held by run aaaa (docker-host-db, pid ${process.pid})`);
    await first.teardown();
    await waiting;
    await second.teardown();
  });

  it('gives up after its timeout with an environment error that says who holds it', async () => {
    const first = await LabRun.start({ scenario: 'a', logger, id: 'cccc' });
    const second = await LabRun.start({ scenario: 'b', logger, id: 'dddd' });
    await acquireHostResources(first, [port], { logger });
    const failed = await acquireHostResources(second, [port], { logger, timeoutMs: 50, pollMs: 10 }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(EnvironmentError);
    expect((failed as Error).message).toBe('host port 5432/tcp is still held by run cccc (pid ' + process.pid + ')');
    await first.teardown();
    await second.teardown();
  });

  it('takes over a lock whose holder died (SIGKILL)', async () => {
    await writeFile(join(lockDir, 'host_port_5432_tcp.lock'), JSON.stringify({ run: 'dead', pid: 2 ** 22 + 1, scenario: 'x' }));
    const run = await LabRun.start({ scenario: 'docker-host-db', logger, id: 'eeee' });
    await acquireHostResources(run, [port], { logger, timeoutMs: 1000 });
    expect(said).toEqual([]);
    await run.teardown();
  });

  it("holds a fixed nodePort per cluster: a second run on the same cluster waits, one on another cluster does not", async () => {
    const services = (await import('../../scenarios/k8s-services.ts')).default;
    // k8s-services' NodePort Service fixes nodePort 30080 (the article's shape of connection string); K10's web-svc sits in default.
    const wanted = Object.values(services.workloads).flatMap((w) => w.clusterResources ?? []);
    expect(wanted.sort()).toEqual([HostResource.inNamespace('default', 'web-svc'), HostResource.nodePort(30080)].sort());
    const [a, b, c] = await Promise.all(['ffff', 'gggg', 'hhhh'].map((id) => LabRun.start({ scenario: 'k8s-services', logger, id })));
    await acquireHostResources(a!, wanted.map((r) => HostResource.ofCluster('netproof', r)), { logger });
    await acquireHostResources(c!, wanted.map((r) => HostResource.ofCluster('netproof-flannel-2w', r)), { logger, timeoutMs: 1000 });
    const waited = await acquireHostResources(b!, wanted.map((r) => HostResource.ofCluster('netproof', r)), { logger, timeoutMs: 50, pollMs: 10 }).catch((error: unknown) => error);
    // Resources are taken in sorted order: the first one b waits for is named.
    expect((waited as Error).message).toMatch(/^kind cluster netproof: default\/web-svc is still held by run ffff/);
    for (const run of [a!, b!, c!]) await run.teardown();
  });
});
