import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ClaimResult, ScenarioResult } from '../../src/report/result.ts';

/**
 * What a scenario found, in the few words that make a finding: each claim's
 * verdict and each attempt's outcome (a fact with whether it held). Timings,
 * addresses and run ids are left out: they differ from run to run.
 */
export type Findings = Record<string, { verdict: string; attempts: string[] }>;

export function findingsOf(claims: readonly ClaimResult[]): Findings {
  return Object.fromEntries(
    claims.map((c) => [c.id, { verdict: c.verdict, attempts: c.attempts.map((a) => (a.outcome.kind === 'fact' ? `fact:${a.outcome.holds ? 'holds' : 'does-not-hold'}` : a.outcome.kind)) }]),
  );
}

/**
 * The findings expected on a standard Linux Docker host (Debian's Docker
 * 20.10, default settings) or on the lab's kind cluster sit in one golden
 * file per suite. A different engine shows here as a readable diff; with
 * NETPROOF_UPDATE_FINDINGS=1 the run records what it saw instead.
 */
export function expectFindingsAsRecorded(golden: string, result: ScenarioResult): void {
  const path = fileURLToPath(new URL(golden, import.meta.url));
  const all = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Findings>) : {};
  const observed = findingsOf(result.claims);
  if (process.env.NETPROOF_UPDATE_FINDINGS) {
    writeFileSync(path, JSON.stringify({ ...all, [result.scenario]: observed }, null, 2) + '\n');
    return;
  }
  expect(observed, `${result.scenario}'s findings against ${golden} (a different engine or kind shows here; NETPROOF_UPDATE_FINDINGS=1 records a new baseline)`).toEqual(all[result.scenario]);
}
