import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { benchHelp, parseBenchArgs } from '../../src/cli/bench-options.ts';
import { clusterHelp } from '../../src/cli/cluster-command.ts';
import { flags, renderHelp, type CommandHelp } from '../../src/cli/help.ts';
import { cleanHelp, scenarioHelp } from '../../src/cli/scenario-options.ts';
import { claimIds, selectScenarios } from '../../src/cli/scenario-selection.ts';
import { compareHelp } from '../../src/compare/compare-command.ts';
import { UsageError } from '../../src/errors.ts';

const commands: Record<string, CommandHelp> = { scenario: scenarioHelp, cluster: clusterHelp, compare: compareHelp, clean: cleanHelp, bench: benchHelp };
const cli = (...args: string[]) => execa('node', ['src/cli/main.ts', ...args], { reject: false, timeout: 60_000 });
/** Every NETPROOF_* variable the commands read: process.env in src/ and bench/, `${NETPROOF_X:-…}` in the scripts netproof.sh runs. */
const grep = (pattern: string, ...paths: string[]) => execFileSync('grep', ['-rhoE', pattern, ...paths], { encoding: 'utf8' }).match(/NETPROOF_[A-Z_]*[A-Z]/g) ?? [];
const variablesRead = [...new Set([...grep('process\\.env\\.NETPROOF_[A-Z_]+', 'src', 'bench'), ...grep('\\$\\{NETPROOF_[A-Z_]+', 'scripts/netproof.sh', 'scripts/engine.sh', 'scripts/compose.sh', 'scripts/browser.sh')])];

describe('--help', () => {
  it.each(Object.entries(commands))('%s: lists every flag its parser takes, each with its meaning', (name, help) => {
    const text = renderHelp(help);
    for (const option of Object.keys(help.options).filter((o) => o !== 'help')) expect(text, `${name} --${option}`).toMatch(new RegExp(`^  --${option}\\b.*\\S{3}`, 'm'));
    for (const variable of help.variables.filter((v) => v !== 'NETPROOF_ENGINE' || 'engine' in help.options)) expect(text).toMatch(new RegExp(`^  ${variable}\\s+\\S`, 'm'));
    expect(text).toMatch(/^  -h, --help\s/m);
    expect(text).toContain(`npm run ${name} -- --flag`);
  });

  it('a flag without a description is a harness bug, never a silent gap', () => {
    expect(() => renderHelp({ ...compareHelp, options: { ...compareHelp.options, 'no-such-flag': { type: 'boolean' } } })).toThrow(/no description for --no-such-flag/);
  });

  it('scenario says where results go and how to choose a CNI and an engine', () => {
    const text = renderHelp(scenarioHelp);
    expect(text).toMatch(/^ {2}--results DIR\s+where to write/m);
    expect(text).toMatch(/^ {2}--cni X\s+.*NETPROOF_CNI=X/m);
    expect(text).toMatch(/^ {2}NETPROOF_CNI\s/m);
    // --engine is listed once the scenario command takes it (the engine-provider work), with its variable.
    if ('engine' in scenarioHelp.options) expect(text).toMatch(/^ {2}--engine X\s+.*NETPROOF_ENGINE=X[\s\S]*^ {2}NETPROOF_ENGINE\s/m);
    expect(flags.engine?.meaning).toContain('NETPROOF_ENGINE');
  });

  it('every NETPROOF_* variable the code reads is in some command\'s help', () => {
    const listed = new Set(Object.values(commands).flatMap((c) => c.variables));
    expect(variablesRead.length).toBeGreaterThan(5);
    expect(variablesRead.filter((v) => !listed.has(v))).toEqual([]);
  });

  it.each(['scenario', 'cluster', 'compare', 'clean'])('`%s --help` prints it and exits 0', async (command) => {
    const { exitCode, stdout } = await cli(command, '--help');
    expect(exitCode).toBe(0);
    expect(stdout).toBe(renderHelp(commands[command]!).trimEnd());
  }, 60_000);

  it('`bench --help` prints it and exits 0 without measuring anything', async () => {
    const { exitCode, stdout } = await execa('node', ['bench/bench.ts', '-h'], { reject: false, timeout: 60_000 });
    expect(exitCode).toBe(0);
    expect(stdout).toBe(renderHelp(benchHelp).trimEnd());
  }, 60_000);
});

