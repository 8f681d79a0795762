import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scenarioResult } from '../fixtures/scenario-result.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

const workflow = await readFile('.github/workflows/cni-matrix.yml', 'utf8');
const scripts = (JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
/** Every `run:` body of the workflow (one line, or a `|` block). */
const runBodies = [...workflow.matchAll(/^(\s+)run: (\|\n((?:\1  .*\n|\s*\n)+)|.*)$/gm)].map((m) => (m[3] ?? m[2]!).trim());
const bash = (args: string[]) =>
  promisify(execFile)('bash', args, { timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("the workflow's jobs are project commands", () => {
  it('each scenario-running or comparing step is one npm script of package.json', () => {
    const projectCommands = runBodies.filter((body) => /npm run|scenario|compare/.test(body));
    expect(projectCommands.length).toBeGreaterThanOrEqual(3);
    for (const body of projectCommands) {
      const [, script] = /^npm run ([\w:-]+)(?: -- .*)?$/.exec(body) ?? [];
      expect(script, `"${body}" is one npm script`).toBeDefined();
      expect(Object.keys(scripts)).toContain(script);
    }
    expect(workflow).toContain('npm run column -- kubernetes "$NETPROOF_CNI" "results/$NETPROOF_CNI"');
    expect(workflow).toContain('npm run column -- docker "results/docker-$RUNNER"');
    expect(workflow).toContain('npm run column -- docker "results/engine-$NETPROOF_ENGINE"');
    expect(workflow).toContain('npm run compare-artifacts -- downloaded results/compare');
  });

  it('uploads results-<column> artifacts, which the compare job downloads into downloaded/', () => {
    expect(workflow).toContain('name: results-${{ matrix.cni }}');
    expect(workflow).toContain('name: results-docker-${{ matrix.runner }}');
    expect(workflow).toContain('name: results-engine-${{ matrix.engine }}');
    expect(workflow).toMatch(/pattern: results-\*\n\s+path: downloaded/);
  });

  it('compare-artifacts.sh reads the download layout (DIR/results-<column>/<scenario>.json) and names every column', async () => {
    const root = await temporaryDirectory('np-artifacts-');
    for (const column of ['kindnet', 'docker']) {
      await mkdir(join(root, `results-${column}`), { recursive: true });
      await writeFile(join(root, `results-${column}`, 'docker-host-db.json'), JSON.stringify({ ...scenarioResult, environment: { ...scenarioResult.environment, column } }));
    }
    const run = await bash(['scripts/compare-artifacts.sh', root, join(root, 'out')]);
    expect(run.code, run.stderr).toBe(0);
    const header = (await readFile(join(root, 'out', 'compare.md'), 'utf8')).split('\n').find((line) => line.includes('kindnet'));
    expect(header).toContain('docker');
  });

  it('compare-artifacts.sh compares the columns that hold results, names a failed leg\'s empty one, and fails', async () => {
    const root = await temporaryDirectory('np-artifacts-');
    for (const column of ['kindnet', 'docker']) {
      await mkdir(join(root, `results-${column}`), { recursive: true });
      await writeFile(join(root, `results-${column}`, 'docker-host-db.json'), JSON.stringify(scenarioResult));
    }
    await mkdir(join(root, 'results-cilium'), { recursive: true });
    const run = await bash(['scripts/compare-artifacts.sh', root, join(root, 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('left out, no results (their legs wrote none): cilium');
    expect(await readFile(join(root, 'out', 'compare.md'), 'utf8')).toContain('docker');
  });

  it('compare-artifacts.sh says what is wrong with a tree holding no results-<column>', async () => {
    const run = await bash(['scripts/compare-artifacts.sh', await temporaryDirectory('np-artifacts-')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no results-<column> directory/);
  });

  it('column.sh rejects a call that names no environment', async () => {
    const run = await bash(['scripts/column.sh', 'swarm', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: column.sh kubernetes CNI DIR \| docker DIR/);
  });

  it('a batch takes --junit DIR/ (a file per scenario), and a single --junit FILE only with one scenario', async () => {
    const run = await promisify(execFile)('node', ['src/cli/main.ts', 'scenario', '--all', '--docker', '--junit', join(tmpdir(), 'one.xml')]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--junit DIR/');
  });
});
