import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/outcome/outcome.ts';
import { Expect } from '../../src/verdict/expect.ts';
import { explain } from '../../src/verdict/explain.ts';
import { claimVerdict, combine, judge } from '../../src/verdict/verdict.ts';

describe('judge', () => {
  const table: [string, Parameters<typeof judge>[0], Outcome, string][] = [
    ['connects, success', Expect.connects, { kind: 'success' }, 'confirmed'],
    ['connects, refused', Expect.connects, { kind: 'refused' }, 'refuted'],
    ['connects, timeout', Expect.connects, { kind: 'timeout', afterMs: 5000 }, 'refuted'],
    ['refused, refused: localhost is the container itself', Expect.refused, { kind: 'refused' }, 'confirmed'],
    ['refused, timeout: not the same as nothing listening', Expect.refused, { kind: 'timeout', afterMs: 3000 }, 'refuted'],
    ['unreachable, timeout', Expect.unreachable, { kind: 'timeout', afterMs: 3000 }, 'confirmed'],
    ['unreachable, no route', Expect.unreachable, { kind: 'no-route' }, 'confirmed'],
    ['unreachable, refused: something answered', Expect.unreachable, { kind: 'refused' }, 'refuted'],
    ['unreachable, dns: the name was never tried', Expect.unreachable, { kind: 'dns', name: 'x' }, 'refuted'],
    ['unreachable, auth failure: the server was reached', Expect.unreachable, { kind: 'auth-failure' }, 'refuted'],
    ['no name, dns', Expect.noName, { kind: 'dns', name: 'web' }, 'confirmed'],
    ['no name, refused: the name resolved', Expect.noName, { kind: 'refused' }, 'refuted'],
    ['connects to db, db answered', Expect.connectsTo('db'), { kind: 'success', server: 'db' }, 'confirmed'],
    ['connects to db, another database answered', Expect.connectsTo('db'), { kind: 'success', server: 'node-db' }, 'refuted'],
    ['connects to db, nobody named', Expect.connectsTo('db'), { kind: 'success' }, 'refuted'],
    ['HTTP 200 from web, web', Expect.httpFrom(200, 'web'), { kind: 'http-status', status: 200, server: 'web' }, 'confirmed'],
    ['HTTP 200 from web, another server', Expect.httpFrom(200, 'web'), { kind: 'http-status', status: 200, server: 'web2' }, 'refuted'],
    ['no answer from web1, refused by the source itself', Expect.notFrom('web1'), { kind: 'refused' }, 'confirmed'],
    ['no answer from web1, web1 answered', Expect.notFrom('web1'), { kind: 'http-status', status: 200, server: 'web1' }, 'refuted'],
    ['HTTP 200, 200', Expect.httpStatus(200), { kind: 'http-status', status: 200 }, 'confirmed'],
    ['HTTP 200, 502', Expect.httpStatus(200), { kind: 'http-status', status: 502 }, 'refuted'],
    ['fact holds', Expect.holds('x'), { kind: 'fact', holds: true, observed: 'x' }, 'confirmed'],
    ['fact does not hold', Expect.holds('x'), { kind: 'fact', holds: false, observed: 'y' }, 'refuted'],
    ['harness failure is never a verdict', Expect.unreachable, { kind: 'check-failed', reason: 'exec failed' }, 'inconclusive'],
    ['unclassified error is never a verdict', Expect.unreachable, { kind: 'other', message: '?' }, 'inconclusive'],
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

describe('claimVerdict', () => {
  const own = (verdict: 'confirmed' | 'refuted' | 'inconclusive', half?: string) => ({ verdict, half, connection: `c-${verdict}` });
  it('names the half of the sentence that was refuted', () => {
    expect(claimVerdict([own('confirmed', 'connects'), own('refuted', 'directly, without the bridge')])).toEqual({
      status: 'refuted',
      because: 'refuted: "directly, without the bridge" (c-refuted)',
    });
  });
  it('is inconclusive when a contrast or control did not behave, whatever the article\'s own attempts say', () => {
    const verdict = claimVerdict([own('confirmed'), { verdict: 'refuted', role: 'contrast', connection: 'same pair on a default network' }]);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.because).toMatch(/contrast same pair on a default network/);
  });
  it('says why a half could not be tried (its failed check), on an own attempt and on a control', () => {
    const refusedSwarm = { kind: 'check-failed', reason: 'docker swarm init exited 1: --firewall-backend=nftables is incompatible with swarm mode' } as const;
    expect(claimVerdict([own('confirmed'), { verdict: 'inconclusive', half: 'over an overlay', connection: 'GET web1', outcome: refusedSwarm }])).toEqual({
      status: 'inconclusive',
      because: 'inconclusive: "over an overlay" (GET web1), not tried: docker swarm init exited 1: --firewall-backend=nftables is incompatible with swarm mode',
    });
    expect(claimVerdict([own('confirmed'), { verdict: 'inconclusive', role: 'control', connection: 'the route', outcome: refusedSwarm }]).because).toBe(
      'the control the route was not checked (not tried: docker swarm init exited 1: --firewall-backend=nftables is incompatible with swarm mode), so the claim was not really tried',
    );
  });
  it('is confirmed when every own attempt is and every control behaved', () => {
    expect(claimVerdict([own('confirmed'), { verdict: 'confirmed', role: 'control', connection: 'x' }])).toEqual({ status: 'confirmed' });
  });
  it('leaves a finding out of the verdict, whatever it observed or failed to check', () => {
    for (const verdict of ['refuted', 'inconclusive'] as const) {
      expect(claimVerdict([own('confirmed'), { verdict, role: 'finding', connection: '--internal to the host' }])).toEqual({ status: 'confirmed' });
    }
    expect(claimVerdict([own('refuted'), { verdict: 'confirmed', role: 'finding', connection: 'f' }]).status).toBe('refuted');
  });
});

describe('explain', () => {
  it("uses the claim's reason for the observed outcome, else a generic one", () => {
    expect(explain({ kind: 'refused' }, { refused: 'loopback is the container' })).toBe('loopback is the container');
    expect(explain({ kind: 'timeout', afterMs: 1 }, {})).toMatch(/nothing answered/);
    expect(explain({ kind: 'check-failed', reason: 'no report' }, {})).toMatch(/says nothing about the article: no report$/);
  });
});
