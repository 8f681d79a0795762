import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cannotRunOn, claimIds, selectScenarios } from '../../src/cli/scenario-selection.ts';
import { kind } from '../../src/environment/environment.ts';
import { cniNames } from '../../src/environment/kind/index.ts';
import type { ScenarioSpec } from '../../src/scenario/scenario.ts';

/** The CLI's answers that need no engine: listing and usage errors. */
const cli = (...args: string[]) => execa('node', ['src/cli/main.ts', ...args], { reject: false, env: { NETPROOF_CNI: '' } });

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
    const both = await cli('scenario', '--all', '--kind', '--own-cluster', '--reuse-cluster');
    expect([flag, unknownClaim, repeat, all, both].map((r) => r.exitCode)).toEqual([2, 2, 2, 2, 2]);
    expect(both.stderr).toContain('--own-cluster starts a cluster the run deletes; --reuse-cluster keeps one');
    expect(unknownClaim.stderr).toContain('no selected scenario holds claim D99');
    expect(repeat.stderr).toContain('--repeat takes a decimal whole number');
    expect(all.stderr).toContain('--all runs every scenario: name none');
  });

  it('an unknown CNI is a usage error (2) that lists the known ones, blaming the flag or the variable, before anything starts', async () => {
    const [flag, variable, all, cluster] = await Promise.all([
      cli('scenario', 'k8s-pod-network', '--cni', 'nope'),
      execa('node', ['src/cli/main.ts', 'scenario', 'k8s-pod-network'], { reject: false, env: { NETPROOF_CNI: 'nope' } }),
      cli('scenario', '--all', '--cni', 'nope'),
      cli('cluster', 'up', '--cni', 'nope'),
    ]);
    expect([flag, variable, all, cluster].map((r) => r.exitCode)).toEqual([2, 2, 2, 2]);
    expect(flag.stderr).toContain(`error: --cni nope: unknown CNI; known CNIs: ${cniNames.join(', ')}`);
    expect(variable.stderr).toContain('error: NETPROOF_CNI=nope (environment variable): unknown CNI');
    // The variable is read by the CLI, not when scenario files load: no file is blamed.
    expect(variable.stderr).not.toMatch(/scenarios\/|\.ts/);
    expect(cluster.stderr).toContain('--cni nope: unknown CNI');
    for (const r of [flag, variable, all, cluster]) expect(r.stdout + r.stderr).not.toMatch(/creating kind cluster|checking lab images/);
  });

  it('--cni chooses the cluster of Kubernetes scenarios: with a Docker scenario or --docker it is a usage error', async () => {
    const [named, docker] = await Promise.all([cli('scenario', 'docker-host-db', '--cni', 'flannel'), cli('scenario', '--all', '--docker', '--cni', 'flannel')]);
    expect([named.exitCode, docker.exitCode]).toEqual([2, 2]);
    expect(named.stderr).toContain('docker-host-db runs on Docker');
    expect(docker.stderr).toContain('does not go with --docker');
  });

  it('--help of scenario and cluster lists every CNI of the registry, each with what it is', async () => {
    for (const command of ['scenario', 'cluster']) {
      const { stdout } = await cli(command, '--help');
      for (const name of cniNames) expect(stdout).toMatch(new RegExp(`^ +${name} +${name}\\b`, 'm'));
    }
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

  it('--all narrows by environment; every Kubernetes scenario runs on any CNI unless its file says it cannot', async () => {
    const docker = await selectScenarios({ names: [], all: true, environment: 'docker' });
    expect(docker.length).toBeGreaterThan(0);
    expect(docker.every((s) => s.environment.kind === 'docker')).toBe(true);
    const onKind = await selectScenarios({ names: [], all: true, environment: 'kind' });
    expect(onKind.map((s) => s.name)).toEqual(expect.arrayContaining(['k8s-pod-network', 'k8s-network-policy']));
    for (const cni of cniNames) expect((await selectScenarios({ names: [], all: true, environment: 'kind', cni })).map((s) => s.name)).toEqual(onKind.map((s) => s.name));
  });

  it('a scenario file states only where it cannot run: that CNI leaves it out, with the reason', () => {
    const spec = { name: 'x', environment: kind({ unsupportedCnis: { flannel: 'needs NetworkPolicy' } }) } as unknown as ScenarioSpec;
    expect(cannotRunOn(spec, 'flannel')).toBe('needs NetworkPolicy');
    expect(cannotRunOn(spec, 'kube-router')).toBeUndefined();
    expect(cannotRunOn(spec, undefined)).toBeUndefined();
  });
});
