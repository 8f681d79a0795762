import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { engines } from '../../src/environment/docker/index.ts';
import { cniNames, offlineCniNames } from '../../src/environment/kind/index.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

const workflow = '.github/workflows/cni-matrix.yml';
/** actionlint's exit status and output; the script builds the pinned actionlint once. */
const actionlint = (file: string) =>
  promisify(execFile)('bash', ['scripts/actionlint.sh', file], { timeout: 600_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

describe('the CNI matrix workflow', () => {
  it('passes actionlint', async () => {
    expect(await actionlint(workflow)).toEqual({ code: 0, stdout: '' });
  }, 600_000);

  it('is checked for real: actionlint rejects a broken copy', async () => {
    const broken = join(await temporaryDirectory('np-actionlint-'), 'broken.yml');
    await writeFile(broken, (await readFile(workflow, 'utf8')).replace('runs-on: ubuntu-24.04', 'runs-on: ${{ matrix.nothing }}'));
    const result = await actionlint(broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/matrix/);
  }, 600_000);

  it('runs every CNI the lab supports (upstream kindnet in upstream supply only), compares them, and runs the Docker scenarios', async () => {
    const text = await readFile(workflow, 'utf8');
    const lists = /cni: \$\{\{ fromJSON\(inputs\.supply == 'offline' && '(\[[^']*\])' \|\| '(\[[^']*\])'\) \}\}/.exec(text);
    expect(lists, 'the cni matrix: one list per supply').not.toBeNull();
    const [offline, upstream] = [JSON.parse(lists![1]!) as string[], JSON.parse(lists![2]!) as string[]];
    expect([...upstream].sort()).toEqual([...cniNames].sort());
    expect(offline).toEqual(offlineCniNames);
    // The job bodies are project commands (test/unit/workflow-commands.test.ts): a column per CNI, the Docker column, the compare job.
    expect(text).toContain('npm run column -- kubernetes "$NETPROOF_CNI"');
    expect(text).toContain('npm run column -- docker');
    expect(text).toContain('npm run compare-artifacts --');
  });

  it("runs the Docker scenarios on both runners' engines and on every lab-host engine of the registry", async () => {
    const text = await readFile(workflow, 'utf8');
    expect(text).toContain('runner: [ubuntu-24.04, ubuntu-26.04]');
    // Quoted: YAML would read 20.10 as the number 20.1.
    const labHosts = Object.keys(engines).filter((name) => name !== 'machine');
    expect(text).toContain(`engine: [${labHosts.map((name) => `'${name}'`).join(', ')}]`);
    expect(text).toContain('npm run column -- docker "results/engine-$NETPROOF_ENGINE"');
    expect(text).toMatch(/needs: \[kubernetes, docker, engines\]/);
  });
});
