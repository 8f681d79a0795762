import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareColumns } from '../../src/compare/compare-matrix.ts';
import { changesBetween, changesIn, dockerVersion, engineChanges } from '../../src/compare/engine-changes.ts';
import { readColumn } from '../../src/compare/read-results.ts';
import { comparisonMarkdown } from '../../src/compare/render-comparison.ts';
import { renderScenarioHtml } from '../../src/report/html/scenario-page.ts';
import type { ClaimResult, ScenarioResult } from '../../src/report/result.ts';
import { findingsOf } from '../integration/findings.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const claim = (id: string, holds: boolean): ClaimResult => ({
  id, article: '004', from: 'outside-routed', says: `says ${id}`, expected: 'x', connection: 'c', outcome: { kind: 'fact', holds, observed: holds ? 'answered' : 'dropped' }, verdict: holds ? 'confirmed' : 'refuted',
  explanation: '', durationMs: 1, attempts: [], evidence: { attempts: [], context: [] },
});
const result = (engine: string, firewallBackend: string, claims: ClaimResult[]): ScenarioResult => ({
  schemaVersion: 1, scenario: 'docker-port-publishing', title: 't', runId: 'r', startedAt: '2026-12-07T01:00:00.000Z', durationMs: 1,
  environment: { engine, firewallBackend }, traffic: { uplinks: ['eth0'], packetsStopped: 0 }, claims, summary: { confirmed: 0, refuted: 0, inconclusive: 0 },
});

const temporaryDirectory = temporaryDirectories();
let root: string | undefined;
async function column(name: string, r: ScenarioResult): Promise<string> {
  root ??= await temporaryDirectory('np-engine-changes-');
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${r.scenario}.json`), JSON.stringify(r));
  return dir;
}

describe('what changed between Docker engines (engines/README.md), as notes, never expectations', () => {
  it('reads the Docker version from a fingerprint', () => {
    expect(dockerVersion('Docker 20.10.24+dfsg1')).toEqual([20, 10, 24]);
    expect(dockerVersion('Docker 29.8.0')).toEqual([29, 8, 0]);
    expect(dockerVersion('Podman 5')).toBeUndefined();
  });

  it('names a change only where it lies between the engines: a version on either side, or one engine with the nftables backend', () => {
    const e2010 = { engine: 'Docker 20.10.24+dfsg1', firewallBackend: 'iptables' };
    const e28 = { engine: 'Docker 28.5.2', firewallBackend: 'iptables' };
    const e29nft = { engine: 'Docker 29.8.0', firewallBackend: 'nftables' };
    expect(changesBetween('D17', [e2010, e28]).map((c) => c.reference)).toEqual([expect.stringContaining('moby#49325')]);
    expect(changesBetween('D17', [e28, e29nft])).toEqual([]);
    expect(changesBetween('D32', [e28, e29nft]).map((c) => c.since)).toEqual([{ backend: 'nftables' }]);
    expect(changesBetween('D32', [e2010, e28])).toEqual([]);
    // Seen only between 20.10 and 28.5: a 28.0 engine is on neither known side.
    expect(changesBetween('D14', [e2010, e28])).toHaveLength(1);
    expect(changesBetween('D14', [{ engine: 'Docker 28.0.4' }, e28])).toEqual([]);
    expect(changesIn('D17', e2010)).toEqual([]);
    expect(changesIn('D17', e28)).toHaveLength(1);
    expect(engineChanges.every((c) => /^D\d+$/.test(c.claim) && c.reference.length > 0)).toBe(true);
  });

  it("compare explains a row that differs across engines (Markdown and HTML), and leaves a row the engines agree on alone", async () => {
    const old = await column('e2010', result('Docker 20.10.24+dfsg1', 'iptables', [claim('D17', true), claim('D2', true)]));
    const newer = await column('e29', result('Docker 29.8.0', 'iptables', [claim('D17', false), claim('D2', true)]));
    const comparison = compareColumns([await readColumn(old), await readColumn(newer)]);
    expect(comparison.rows.map((r) => [r.claim, r.engineChanges?.length ?? 0])).toEqual([['D17', 1], ['D2', 0]]);
    expect(comparisonMarkdown(comparison)).toContain('| ≠ | D17<br>_since Docker 28.0: a routed client');
    expect(comparison.fingerprints.e29).toMatchObject({ firewallBackend: 'iptables' });
  });

  it("a single run's HTML report says, per claim, what other engines do and whether this run's engine has the change", async () => {
    const page = await renderScenarioHtml(result('Docker 20.10.24+dfsg1', 'iptables', [claim('D17', true), claim('D2', true)]));
    expect(page).toContain('Across Docker engines</strong> (this run: Docker 20.10.24+dfsg1, iptables backend)');
    expect(page).toMatch(/since Docker 28\.0: a routed client[^<]*moby#49325[^<]*— <em>not this run's engine<\/em>/);
    expect(page.match(/Across Docker engines/g)).toHaveLength(1);
    // A note, never an expectation: the findings are the run's own.
    expect(findingsOf([claim('D17', true)])).toEqual({ D17: { verdict: 'confirmed', attempts: [] } });
  });
});
