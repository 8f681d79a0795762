import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/report/result.ts';
import { prepareKindTier, prepareTimeoutMs } from '../kind/prepare.ts';
import { makeNonRootUsers, type NonRootUsers } from '../non-root-users.ts';

// A kind cluster of its own (minutes): here, not in `npm test`; the Docker half is test/integration/non-root.int.test.ts.
describe('a non-root user with passwordless sudo, as on a hosted runner: a kind cluster', () => {
  let users: NonRootUsers;

  beforeAll(() => prepareKindTier(), prepareTimeoutMs);

  beforeAll(async () => {
    users = await makeNonRootUsers();
  }, 400_000);

  afterAll(() => users?.remove(), 60_000);

  it('with sudo: a Kubernetes scenario runs (K18 on kindnetd-lab)', async () => {
    const run = await users.run('sudoer', `NETPROOF_CNI=kindnetd-lab npm run -s scenario k8s-network-policy -- --results ${users.results}/kind`);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const result = JSON.parse(await readFile(join(users.results, 'kind', 'k8s-network-policy.json'), 'utf8')) as ScenarioResult;
    // Not judged off Calico; kindnetd has no policy agent: every case that blocks a cell reads "not enforced".
    expect(result.claims[0]).toMatchObject({ id: 'K18', verdict: 'inconclusive', outcome: { kind: 'check-failed', reason: expect.stringMatching(/^not applicable here: .* runs kindnetd-lab .*: \d+ not enforced, 2 conformant$/) } });
    expect(result.traffic.packetsStopped).toBe(0);
  }, 1_500_000);
});
