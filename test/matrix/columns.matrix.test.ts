import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../src/environment/docker/index.ts';
import { offlineCniNames } from '../../src/environment/kind/index.ts';
import { scanScenarios } from '../../src/scenario/registry.ts';
import { expectFindingsAsRecorded } from '../integration/findings.ts';
import { columnResults, runProjectScript, type CommandRun } from './columns.ts';

/** A column: what column.sh is given, with which environment, and its golden table (relative to test/integration/findings.ts). */
interface Column {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly golden: string;
}

/**
 * Every column the lab can make here: each CNI's Kubernetes scenarios, the
 * Docker scenarios on the machine's engine (the integration suite's golden
 * table) and on every lab-host engine (NETPROOF_ENGINE, as the workflow's
 * engines job sets it), each engine with its own reviewed table.
 */
const columns: Column[] = [
  // Upstream kindnet needs kind's own node image (a registry): a column of the workflow's upstream supply, not of this tier.
  ...offlineCniNames
    .map((cni) => ({ name: cni, args: ['kubernetes', cni], golden: `../matrix/expected/${cni}.json` })),
  { name: 'docker', args: ['docker'], golden: './expected-findings.json' },
  ...Object.keys(engines)
    .filter((engine) => engine !== 'machine')
    // Debian's 20.10 as a lab host finds what the machine's Debian 20.10 does (lab-host-engine.int.test.ts).
    .map((engine) => ({ name: `engine-${engine}`, args: ['docker'], env: { NETPROOF_ENGINE: engine }, golden: engine === '20.10' ? './expected-findings.json' : `../matrix/expected/engine-${engine}.json` })),
];
const columnNamed = (name: string) => columns.find((c) => c.name === name)!;
/** What a column's golden table records as inconclusive: reviewed as not triable there (swarm on the nftables backend). */
const recordedInconclusive = (column: Column, scenario: string, claim: string): boolean => {
  const path = fileURLToPath(new URL(column.golden, new URL('../integration/findings.ts', import.meta.url)));
  const table = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, { verdict: string }>>) : {};
  return table[scenario]?.[claim]?.verdict === 'inconclusive';
};

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
    // In the project's results, as the workflow's download lays them out: there to read after a failure.
    artifacts = join('results', 'matrix');
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    for (const column of columns) {
      runs.set(column.name, await runProjectScript('column.sh', [...column.args, join(artifacts, `results-${column.name}`)], column.env));
    }
    compared = await runProjectScript('compare-artifacts.sh', [artifacts, join(artifacts, 'compare')]);
  });

  it.each(columns.map((c) => c.name))('%s: every scenario of its environment ran, every claim conclusive, nothing stopped', async (name) => {
    const run = runs.get(name)!;
    expect(run.code, `column.sh ${name} exit; last words:\n${run.stderrTail}`).toBe(0);
    const results = await columnResults(join(artifacts, `results-${name}`));
    const environment = columnNamed(name).args[0] === 'docker' ? 'docker' : 'kind';
    expect(results.map((r) => r.scenario).sort()).toEqual((await scanScenarios()).specs.filter((s) => s.environment.kind === environment).map((s) => s.name).sort());
    for (const result of results) {
      expect(result.traffic.packetsStopped, `${name} ${result.scenario}`).toBe(0);
      for (const claim of result.claims) {
        if (recordedInconclusive(columnNamed(name), result.scenario, claim.id)) continue;
        expect(claim.verdict, `${name} ${result.scenario} ${claim.id}: ${claim.because ?? ''}`).toMatch(/^(confirmed|refuted)$/);
      }
      expect(existsSync(join(artifacts, `results-${name}`, `${result.scenario}.junit.xml`)), `${result.scenario}.junit.xml`).toBe(true);
    }
  });

  it.each(columns.map((c) => c.name))('%s: finds what its golden table says', async (name) => {
    for (const result of await columnResults(join(artifacts, `results-${name}`))) expectFindingsAsRecorded(columnNamed(name).golden, result);
  });

  it('compares the columns the way the compare job does, every column named', async () => {
    expect(compared.code, compared.stderrTail).toBe(0);
    const markdown = await readFile(join(artifacts, 'compare', 'compare.md'), 'utf8');
    for (const column of columns) expect(markdown).toContain(column.name);
  });
});
