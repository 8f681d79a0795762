import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptResult, ClaimResult } from '../../src/report/result.ts';
import { expectAsRecorded, findingsOf } from '../integration/findings.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

/** The golden tables' rules (test/integration/findings.ts): who answered is part of a finding, and re-recording never passes silently. */
const attempt = (outcome: AttemptResult['outcome']): AttemptResult => ({ connection: 'c', expected: 'x', outcome, verdict: 'confirmed', explanation: '', durationMs: 1 });
const claim = (id: string, attempts: AttemptResult[]): ClaimResult => ({
  id, article: '000', from: 'django', says: 's', expected: 'x', connection: 'c', outcome: attempts[0]!.outcome, verdict: 'confirmed',
  explanation: '', durationMs: 1, attempts, evidence: { attempts: [], context: [] },
});

describe('golden findings', () => {
  afterEach(() => {
    delete process.env.NETPROOF_UPDATE_FINDINGS;
  });

  it('keep the server that answered, without what differs per run (a Deployment pod\'s generated name)', () => {
    const findings = findingsOf([
      claim('D1', [attempt({ kind: 'success', server: 'db' }), attempt({ kind: 'refused' })]),
      claim('K12', [attempt({ kind: 'http-status', status: 200, server: 'web-7d9c8b6f5-x2k4q' }), attempt({ kind: 'fact', holds: false, observed: 'x' })]),
    ]);
    expect(findings).toEqual({
      D1: { verdict: 'confirmed', attempts: ['success by db', 'refused'] },
      K12: { verdict: 'confirmed', attempts: ['http-status by web-…', 'fact:does-not-hold'] },
    });
    // Another server answering is another finding.
    expect(findingsOf([claim('D1', [attempt({ kind: 'success', server: 'django-host' })])])).not.toEqual(findingsOf([claim('D1', [attempt({ kind: 'success', server: 'db' })])]));
  });

  it('NETPROOF_UPDATE_FINDINGS writes a changed table and its diff, and fails; an unchanged one passes', async () => {
    const golden = join(await temporaryDirectory('np-golden-'), 'expected-findings.json');
    const before = { 'docker-host-db': { D1: { verdict: 'confirmed', attempts: ['success'] } }, other: { D9: { verdict: 'confirmed', attempts: ['success'] } } };
    await writeFile(golden, JSON.stringify(before));
    const now = { 'docker-host-db': { D1: { verdict: 'confirmed', attempts: ['success by db'] } } };
    // Without the variable: a plain mismatch.
    expect(() => expectAsRecorded(golden, now)).toThrow(/docker-host-db against .*NETPROOF_UPDATE_FINDINGS=1 re-records it, and fails, for review/);
    process.env.NETPROOF_UPDATE_FINDINGS = '1';
    let message = '';
    try {
      expectAsRecorded(golden, now);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('re-recorded docker-host-db');
    expect(message).toContain('docker-host-db D1:\n- {"verdict":"confirmed","attempts":["success"]}\n+ {"verdict":"confirmed","attempts":["success by db"]}');
    const diffFile = /review (\S+\.diff)/.exec(message)![1]!;
    expect(await readFile(diffFile, 'utf8')).toContain('+ {"verdict":"confirmed","attempts":["success by db"]}');
    // The new table is written, the other scenarios' entries kept.
    expect(JSON.parse(await readFile(golden, 'utf8'))).toEqual({ ...before, ...now });
    // Recorded: the same findings pass, with the variable or without.
    expect(() => expectAsRecorded(golden, now)).not.toThrow();
    delete process.env.NETPROOF_UPDATE_FINDINGS;
    expect(() => expectAsRecorded(golden, now)).not.toThrow();
    await rm(diffFile, { force: true });
  });
});
