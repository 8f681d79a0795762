import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { contextScript, contextSections } from '../../src/workloads/container-exec.ts';

describe("a source's context commands in one exec", () => {
  it('runs each command under its own `$ command` line, and reads the output back command by command', () => {
    const commands = [['echo', 'one two'], ['printf', '%s\\n', "it's"], ['sh', '-c', 'echo to stderr >&2; echo out']];
    const [shell, flag, script] = contextScript(commands);
    expect([shell, flag]).toEqual(['sh', '-c']);
    const stdout = execFileSync(shell!, [flag!, script!], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect([...contextSections(stdout)]).toEqual([
      ["echo 'one two'", 'one two\n'],
      ["printf '%s\\n' 'it'\\''s'", "it's\n"],
      ["sh -c 'echo to stderr >&2; echo out'", 'out\n'],
    ]);
  });

  it('runs a single command as it is, with no shell around it', () => {
    expect(contextScript([['ss', '-ltn', 'sport = :5432']])).toEqual(['ss', '-ltn', 'sport = :5432']);
  });
});
