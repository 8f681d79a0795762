import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { outcomeShape } from '../../src/compare/compare-matrix.ts';
import type { AttemptResult, ClaimResult, ScenarioResult } from '../../src/report/result.ts';

/**
 * What a scenario found, in the few words that make a finding: each claim's
 * verdict and each attempt's outcome (a fact with whether it held), with the
 * lab server that answered (`success by db`): an answer from the wrong
 * server is another finding, not the same one. Timings, addresses, run ids
 * and the generated part of a pod's name are left out: they differ from run
 * to run.
 */
export type Findings = Record<string, { verdict: string; attempts: string[] }>;

/** ` by <workload>` when a server of the run answered the attempt (the runner has taken np-<run>- off), else nothing. */
export function answeredBy(attempt: AttemptResult): string {
  const { outcome } = attempt;
  const server = outcome.kind === 'success' || outcome.kind === 'http-status' ? outcome.server : undefined;
  return server ? ` by ${outcomeShape(server)}` : '';
}

export function findingsOf(claims: readonly ClaimResult[]): Findings {
  return Object.fromEntries(
    claims.map((c) => [c.id, { verdict: c.verdict, attempts: c.attempts.map((a) => `${a.outcome.kind === 'fact' ? `fact:${a.outcome.holds ? 'holds' : 'does-not-hold'}` : a.outcome.kind}${answeredBy(a)}`) }]),
  );
}

/**
 * The findings expected on a standard Linux Docker host (Debian's Docker
 * 20.10, default settings) or on the lab's kind cluster sit in one golden
 * file per suite. A different engine shows here as a readable diff.
 */
export function expectFindingsAsRecorded(golden: string, result: ScenarioResult): void {
  expectAsRecorded(fileURLToPath(new URL(golden, import.meta.url)), { [result.scenario]: findingsOf(result.claims) });
}

/**
 * `observed` (per scenario) against the golden file at `path`. With
 * NETPROOF_UPDATE_FINDINGS=1 a table that changed is written, with a
 * readable diff beside the results (results/findings-diff/), and the test
 * fails all the same: a new table is a reviewed commit, never a silent pass.
 * A table that did not change passes.
 */
export function expectAsRecorded(path: string, observed: Readonly<Record<string, unknown>>): void {
  const all = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  const recorded = Object.fromEntries(Object.keys(observed).map((scenario) => [scenario, all[scenario]]));
  const what = `${Object.keys(observed).join(', ')} against ${path}`;
  if (process.env.NETPROOF_UPDATE_FINDINGS) {
    const changes = findingsDiff(recorded, observed);
    if (changes.length === 0) return;
    writeFileSync(path, JSON.stringify({ ...all, ...observed }, null, 2) + '\n');
    const diffFile = join('results', 'findings-diff', `${basename(dirname(path))}-${Object.keys(observed).join('+')}.diff`);
    mkdirSync(dirname(diffFile), { recursive: true });
    writeFileSync(diffFile, changes.join('\n') + '\n');
    throw new Error(`re-recorded ${what}; review ${diffFile} (and git diff), then commit it; this run fails so that no new table passes unread:\n${changes.join('\n')}`);
  }
  expect(observed, `${what} (a different engine or kind shows here; NETPROOF_UPDATE_FINDINGS=1 re-records it, and fails, for review)`).toEqual(recorded);
}

/** Per scenario and claim, `- old` / `+ new` lines for what changed; nothing when the tables agree. */
export function findingsDiff(recorded: Readonly<Record<string, unknown>>, observed: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  for (const [scenario, now] of Object.entries(observed)) {
    const before = (recorded[scenario] ?? {}) as Record<string, unknown>;
    const after = (now ?? {}) as Record<string, unknown>;
    for (const claim of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
      const [was, is] = [JSON.stringify(before[claim]), JSON.stringify(after[claim])];
      if (was === is) continue;
      lines.push(`${scenario} ${claim}:`);
      if (was !== undefined) lines.push(`- ${was}`);
      if (is !== undefined) lines.push(`+ ${is}`);
    }
  }
  return lines;
}
