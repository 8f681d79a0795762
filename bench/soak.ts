import { execa } from 'execa';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { leftovers, nothingLeft } from '../src/lab/leftovers.ts';
import type { Logger } from '../src/log.ts';
import type { ScenarioResult } from '../src/report/result.ts';

/**
 * `npm run bench -- --soak`: the Docker suite again and again, then side by
 * side. Figures, not a test: verdict flips between rounds (target 0), the
 * share of claims that came out conclusive (target 100%), what any run left
 * on the machine (target 0), and how much slower three suites side by side
 * are than one.
 */
interface SuiteRound {
  readonly seconds: number;
  readonly claims: ScenarioResult[];
  /** Why the CLI did not end normally (exit code and its last words); a round that failed is no figure. */
  readonly failed?: string;
}

async function suiteOnce(results: string): Promise<SuiteRound> {
  const started = performance.now();
  const run = await execa('node', ['src/cli/main.ts', 'scenario', '--all', '--docker', '--results', results], { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', env: { CI: 'true' }, reject: false });
  const seconds = (performance.now() - started) / 1000;
  // 0: every scenario ran (refuted claims are findings); anything else is the harness's failure, kept with its reason.
  const failed = run.exitCode === 0 ? undefined : `exit ${run.exitCode ?? run.signal}: ${String(run.stderr).trim().split('\n').slice(-3).join(' | ')}`;
  const files = (await readdir(results)).filter((f) => f.endsWith('.json'));
  const claims = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(results, f), 'utf8')) as ScenarioResult));
  return { seconds, claims, failed };
}

async function leaked(results: readonly ScenarioResult[]): Promise<string[]> {
  const left: string[] = [];
  for (const result of results) {
    const found = await leftovers(result.runId);
    if (JSON.stringify(found) !== JSON.stringify(nothingLeft)) left.push(`${result.scenario} (${result.runId}): ${JSON.stringify(found)}`);
  }
  return left;
}

export async function soak(rounds: number, logger: Logger, median: (xs: number[]) => number): Promise<string[]> {
  const verdicts = new Map<string, Set<string>>();
  let claims = 0;
  let conclusive = 0;
  const leaks: string[] = [];
  const alone: number[] = [];
  const failures: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    const { seconds, claims: results, failed } = await suiteOnce(await mkdtemp(join('/tmp', 'netproof-soak-')));
    if (failed) failures.push(`round ${round}: ${failed}`);
    else alone.push(seconds);
    for (const result of results) {
      for (const claim of result.claims) {
        const key = `${result.scenario} ${claim.id}`;
        verdicts.set(key, (verdicts.get(key) ?? new Set()).add(claim.verdict));
        claims++;
        if (claim.verdict !== 'inconclusive') conclusive++;
      }
    }
    leaks.push(...(await leaked(results)));
    logger.info(`soak round ${round}/${rounds}: ${seconds.toFixed(1)} s, ${results.length} scenarios${failed ? `, FAILED (${failed})` : ''}`);
  }
  const started = performance.now();
  const sideBySide = await Promise.all([1, 2, 3].map(async () => suiteOnce(await mkdtemp(join('/tmp', 'netproof-soak-')))));
  const together = (performance.now() - started) / 1000;
  sideBySide.forEach((s, i) => s.failed && failures.push(`side by side ${i + 1}: ${s.failed}`));
  leaks.push(...(await leaked(sideBySide.flatMap((s) => s.claims))));
  const sideFlips = sideBySide.flatMap((s) => s.claims.flatMap((r) => r.claims.filter((c) => !verdicts.get(`${r.scenario} ${c.id}`)?.has(c.verdict)).map((c) => `${r.scenario} ${c.id} ${c.verdict}`)));
  const flips = [...verdicts].filter(([, seen]) => seen.size > 1).map(([key, seen]) => `${key}: ${[...seen].join(' / ')}`);
  return [
    `Docker suite soak: ${rounds} rounds in a row, then 3 side by side`,
    `  failed runs        ${failures.length} (target 0)${failures.map((f) => `\n    ${f}`).join('')}`,
    `  verdict flips      ${flips.length + sideFlips.length} (target 0)${[...flips, ...sideFlips].map((f) => `\n    ${f}`).join('')}`,
    `  conclusive         ${((100 * conclusive) / Math.max(1, claims)).toFixed(1)}% of ${claims} claims (target 100%)`,
    `  leaked resources   ${leaks.length} runs (target 0)${leaks.map((l) => `\n    ${l}`).join('')}`,
    `  one suite alone    median ${median(alone).toFixed(1)} s of ${alone.length} rounds that ran`,
    `  3 side by side     ${together.toFixed(1)} s for all three = ${(together / median(alone)).toFixed(2)}x one suite (they wait for each other's host ports and LAN)`,
  ];
}
