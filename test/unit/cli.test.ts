import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { claimIds, selectScenarios } from '../../src/cli/scenario-selection.ts';

/** The CLI's answers that need no engine: listing and usage errors. */
const cli = (...args: string[]) => execa('node', ['src/cli/main.ts', ...args], { reject: false });

// Each case starts node and loads every scenario file: seconds on a busy machine.
describe('netproof CLI', { timeout: 30_000 }, () => {
  it('--list --json prints every scenario with its claim ids', async () => {
    const { exitCode, stdout } = await cli('scenario', '--list', '--json');
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toContainEqual(expect.objectContaining({ name: 'docker-host-db', environment: 'docker', claims: ['D1', 'D2', 'D3', 'D7', 'D8', 'D19'] }));
  });

  it('with no scenario name lists the scenarios, where they run and their claims', async () => {
    const { exitCode, stdout } = await cli('scenario');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^docker-host-db\s+docker\s+D1 D2 D3 D7 D8 D19$/m);
    expect(stdout).toMatch(/^docker-port-publishing\s+docker\s+D17 D18\b/m);
  });

  it('an unknown scenario is a usage error (2) that lists the known ones', async () => {
    const { exitCode, stderr } = await cli('scenario', 'docker-host-dbb');
    expect(exitCode).toBe(2);
    expect(stderr).toContain('unknown scenario "docker-host-dbb". Known scenarios: ');
    expect(stderr).toContain('docker-host-db');
    expect(stderr).toContain('usage:');
  });

  it('an unknown flag, an unknown claim or a bad --repeat is a usage error', async () => {
    const [flag, unknownClaim, repeat, all] = await Promise.all([
      cli('scenario', 'docker-host-db', '--frobnicate'),
      cli('scenario', 'docker-host-db', '--claim', 'D1,D99'),
      cli('scenario', 'docker-host-db', '--repeat', '0'),
      cli('scenario', 'docker-host-db', '--all'),
    ]);
    expect([flag, unknownClaim, repeat, all].map((r) => r.exitCode)).toEqual([2, 2, 2, 2]);
    expect(unknownClaim.stderr).toContain('no selected scenario holds claim D99');
    expect(repeat.stderr).toContain('--repeat takes a decimal whole number');
    expect(all.stderr).toContain('--all runs every scenario: name none');
  });
});

describe('scenario selection', { timeout: 30_000 }, () => {
  it('--claim keeps only those claims, and without a name finds the scenarios that hold them', async () => {
    const specs = await selectScenarios({ names: [], claims: claimIds('D2, D15') });
    expect(specs.map((s) => [s.name, s.claims.map((c) => c.id)])).toEqual([
      ['docker-host-db', ['D2']],
      ['docker-network-modes', ['D15']],
    ]);
    // Every workload still starts: a probe may need any of them.
    expect(Object.keys(specs[0]!.workloads).length).toBeGreaterThan(1);
  });

  it('--all narrows by environment and CNI', async () => {
    const docker = await selectScenarios({ names: [], all: true, environment: 'docker' });
    expect(docker.length).toBeGreaterThan(0);
    expect(docker.every((s) => s.environment.kind === 'docker')).toBe(true);
    const kindnet = await selectScenarios({ names: [], all: true, environment: 'kind', cni: 'kindnet' });
    expect(kindnet.every((s) => s.environment.kind === 'kind' && s.environment.cluster?.cni === 'kindnet')).toBe(true);
    await expect(selectScenarios({ names: [], all: true, environment: 'kind', cni: 'no-such-cni' })).resolves.toEqual([]);
  });
});
