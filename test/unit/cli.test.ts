import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

/** The CLI's answers that need no engine: listing and usage errors. */
const cli = (...args: string[]) => execa('node', ['src/cli/main.ts', ...args], { reject: false });

describe('netproof CLI', () => {
  it('--list --json prints every scenario with its claim ids', async () => {
    const { exitCode, stdout } = await cli('scenario', '--list', '--json');
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toContainEqual({ name: 'docker-host-db', claims: ['D1', 'D2', 'D3', 'D7', 'D8', 'D19'] });
  });

  it('an unknown scenario is a usage error (2) that lists the known ones', async () => {
    const { exitCode, stderr } = await cli('scenario', 'docker-host-dbb');
    expect(exitCode).toBe(2);
    expect(stderr).toContain('unknown scenario "docker-host-dbb". Known scenarios: ');
    expect(stderr).toContain('docker-host-db');
    expect(stderr).toContain('usage:');
  });

  it('an unknown flag or no scenario name is a usage error', async () => {
    expect((await cli('scenario', 'docker-host-db', '--frobnicate')).exitCode).toBe(2);
    expect((await cli('scenario')).stderr).toContain('name a scenario');
  });
});
