import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCommand } from '../../src/compare/compare-command.ts';
import { compareColumns, outcomeShape } from '../../src/compare/compare-matrix.ts';
import { readColumn } from '../../src/compare/read-results.ts';
import type { Outcome } from '../../src/outcome/outcome.ts';
import type { ClaimResult, ScenarioResult } from '../../src/report/result.ts';

const claim = (id: string, outcome: Outcome, verdict: ClaimResult['verdict']): ClaimResult => ({
  id, article: '003', from: 'client', says: `says ${id}`, expected: 'x', connection: 'c', outcome, verdict,
  explanation: '', durationMs: 1, attempts: [], evidence: { attempts: [], context: [] },
});
const result = (cni: string, claims: ClaimResult[], runId: string): ScenarioResult => ({
  schemaVersion: 1, scenario: 'k8s-pod-network', title: 't', runId, startedAt: '2026-11-25T01:00:00.000Z', durationMs: 1,
  environment: { engine: 'Docker 28.2.2', cni, cniSource: `${cni} built here; offline supply` },
  traffic: { uplinks: ['eth0'], packetsStopped: 0 }, claims, summary: { confirmed: 0, refuted: 0, inconclusive: 0 },
});

async function resultsDir(root: string, name: string, results: ScenarioResult[]): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const r of results) await writeFile(join(dir, `${r.scenario}.json`), JSON.stringify(r));
  await writeFile(join(dir, 'vitest.json'), '{"numTotalTests": 1}');
  return dir;
}

describe('compare', () => {
  it('puts the claims where environments disagree first, and ignores what differs on every run', async () => {
    const root = await mkdtemp(join(tmpdir(), 'np-compare-'));
    const kindnet = await resultsDir(root, 'kindnet', [result('kindnet', [
      claim('K8', { kind: 'http-status', status: 200, server: 'np-aaa111-server' }, 'confirmed'),
      claim('K17', { kind: 'fact', holds: false, observed: 'no cni0 on 3 nodes' }, 'refuted'),
      claim('K18', { kind: 'fact', holds: true, observed: 'ignored by kindnet (the article: ignored)' }, 'confirmed'),
    ], 'aaa111')]);
    const flannel = await resultsDir(root, 'flannel', [result('flannel', [
      claim('K8', { kind: 'http-status', status: 200, server: 'np-bbb222-server' }, 'confirmed'),
      claim('K17', { kind: 'fact', holds: true, observed: 'cni0 on 3 nodes' }, 'confirmed'),
      claim('K18', { kind: 'fact', holds: true, observed: 'ignored by flannel (the article: ignored)' }, 'confirmed'),
    ], 'bbb222')]);
    const comparison = compareColumns([await readColumn(kindnet), await readColumn(flannel)]);
    expect(comparison.columns).toEqual(['kindnet', 'flannel']);
    expect(comparison.rows.map((r) => [r.claim, r.differs])).toEqual([['K17', true], ['K18', true], ['K8', false]]);
    expect(comparison.fingerprints.flannel).toMatchObject({ cni: 'flannel', cniSource: 'flannel built here; offline supply', packetsStopped: '0', scenarios: 'k8s-pod-network' });

    const out = join(root, 'out');
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (printed.push(chunk), true)) as typeof process.stdout.write;
    try {
      expect(await compareCommand([kindnet, `fl=${flannel}`, '--out', out])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const markdown = await readFile(join(out, 'compare.md'), 'utf8');
    expect(printed.join('')).toBe(markdown);
    expect(markdown).toContain('| | claim | kindnet | fl |');
    expect(markdown).toContain('| ≠ | K17 | fact: no cni0 on 3 nodes · **refuted** | fact: cni0 on 3 nodes · **confirmed** |');
    expect(markdown).toMatch(/\| {2}\| K8 \| http-status\(200\) from np-aaa111-server · \*\*confirmed\*\* \|/);
    expect(markdown).toContain('### fl');
    expect(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')).rows).toHaveLength(3);
    const html = await readFile(join(out, 'compare.html'), 'utf8');
    expect(html).toContain('href="../flannel/k8s-pod-network.html#claim-K17"');
  });

  it('marks a claim one environment did not run, and refuses a directory without results', async () => {
    const root = await mkdtemp(join(tmpdir(), 'np-compare-'));
    const a = await resultsDir(root, 'a', [result('kindnet', [claim('K9', { kind: 'fact', holds: true, observed: 'unique' }, 'confirmed')], 'r1')]);
    const b = await resultsDir(root, 'b', [result('flannel', [claim('K16', { kind: 'fact', holds: true, observed: 'x' }, 'confirmed')], 'r2')]);
    const comparison = compareColumns([await readColumn(a), await readColumn(b)]);
    expect(comparison.rows.every((r) => r.differs)).toBe(true);
    await mkdir(join(root, 'empty'));
    await expect(readColumn(join(root, 'empty'))).rejects.toThrow(/no results/);
    await expect(compareCommand([a])).rejects.toThrow(/two or more/);
  });

  it('shapes outcomes without run ids, addresses or durations', () => {
    expect(outcomeShape('success from np-k3x9-server at 10.244.1.5 after timeout(2003ms)')).toBe('success from np-…-server at <ip> after timeout(…ms)');
  });

  it('shapes away what each cluster names differently: Deployment pods, load spread, node names', () => {
    // K12 on two CNIs: three pods answered both times, with other generated names and another spread.
    const kindnet = outcomeShape('fact: 3 pods answered: web-7d9c8b6f5-x2k4q ×7, web-7d9c8b6f5-bz9wt ×5, web-7d9c8b6f5-lmn2p ×8');
    const flannel = outcomeShape('fact: 3 pods answered: web-5f6b7c8d9-qq2rs ×6, web-5f6b7c8d9-tt4vw ×6, web-5f6b7c8d9-zz5xk ×8');
    expect(kindnet).toBe('fact: 3 pods answered: web-… ×n, web-… ×n, web-… ×n');
    expect(flannel).toBe(kindnet);
    // Fewer pods is still a difference.
    expect(outcomeShape('fact: 2 pods answered: web-5f6b7c8d9-qq2rs ×10, web-5f6b7c8d9-tt4vw ×10')).not.toBe(kindnet);
    expect(outcomeShape('http-status(200) from myapp-6c7d8f9b5-k2m4n')).toBe(outcomeShape('http-status(200) from myapp-84b5c6d7f-w9x2z'));
    // A pod the lab named itself keeps its name; nodes lose only their cluster's name.
    expect(outcomeShape('http-status(200) from server')).toBe('http-status(200) from server');
    expect(outcomeShape('on netproof-worker2 and netproof-flannel-2w-worker2, not netproof-control-plane')).toBe('on worker2 and worker2, not control-plane');
  });
});