describe('flag values', () => {
  it('--repeat and --runs take decimal whole numbers only', async () => {
    const results = await Promise.all(['1e3', '0x10', '2.0', ' '].map((n) => cli('--validate-only', 'scenario', 'docker-host-db', '--repeat', n)));
    for (const r of results) {
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/--repeat takes a decimal whole number of rounds \(1, 2, 3, …\), not "/);
    }
    // The usage after a mistake says where flags go: npm swallows those before `--`.
    expect(results[0]!.stderr).toContain('npm run scenario -- --help (flags go after `--`: npm keeps the ones before it)');
    expect(() => parseBenchArgs(['--runs', '1e1'])).toThrow(UsageError);
    expect(parseBenchArgs(['--runs', '12']).runs).toBe(12);
    expect(parseBenchArgs(['--suite', '--engine', '29.8']).engine).toBe('29.8');
    expect(() => parseBenchArgs(['--suite', '--engine', '30.0'])).toThrow(/unknown engine "30.0": use one of machine, 20.10/);
  }, 60_000);

  it('--claim is case-insensitive: d1 is D1', async () => {
    const specs = await selectScenarios({ names: [], claims: claimIds('d1,k5') });
    expect(specs.map((s) => [s.name, s.claims.map((c) => c.id)])).toEqual([
      ['docker-host-db', ['D1']],
      ['k8s-pod-network', ['K5']],
    ]);
  }, 30_000);

  // --validate-only shares every check with a real run (main.ts), and cannot start a lab if a check were missing.
  it('--results under /proc is a usage error, said at once (Node\'s recursive mkdir never returned there)', async () => {
    const started = performance.now();
    const { exitCode, stderr } = await cli('--validate-only', 'scenario', 'docker-host-db', '--results', '/proc/netproof-x');
    expect(exitCode).toBe(2);
    expect(stderr).toContain('cannot write to /proc/netproof-x: ENOENT; choose another with --results DIR');
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('a --junit path that cannot be written is found before the lab runs', async () => {
    const [underFile, directory] = await Promise.all([
      cli('--validate-only', 'scenario', 'docker-host-db', '--junit', 'package.json/junit.xml'),
      cli('--validate-only', 'scenario', 'docker-host-db', '--junit', 'src'),
    ]);
    expect(underFile.exitCode).toBe(2);
    expect(underFile.stderr).toContain('cannot write to package.json: ENOTDIR; choose another with --junit FILE');
    expect(directory.exitCode).toBe(2);
    expect(directory.stderr).toContain('--junit src is a directory: name a file in it instead');
  }, 60_000);
});

/** scripts/netproof.sh as a user without root: what needs no lab must not ask for root, nor prepare an engine. */
const canDropRoot = process.getuid?.() === 0 && (() => {
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true']);
    // nobody must be able to read this checkout and its node_modules.
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'test', '-r', 'node_modules/.netproof-lock']);
    return readFileSync('node_modules/.netproof-lock', 'utf8').length > 0;
  } catch {
    return false;
  }
})();
const asNobody = (...args: string[]) =>
  execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env', 'HOME=/tmp', `PATH=${process.env.PATH}`, 'bash', 'scripts/netproof.sh', ...args], { reject: false, timeout: 120_000 });

describe.runIf(canDropRoot)('scripts/netproof.sh checks the arguments before root and the engine', () => {
  it('--help as a user without root prints the help (it used to exit 3, "needs root")', async () => {
    const { exitCode, stdout, stderr } = await asNobody('scenario', '--help');
    expect(stderr).not.toContain('needs root');
    expect(exitCode).toBe(0);
    expect(stdout).toBe(renderHelp(scenarioHelp).trimEnd());
  }, 120_000);

  it('a misspelt scenario is a usage error (2) before root or an engine is asked for', async () => {
    const { exitCode, stderr } = await asNobody('scenario', 'docker-hots-db');
    expect(exitCode).toBe(2);
    expect(stderr).toContain('unknown scenario "docker-hots-db"');
    expect(stderr).not.toContain('needs root');
  }, 120_000);

  it('a valid run still needs root: said with exit 3', async () => {
    const { exitCode, stderr } = await asNobody('clean');
    expect(exitCode).toBe(3);
    expect(stderr).toContain('netproof needs root');
  }, 120_000);
});
