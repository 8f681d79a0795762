import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/outcome/outcome.ts';
import { cellKey, compareTable, reachOf, type ObservedCell, type TruthTable } from '../../src/verdict/truth-table.ts';

const table: TruthTable = {
  rows: ['a', 'b'],
  columns: ['s', 't'],
  expected: new Map([[cellKey('a', 's'), 'connects'], [cellKey('a', 't'), 'connects'], [cellKey('b', 's'), 'blocked'], [cellKey('b', 't'), 'connects']]),
};
const cell = (outcome: Outcome): ObservedCell => ({ outcome, evidence: [] });
const ok = cell({ kind: 'success' });
const dropped = cell({ kind: 'timeout', afterMs: 2000 });

describe('NetworkPolicy truth tables', () => {
  it('reads reach only from outcomes that can mean it: a refusal is not a policy', () => {
    expect(reachOf({ kind: 'success' })).toBe('connects');
    expect(reachOf({ kind: 'timeout', afterMs: 1 })).toBe('blocked');
    expect(reachOf({ kind: 'no-route' })).toBe('blocked');
    expect(reachOf({ kind: 'refused' })).toBe('inconclusive');
    expect(reachOf({ kind: 'check-failed', reason: 'x' })).toBe('inconclusive');
  });

  it('matches when every cell is as expected, and prints expected and observed as ./X tables', () => {
    const result = compareTable(table, new Map([[cellKey('a', 's'), ok], [cellKey('a', 't'), ok], [cellKey('b', 's'), dropped], [cellKey('b', 't'), ok]]));
    expect(result.matches).toBe(true);
    expect(result.text).toContain('expected\n   1 2 \na  . . \nb  X . ');
    expect(result.text).toContain('(1=s 2=t)');
  });

  it('marks a differing cell X in the comparison and names it', () => {
    const result = compareTable(table, new Map([[cellKey('a', 's'), ok], [cellKey('a', 't'), ok], [cellKey('b', 's'), ok], [cellKey('b', 't'), ok]]));
    expect(result.matches).toBe(false);
    expect(result.differences).toEqual(['b→s: expected blocked, observed success']);
    expect(result.text.split('comparison')[1]).toContain('b  X . ');
  });

  it('never counts a failed or missing probe as either answer', () => {
    const result = compareTable(table, new Map([[cellKey('a', 's'), cell({ kind: 'check-failed', reason: 'exec failed' })], [cellKey('b', 's'), dropped], [cellKey('b', 't'), ok]]));
    expect(result.matches).toBe(false);
    expect(result.differences).toEqual([]);
    expect(result.inconclusive).toEqual(['a→s: check-failed', 'a→t: not probed']);
    expect(result.text.split('comparison')[1]).toContain('a  ? ? ');
  });
});

describe('cells without an expectation', () => {
  it('are shown but never judged', () => {
    const partial: TruthTable = { ...table, expected: new Map([[cellKey('b', 's'), 'blocked']]) };
    const result = compareTable(partial, new Map([[cellKey('b', 's'), dropped], [cellKey('a', 's'), ok]]));
    expect(result.matches).toBe(true);
    expect(result.text).toContain('expected\n   1 2 \na  - - \nb  X - ');
    expect(result.text.split('observed')[1]).toContain('a  . ? ');
  });
});
