import { execa, type ResultPromise } from 'execa';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hostExec } from '../../src/exec/host-exec.ts';
import { noopLogger } from '../../src/log.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

/**
 * Nothing stays behind: after a set-up failure, after SIGINT and SIGTERM in
 * the middle of a run, and, after SIGKILL (which no process can handle),
 * once `clean` has run. Each case uses the real CLI and engine.
 */
const results = await temporaryDirectories()('netproof-results-');
function startCli(runId: string): { cli: ResultPromise<{ reject: false }>; ended: () => boolean } {
  const cli = execa('node', ['src/cli/main.ts', 'scenario', 'docker-host-db', '--run-id', runId, '--results', results], { reject: false });
  let done = false;
  void cli.finally(() => (done = true));
  return { cli, ended: () => done };
}

/** Waits until the run has at least one container on the engine: the run is in its middle. */
async function untilContainersExist(runId: string, ended: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await leftovers(runId)).containers.length > 0) return;
    if (ended()) throw new Error('the run ended before it started a container');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} started no container within 30 s`);
}

describe('teardown', () => {
  it('a failing set-up step tears down what the run had started', async () => {
    const runId = `fail${process.pid}`;
    const real = await loadScenario('docker-host-db');
    const failing = {
      ...real,
      workloads: {
        ...real.workloads,
        broken: { description: 'a workload whose start fails', images: [], start: () => Promise.reject(new Error('deliberate set-up failure')) },
      },
    };
    const result = await runScenario(failing, { logger: noopLogger, runId });
    // Nothing was tried: every claim inconclusive, the run a harness failure (the CLI exits 4), nothing left.
    expect(result.harnessFailure).toContain('starting broken: deliberate set-up failure');
    expect(new Set(result.claims.map((c) => c.verdict))).toEqual(new Set(['inconclusive']));
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });

  it('a host that cannot be prepared (port 5432 taken) exits 3 with what to do, and leaves nothing', async () => {
    const runId = `busy${process.pid}`;
    const squatter = createServer().listen(5432, '127.0.0.1');
    await once(squatter, 'listening');
    try {
      const { cli } = startCli(runId);
      const { exitCode, stderr } = await cli;
      expect(exitCode, String(stderr)).toBe(3);
      expect(stderr).toContain('✗ starting db');
      expect(stderr).toContain('error: port 5432 on this host is already taken');
      expect(stderr).toContain('to fix: stop whatever listens on 5432');
    } finally {
      squatter.close();
    }
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s in the middle of a run: exit %i, nothing left', async (signal, code) => {
    const runId = `${signal.toLowerCase()}${process.pid}`;
    const { cli, ended } = startCli(runId);
    await untilContainersExist(runId, ended);
    cli.kill(signal);
    const { exitCode, stderr } = await cli;
    expect(exitCode, String(stderr)).toBe(code);
    expect(stderr).toContain(`${signal}: tearing down`);
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });

  // Each phase of a run, as its progress lines announce it: SIGKILL there, then `clean` leaves nothing of the run.
  it.each([
    ['creating the environment', /run \w+: scenario docker-host-db/],
    ['starting the workloads', /^• starting (db|django)/m],
    ['trying the claims', /^• trying \d+ claims/m],
    ['tearing down', /^• tearing down run/m],
  ])('SIGKILL while %s, then `clean`: nothing of the run is left', async (_phase, line) => {
    const runId = `k${_phase.length}${process.pid}`.slice(0, 12);
    const { cli } = startCli(runId);
    let seen = '';
    const reached = new Promise<void>((resolve) => {
      cli.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (line.test(seen)) resolve();
      });
    });
    await Promise.race([reached, cli.then(() => undefined)]);
    cli.kill('SIGKILL');
    await cli;
    const clean = await hostExec(['node', 'src/cli/main.ts', 'clean']);
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });

  it('SIGKILL leaves the run behind; `clean` removes it all', async () => {
    const runId = `kill${process.pid}`;
    const { cli, ended } = startCli(runId);
    await untilContainersExist(runId, ended);
    cli.kill('SIGKILL');
    await cli;
    const left = await leftovers(runId);
    expect(left.containers.length).toBeGreaterThan(0);
    expect(left.iptablesRules.length).toBeGreaterThan(0); // the traffic guard was in place
    const clean = await hostExec(['node', 'src/cli/main.ts', 'clean']);
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(clean.stderr).toContain(`run ${runId}: removed`);
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });
});
