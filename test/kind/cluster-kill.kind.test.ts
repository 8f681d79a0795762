import { execa } from 'execa';
import { access } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { kindClusterLabel } from '../../src/environment/kind/kind-cluster.ts';
import { kubeconfigPath } from '../../src/environment/kind/kind-paths.ts';
import { hostExec } from '../../src/exec/host-exec.ts';
import { temporaryDirectories } from '../temp-dirs.ts';
import { prepareKindTier, prepareTimeoutMs } from './prepare.ts';

const temporaryDirectory = temporaryDirectories();

/**
 * The report: SIGKILL 15 s into `npm run cluster up` left three node
 * containers, their network and rules, and `npm run clean` said "nothing to
 * clean". A `cluster up` is registered while it creates the cluster, so a
 * killed one is swept like any dead run.
 */
describe('a killed cluster up', () => {
  beforeAll(() => prepareKindTier(), prepareTimeoutMs);

  it('is swept by clean: no node container, no kubeconfig', async () => {
    const name = `killed-up-${process.pid}`;
    const nodes = async () => (await hostExec(['docker', 'ps', '-aq', '--filter', `label=${kindClusterLabel}=${name}`])).stdout.split('\n').filter(Boolean);
    const up = execa('node', ['src/cli/main.ts', 'cluster', 'up', '--name', name], { reject: false });
    // Killed once kind has made the node containers: the middle of cluster creation.
    for (let i = 0; i < 600 && (await nodes()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await nodes()).length, 'kind made the node containers').toBeGreaterThan(0);
    up.kill('SIGKILL');
    await up;
    const clean = await hostExec(['node', 'src/cli/main.ts', 'clean'], { timeoutMs: 300_000 });
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/removed 1 kind clusters/);
    expect(await nodes()).toEqual([]);
    await expect(access(kubeconfigPath(name))).rejects.toThrow();
  }, 900_000);

  it('SIGTERM to a Kubernetes run while kind makes its nodes: the teardown stops kind and deletes them, exit 143, nothing left without a clean', async () => {
    const runId = `term${process.pid.toString(36)}`;
    const cluster = `np-${runId}-kindnetd-lab`;
    const nodes = async () => (await hostExec(['docker', 'ps', '-aq', '--filter', `label=${kindClusterLabel}=${cluster}`])).stdout.split('\n').filter(Boolean);
    // --own-cluster: a lab cluster of kindnetd-lab left running (by a user or another test) would be reused, and kind would make no node.
    const run = execa('node', ['src/cli/main.ts', 'scenario', 'k8s-pod-network', '--own-cluster', '--run-id', runId, '--results', await temporaryDirectory('np-term-')], { reject: false, forceKillAfterDelay: false, env: { NETPROOF_CNI: 'kindnetd-lab' } });
    let exited = false;
    void run.finally(() => (exited = true));
    for (let i = 0; i < 600 && !exited && (await nodes()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(exited, `the run ended before kind made its nodes: ${exited ? (await run).stderr.slice(-2000) : ''}`).toBe(false);
    expect((await nodes()).length, 'kind made node containers').toBeGreaterThan(0);
    run.kill('SIGTERM');
    const { exitCode } = await run;
    expect(exitCode).toBe(143);
    // The engine may still finish a create whose client died: a later look must find nothing either.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await nodes()).toEqual([]);
    await expect(access(kubeconfigPath(cluster))).rejects.toThrow();
  }, 900_000);
});
