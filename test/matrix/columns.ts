import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ScenarioResult } from '../../src/report/result.ts';

/** The result of a project command the workflow runs: its exit status and its last words (never thrown). */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderrTail: string;
}

/** Runs `bash scripts/<script> ...args` as the workflow's job would, with the output kept for the assertion messages. */
export async function runProjectScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return promisify(execFile)('bash', [`scripts/${script}`, ...args], { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderrTail: stderr.split('\n').slice(-20).join('\n') }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderrTail: (error.stderr ?? '').split('\n').slice(-20).join('\n') }),
  );
}

/** Every `<scenario>.json` results file a column directory holds (the layout compare reads). */
export async function columnResults(dir: string): Promise<ScenarioResult[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as ScenarioResult));
}
