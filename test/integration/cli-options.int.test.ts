import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type Result } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/report/result.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

/**
 * The CLI for real, as a user types it: `--claim` across two scenarios with
 * `--repeat 2`, on the real engine. One command, two runs, one summary.
 */
describe('scenario --claim D2,D15 --repeat 2 (two scenarios, real engine)', () => {
  let dir: string;
  let cli: Result<{ reject: false }>;
  const runId = `cl${process.pid}`;
  const read = async (name: string) => JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as ScenarioResult;

  beforeAll(async () => {
    dir = await temporaryDirectory('np-cli-');
    cli = await execa('node', ['src/cli/main.ts', 'scenario', '--claim', 'D2,D15', '--repeat', '2', '--results', dir, '--run-id', runId], {
      reject: false,
      env: { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), CI: 'true' },
    });
  });

  it('runs only the scenarios holding those claims, and only those claims', async () => {
    expect(cli.exitCode, String(cli.stderr)).toBe(0);
    expect((await read('docker-host-db')).claims.map((c) => c.id)).toEqual(['D2']);
    expect((await read('docker-network-modes')).claims.map((c) => c.id)).toEqual(['D15']);
  });

  it('tries each claim twice on one environment and counts every outcome', async () => {
    const d2 = (await read('docker-host-db')).claims[0]!;
    expect(d2.repeats).toMatchObject({ rounds: 2, flaky: false, verdicts: { [d2.verdict]: 2 } });
    // localhost and 127.0.0.1, each refused in both rounds (the container's own loopback); every attempt counted twice.
    expect(d2.repeats?.outcomes.slice(0, 2)).toEqual([{ refused: 2 }, { refused: 2 }]);
    expect(d2.repeats?.outcomes).toHaveLength(d2.attempts.length);
    for (const counts of d2.repeats!.outcomes) expect(Object.values(counts).reduce((a, b) => a + b)).toBe(2);
    expect(String(cli.stdout)).toMatch(/D2 .*refused \[refused×2\]\s+confirmed — claim confirmed 2\/2/);
    expect(String(cli.stderr)).toMatch(/• round 2 of 2 …/);
  });

  it('ends with one summary of both scenarios, writes each HTML report, and fills the CI job summary', async () => {
    expect(String(cli.stdout)).toMatch(/^2 scenarios: \d+ confirmed, \d+ refuted, \d+ inconclusive$/m);
    for (const name of ['docker-host-db', 'docker-network-modes']) {
      const html = await readFile(join(dir, `${name}.html`), 'utf8');
      expect(html).toContain('<svg');
    }
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('### netproof: docker-host-db');
    expect(summary).toContain('### netproof: docker-network-modes');
  });

  it('sends nothing off the machine and leaves nothing behind', async () => {
    for (const name of ['docker-host-db', 'docker-network-modes']) expect((await read(name)).traffic.packetsStopped).toBe(0);
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });
});
