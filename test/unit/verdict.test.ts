import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/outcome/outcome.ts';
import { Expect } from '../../src/verdict/expect.ts';
import { explain } from '../../src/verdict/explain.ts';
import { combine, judge } from '../../src/verdict/verdict.ts';

describe('judge', () => {
  const table: [string, Parameters<typeof judge>[0], Outcome, string][] = [
    ['connects, success', Expect.connects, { kind: 'success' }, 'confirmed'],
    ['connects, refused', Expect.connects, { kind: 'refused' }, 'refuted'],
    ['connects, timeout', Expect.connects, { kind: 'timeout', afterMs: 5000 }, 'refuted'],
    ['fails, refused', Expect.fails, { kind: 'refused' }, 'confirmed'],
    ['fails, dns', Expect.fails, { kind: 'dns', name: 'x' }, 'confirmed'],
    ['fails, success', Expect.fails, { kind: 'success' }, 'refuted'],
    ['fails, auth failure: the server was reached', Expect.fails, { kind: 'auth-failure' }, 'refuted'],
    ['unreachable, refused: something answered', Expect.unreachable, { kind: 'refused' }, 'refuted'],
    ['HTTP 200, 200', Expect.httpStatus(200), { kind: 'http-status', status: 200 }, 'confirmed'],
    ['HTTP 200, 502', Expect.httpStatus(200), { kind: 'http-status', status: 502 }, 'refuted'],
    ['fact holds', Expect.holds('x'), { kind: 'fact', holds: true, observed: 'x' }, 'confirmed'],
    ['fact does not hold', Expect.holds('x'), { kind: 'fact', holds: false, observed: 'y' }, 'refuted'],
    ['harness failure is never a verdict', Expect.fails, { kind: 'check-failed', reason: 'exec failed' }, 'inconclusive'],
    ['unclassified error is never a verdict', Expect.fails, { kind: 'other', message: '?' }, 'inconclusive'],
  ];
  it.each(table)('%s → %s', (_name, expectation, outcome, verdict) => {
    expect(judge(expectation, outcome)).toBe(verdict);
  });
});

describe('combine', () => {
  it('is refuted when any attempt is, inconclusive when any is and none refuted', () => {
    expect(combine(['confirmed', 'confirmed'])).toBe('confirmed');
    expect(combine(['confirmed', 'refuted', 'inconclusive'])).toBe('refuted');
    expect(combine(['confirmed', 'inconclusive'])).toBe('inconclusive');
    expect(combine([])).toBe('inconclusive');
  });
});

describe('explain', () => {
  it("uses the claim's reason for the observed outcome, else a generic one", () => {
    expect(explain({ kind: 'refused' }, { refused: 'loopback is the container' })).toBe('loopback is the container');
    expect(explain({ kind: 'timeout', afterMs: 1 }, {})).toMatch(/nothing answered/);
    expect(explain({ kind: 'check-failed', reason: 'no report' }, {})).toMatch(/says nothing about the article: no report$/);
  });
});
