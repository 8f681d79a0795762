import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLogger } from '../../src/cli/progress.ts';
import { mergeRounds, repeatsWords } from '../../src/report/repeats.ts';
import type { ClaimResult } from '../../src/report/result.ts';
import { renderTable } from '../../src/report/table.ts';
import { scenarioResult } from '../fixtures/scenario-result.ts';

const d1 = scenarioResult.claims[0]!;
const withFirst = (claim: ClaimResult, outcome: ClaimResult['outcome'], verdict: ClaimResult['verdict']): ClaimResult => ({
  ...claim,
  verdict,
  attempts: [{ ...claim.attempts[0]!, outcome, verdict }, ...claim.attempts.slice(1)],
});

describe('--repeat', () => {
  it('counts each attempt’s outcomes over the rounds and marks a claim whose verdict changed as flaky', () => {
    const rounds = [
      [withFirst(d1, { kind: 'success' }, 'confirmed')],
      [withFirst(d1, { kind: 'timeout', afterMs: 5000 }, 'refuted')],
      [withFirst(d1, { kind: 'success' }, 'confirmed')],
    ];
    const [merged] = mergeRounds(rounds);
    expect(merged!.repeats).toEqual({ rounds: 3, outcomes: [{ success: 2, timeout: 1 }, { success: 3 }], verdicts: { confirmed: 2, refuted: 1 }, flaky: true });
    // The first round's verdict and evidence stay; the flakiness is said, not averaged away.
    expect(merged!.verdict).toBe('confirmed');
    expect(repeatsWords(merged!.repeats!)).toBe('confirmed 2/3, refuted 1/3 (flaky)');
    const table = renderTable({ ...scenarioResult, claims: [merged!] });
    expect(table).toContain('success [success×2 timeout×1]');
    expect(table).toContain('confirmed — claim confirmed 2/3, refuted 1/3 (flaky)');
  });

  it('a steady claim is not flaky', () => {
    const [merged] = mergeRounds([[d1], [d1]]);
    expect(merged!.repeats).toMatchObject({ rounds: 2, verdicts: { refuted: 2 }, flaky: false });
  });
});

describe('progress', () => {
  it('writes plain step lines when stderr is not a terminal (CI, a pipe)', async () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (written += chunk.toString()));
    const logger = progressLogger(stream, {});
    await logger.step('starting db', async () => logger.info('db is up'));
    expect(written).toMatch(/^• starting db …\n  db is up\n✓ starting db \(\d+\.\d s\)\n$/);
  });
});
