import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cniNames } from '../../src/environment/kind/index.ts';
import { scanScenarios } from '../../src/scenario/registry.ts';
import { expectFindingsAsRecorded } from '../integration/findings.ts';
import { columnResults, runProjectScript, type CommandRun } from './columns.ts';

/** Every column the lab can make here: each CNI's Kubernetes scenarios, the Docker scenarios on the machine's engine. */
const columns = [...cniNames.map((cni) => ({ name: cni, args: ['kubernetes', cni] })), { name: 'docker', args: ['docker'] }];

/**
 * The matrix tier: every column end to end through scripts/column.sh (what the
 * workflow's jobs run), laid out as the workflow's artifacts are
 * (DIR/results-<column>/), then scripts/compare-artifacts.sh (the compare
 * job). Each column is held to its golden table in test/matrix/expected/.
 */
describe('every column, as the workflow makes it', () => {
  let artifacts: string;
  const runs = new Map<string, CommandRun>();
  let compared: CommandRun;

  beforeAll(async () => {
    artifacts = await mkdtemp(join(tmpdir(), 'np-matrix-'));
    for (const column of columns) {
      runs.set(column.name, await runProjectScript('column.sh', [...column.args, join(artifacts, `results-${column.name}`)]));
    }
    compared = await runProjectScript('compare-artifacts.sh', [artifacts, join(artifacts, 'compare')]);
  });

  it.each(columns.map((c) => c.name))('%s: every scenario of its environment ran, every claim conclusive, nothing stopped', async (name) => {
    const run = runs.get(name)!;
    expect(run.code, `column.sh ${name} exit; last words:\n${run.stderrTail}`).toBe(0);
    const results = await columnResults(join(artifacts, `results-${name}`));
    const environment = name === 'docker' ? 'docker' : 'kind';
    expect(results.map((r) => r.scenario).sort()).toEqual((await scanScenarios()).specs.filter((s) => s.environment.kind === environment).map((s) => s.name).sort());
    for (const result of results) {
      expect(result.traffic.packetsStopped, `${name} ${result.scenario}`).toBe(0);
      for (const claim of result.claims) expect(claim.verdict, `${name} ${result.scenario} ${claim.id}: ${claim.because ?? ''}`).toMatch(/^(confirmed|refuted)$/);
      expect(existsSync(join(artifacts, `results-${name}`, `${result.scenario}.junit.xml`)), `${result.scenario}.junit.xml`).toBe(true);
    }
  });

  it.each(columns.map((c) => c.name))('%s: finds what test/matrix/expected/%s.json says', async (name) => {
    for (const result of await columnResults(join(artifacts, `results-${name}`))) expectFindingsAsRecorded(`../matrix/expected/${name}.json`, result);
  });

  it('compares the columns the way the compare job does, every column named', async () => {
    expect(compared.code, compared.stderrTail).toBe(0);
    const markdown = await readFile(join(artifacts, 'compare', 'compare.md'), 'utf8');
    for (const column of columns) expect(markdown).toContain(column.name);
  });
});
