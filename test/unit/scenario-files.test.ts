import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Mistakes a user makes in a scenario file get a usage error (exit 2) that
 * names the file and line and what to change, never a stack trace; the
 * other scenarios still list. The files are real, in a folder beside
 * scenarios/ (so their imports resolve), that the CLI is pointed at.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
// Each case starts the CLI, which loads every scenario: seconds apiece on two busy cores.
vi.setConfig({ testTimeout: 60_000 });
let dir: string;
const cli = (...args: string[]) => execa('node', ['src/cli/main.ts', ...args], { reject: false, cwd: root, env: { NETPROOF_SCENARIOS_DIR: dir } });

const header = `import { docker } from '../src/environment/environment.ts';
import { tcpConnect } from '../src/probes/tcp-connect.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { container } from '../src/workloads/lab-container.ts';
`;
const scenario = (name: string, workloads: string, claims: string) =>
  `${header}
export default defineScenario({
  name: '${name}',
  title: 'a test scenario',
  environment: docker(),
  workloads: {
${workloads}
  },
  claims: [
${claims}
  ],
});
`;
const web = `    web: container({ image: 'toolbox' }),`;
const claim = (id: string, from = 'web') => `    { id: '${id}', article: '002', from: '${from}', says: 'x', expect: Expect.connects, attempts: [tcpConnect('127.0.0.1', 80)], why: {} },`;

beforeAll(async () => {
  dir = await mkdtemp(join(root, '.scenario-fixtures-'));
  const files: Record<string, string> = {
    good: scenario('good', web, claim('D1')),
    syntax: `${header}\nexport default defineScenario({\n  name: 'syntax',,\n});\n`,
    ghost: scenario('ghost', web, claim('D1', 'phantom')),
    twice: scenario('twice', web, `${claim('D1')}\n${claim('D1')}`),
    circle: scenario('circle', `    a: { ...container({ image: 'toolbox' }), dependsOn: ['b'] },\n    b: { ...container({ image: 'toolbox' }), dependsOn: ['a'] },`, claim('D1', 'a')),
    netless: scenario('netless', `    web: container({ image: 'toolbox', network: 'backstage' }),`, claim('D1')),
    imageless: scenario('imageless', `    web: container({ image: 'nosuchimage' as never }),`, claim('D1')),
    misnamed: scenario('other-name', web, claim('D1')),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, `${name}.ts`), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a broken scenario file', () => {
  it.each([
    ['syntax', /syntax\.ts:8: .*(Unexpected token|Expression expected|expected)/i],
    ['ghost', /ghost\.ts:\d+: claim D1 is tried from "phantom", which is not a workload \(web\) or "host"/],
    ['twice', /twice\.ts:\d+: claim D1 appears twice: give each claim its own id/],
    ['circle', /circle\.ts:\d+: workloads depend on each other in a circle: a → b → a/],
    ['netless', /netless\.ts:\d+: workload web joins network "backstage", which the scenario does not declare under networks and which is not a Docker network mode; write one of: .bridge., .host., .none., .container:<workload>. \(no other workload to join\), a network declared under networks \(none declared\)/],
    ['imageless', /imageless\.ts:\d+: workload web runs image "nosuchimage", which the lab does not build/],
    ['misnamed', /misnamed\.ts:\d+: it declares the name "other-name": a scenario is named after its file/],
  ])('%s: exit 2, the file and line, what to change, no stack trace', async (name, message) => {
    const { exitCode, stderr } = await cli('scenario', name);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('(fix the file, or move it out of scenarios/)');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('points at the line that names the mistake, not at the defineScenario call', async () => {
    const { stderr } = await cli('scenario', 'ghost');
    // The claim naming "phantom" is line 15 of the generated file: 5 import lines, a blank, 8 lines of scenario before it.
    expect(stderr).toMatch(/ghost\.ts:15: /);
  });

  it('does not hide the others from --list, and is named there', async () => {
    const { exitCode, stdout, stderr } = await cli('scenario', '--list');
    expect(stdout).toMatch(/^good\s+docker\s+D1$/m);
    expect(stderr).toMatch(/ghost\.ts:\d+: claim D1 is tried from "phantom"/);
    expect(exitCode).toBe(2);
  });
});

describe('other mistakes a user makes', () => {
  it('a scenario name with a path in it is an unknown scenario', async () => {
    const { exitCode, stderr } = await execa('node', ['src/cli/main.ts', 'scenario', '../scenarios/docker-host-db'], { reject: false, cwd: root });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('unknown scenario "../scenarios/docker-host-db". Known scenarios: ');
  });

  it('a results directory that cannot be written is said before anything runs', async () => {
    // Under a regular file: no directory can be made there (ENOTDIR), for root too.
    const { exitCode, stderr } = await execa('node', ['src/cli/main.ts', 'scenario', 'docker-host-db', '--results', 'package.json/results'], { reject: false, cwd: root });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/cannot write to package\.json\/results: ENOTDIR; choose another with --results DIR/);
  });
});
