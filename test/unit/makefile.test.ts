import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareOptions } from '../../src/compare/compare-command.ts';

/** The Makefile's targets are aliases of npm scripts: each recipe is one `npm run <script>` (or `npm test`) of package.json. */
const makefile = readFileSync('Makefile', 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
const recipes = [...makefile.matchAll(/^([a-z-]+):.*\n((?:\t.*\n)+)/gm)].map(([, target, body]) => ({ target: target!, lines: body!.trim().split('\n').map((l) => l.trim()) }));
const hasMake = (() => {
  try {
    execFileSync('make', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('Makefile', () => {
  it('has the targets people expect, each one npm script', () => {
    expect(recipes.map((r) => r.target)).toEqual(expect.arrayContaining(['help', 'scenario', 'test', 'cluster-up', 'compare', 'clean']));
    for (const { target, lines } of recipes.filter((r) => r.target !== 'help')) {
      expect(lines, target).toHaveLength(1);
      const [, script] = /^npm (?:run )?([a-z-]+)/.exec(lines[0]!) ?? [];
      // `compare` comes with the comparison command; every other target's script exists now.
      if (target !== 'compare') expect(scripts, `${target} runs npm ${script}`).toContain(script);
    }
  });

  it.runIf(hasMake)('expands S and ARGS into the npm command, and help lists every target', () => {
    const dry = (...args: string[]) => execFileSync('make', ['-n', ...args], { encoding: 'utf8' }).trim();
    expect(dry('scenario', 'S=docker-host-db', 'ARGS=--claim D1 --repeat 3')).toBe('npm run scenario docker-host-db -- --claim D1 --repeat 3');
    expect(dry('cluster-up')).toBe('npm run cluster up');
    const help = execFileSync('make', ['help'], { encoding: 'utf8' });
    for (const { target } of recipes) expect(help).toContain(`make ${target}`);
  });

  it.runIf(hasMake)("says where compare writes, and that make's exit code is 2 whatever its command's was", () => {
    const help = execFileSync('make', ['help'], { encoding: 'utf8' });
    expect(help).toMatch(new RegExp(`make compare .*→ ${compareOptions.out.default}/compare\\.\\{md,json,html\\}`));
    // GNU make reports a failed recipe as its own 2: a command's 1, 3 or 4 does not come through.
    const failed = spawnSync('make', ['-s', '-f', '-', 'fails'], { input: 'fails:\n\t@exit 3\n', encoding: 'utf8' });
    expect(failed.status).toBe(2);
    expect(help).toContain('make exits 2 whenever its command fails, whatever the code; npm run gives the exit codes');
  });
});
