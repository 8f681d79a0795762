import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/report/result.ts';
import { makeNonRootUsers, type NonRootUsers } from '../non-root-users.ts';

// The Kubernetes half (a kind cluster through sudo) is in the matrix tier: test/matrix/non-root-kind.matrix.test.ts.
describe('a non-root user with passwordless sudo, as on a hosted runner', () => {
  let users: NonRootUsers;

  beforeAll(async () => {
    users = await makeNonRootUsers();
  }, 400_000);

  afterAll(() => users?.remove(), 60_000);

  it('without sudo: one line saying how to start, exit 3, nothing run', async () => {
    const run = await users.run('plain', 'npm run -s scenario docker-network-modes');
    expect(run.exitCode).toBe(3);
    expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('netproof needs root'))).toHaveLength(1);
  });

  it('with sudo: a Docker scenario runs through sudo -n, every claim conclusive, nothing sent off the machine', async () => {
    const run = await users.run('sudoer', `npm run -s scenario docker-network-modes -- --results ${users.results}/docker`);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const result = JSON.parse(await readFile(join(users.results, 'docker', 'docker-network-modes.json'), 'utf8')) as ScenarioResult;
    expect(result.claims.map((c) => c.verdict)).not.toContain('inconclusive');
    expect(result.traffic.packetsStopped).toBe(0);
  }, 1_500_000);
});
