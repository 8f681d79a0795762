import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { pidOfRunId, runClusterName, runIdOfName, runNamePrefix, unnamedClusterName } from '../../src/lab/names.ts';
import { isOwned, listRuns, registerRun } from '../../src/lab/run-registry.ts';
import { registerSweeper } from '../../src/lab/sweepers.ts';
import { sweepStale } from '../../src/lab/sweep.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

// The machine's side of a sweep (docker, iptables, ip) finds nothing: only the environment below has resources.
vi.mock('../../src/exec/host-exec.ts', () => ({
  hostExec: async (argv: readonly string[]) => ({ command: argv.join(' '), exitCode: 0, stdout: '', stderr: '', durationMs: 0, startedAt: '' }),
  hostExecOrThrow: async (argv: readonly string[]) => ({ command: argv.join(' '), exitCode: 0, stdout: '', stderr: '', durationMs: 0, startedAt: '' }),
}));

/** A pid that no process has any more: a child that has exited and been reaped. */
const deadPid = () => {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.pid).toBeGreaterThan(0);
  return child.pid;
};

/** kind as the sweep sees it: clusters by name, their run id read back from the name (kindRunIds); a run's sweep removes its clusters. Returns the run ids swept. */
function fakeKind(names: readonly string[]) {
  let clusters = [...names];
  const swept: string[] = [];
  registerSweeper({
    environment: 'kind',
    runIds: async () => clusters.map(runIdOfName).filter((id): id is string => id !== undefined),
    sweepRun: async (runId) => {
      swept.push(runId);
      const before = clusters.length;
      clusters = clusters.filter((name) => !name.startsWith(runNamePrefix(runId)));
      return { 'kind clusters': before - clusters.length };
    },
  });
  return swept;
}

/**
 * A cluster started through the API with no name is `np-<pid>-<n>`: the sweep
 * reads that pid as a run id that no registration holds. Before, another run's
 * start-up sweep judged it a dead run's and deleted the cluster while its
 * process was still creating it ("No such container: np-<pid>-1-control-plane").
 */
describe('which API clusters a sweep takes', () => {
  beforeEach(async () => {
    process.env.NETPROOF_RUN_DIR = await temporaryDirectory('np-runs-');
  });

  it('reads the owning pid from an API cluster name, and none from a run name', () => {
    expect(pidOfRunId(runIdOfName(unnamedClusterName(4242, 3))!)).toBe(4242);
    expect(pidOfRunId(runIdOfName(runClusterName('ab12cd34', 'kindnet'))!)).toBeUndefined();
    expect(pidOfRunId('0123abcd')).toBeUndefined();
    expect(pidOfRunId('suite123unit')).toBeUndefined();
  });

  it('holds an API cluster of a live process owned, and one of a dead process not', () => {
    expect(isOwned(runIdOfName(unnamedClusterName(process.pid, 1))!, undefined)).toBe(true);
    expect(isOwned(runIdOfName(unnamedClusterName(deadPid(), 1))!, undefined)).toBe(false);
  });

  it('judges a registered run by its process and --keep, and an unregistered run id as nobody’s', () => {
    const run = { id: 'ab12cd34', scenario: 's', startedAt: '', keep: false };
    expect(isOwned(run.id, { ...run, pid: process.pid })).toBe(true);
    expect(isOwned(run.id, { ...run, pid: deadPid() })).toBe(false);
    expect(isOwned(run.id, { ...run, pid: deadPid(), keep: true })).toBe(true);
    expect(isOwned(run.id, undefined)).toBe(false);
  });

  it('leaves the API cluster of a live process and sweeps the one of a dead process', async () => {
    const dead = deadPid();
    const swept = fakeKind([unnamedClusterName(process.pid, 1), unnamedClusterName(dead, 1)]);
    const report = await sweepStale();
    expect(swept).toEqual([String(dead)]);
    expect(report.get(String(dead))?.['kind clusters']).toBe(1);
    expect([...report.keys()]).toEqual([String(dead)]);
  });

  it('leaves a live run’s cluster, sweeps a dead run’s and forgets its registration, and takes all with `all`', async () => {
    const run = { scenario: 's', startedAt: '', keep: false };
    await registerRun({ ...run, id: 'aaaa1111', pid: process.pid });
    await registerRun({ ...run, id: 'bbbb2222', pid: deadPid() });
    const swept = fakeKind([runClusterName('aaaa1111', 'kindnet'), runClusterName('bbbb2222', 'kindnet'), unnamedClusterName(process.pid, 2)]);
    await sweepStale();
    expect(swept).toEqual(['bbbb2222']);
    expect(await listRuns()).toEqual(['aaaa1111']);
    swept.length = 0;
    await sweepStale({ all: true });
    expect(swept.sort()).toEqual(['aaaa1111', String(process.pid)].sort());
  });
});
