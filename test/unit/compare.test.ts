import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { renderCompareHtml } from '../../src/report/html/compare-page.ts';
import { comparisonMarkdown, comparisonMatrix } from '../../src/compare/render-comparison.ts';
import { compareCommand } from '../../src/compare/compare-command.ts';
import { compareColumns, outcomeShape } from '../../src/compare/compare-matrix.ts';
import { readColumn } from '../../src/compare/read-results.ts';
import type { Outcome } from '../../src/outcome/outcome.ts';
import type { AttemptResult, ClaimResult, ScenarioResult } from '../../src/report/result.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

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

/** Each test's directory of result directories, removed when the file is done. */
const temporaryDirectory = temporaryDirectories();
const tempRoot = () => temporaryDirectory('np-compare-');

describe('compare', () => {
  it('puts the claims where environments disagree first, and ignores what differs on every run', async () => {
    const root = await tempRoot();
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
    expect(markdown).toContain('| ≠ | K17 | **refuted**<br>1. fact: no cni0 on 3 nodes | **confirmed**<br>1. fact: cni0 on 3 nodes |');
    expect(markdown).toMatch(/\| {2}\| K8 \| \*\*confirmed\*\*<br>1\. http-status\(200\) from np-aaa111-server \|/);
    expect(markdown).toContain('### fl');
    expect(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')).rows).toHaveLength(3);
    const html = await readFile(join(out, 'compare.html'), 'utf8');
    expect(html).toContain('href="../flannel/k8s-pod-network.html#claim-K17"');
  });

  it('a Docker column and a Kubernetes column: a claim of the other kind of environment is not run there, not a difference', async () => {
    const root = await tempRoot();
    const kubernetes = result('kindnet', [claim('K9', { kind: 'fact', holds: true, observed: 'x' }, 'confirmed')], 'r1');
    const kube = await resultsDir(root, 'kube', [{ ...kubernetes, environment: { ...kubernetes.environment, cluster: 'netproof-kindnet' } }]);
    const docker = await resultsDir(root, 'docker', [{ ...result('kindnet', [claim('D1', { kind: 'success' }, 'confirmed')], 'r2'), scenario: 'docker-host-db', environment: { engine: '20.10.24' } }]);
    const comparison = compareColumns([await readColumn(kube), await readColumn(docker)]);
    expect(comparison.rows.map((r) => [r.claim, r.differs])).toEqual([['D1', false], ['K9', false]]);
    expect(comparison.rows[0]!.cells.kube).toBeUndefined();
  });

  it('marks a claim one environment did not run, and refuses a directory without results', async () => {
    const root = await tempRoot();
    const a = await resultsDir(root, 'a', [result('kindnet', [claim('K9', { kind: 'fact', holds: true, observed: 'unique' }, 'confirmed')], 'r1')]);
    const b = await resultsDir(root, 'b', [result('flannel', [claim('K16', { kind: 'fact', holds: true, observed: 'x' }, 'confirmed')], 'r2')]);
    const comparison = compareColumns([await readColumn(a), await readColumn(b)]);
    expect(comparison.rows.every((r) => r.differs)).toBe(true);
    await mkdir(join(root, 'empty'));
    await expect(readColumn(join(root, 'empty'))).rejects.toThrow(/no results/);
    await expect(compareCommand([a])).rejects.toThrow(/two or more/);
  });

  describe("a user's mistake is a usage error naming the file and what to do", () => {
    let root: string;
    let good: string;
    /** compareCommand with a second, good column; its rejection. */
    const rejection = (column: string, ...rest: string[]) => compareCommand([column, `good=${good}`, '--out', join(root, 'out'), ...rest]);
    beforeAll(async () => {
      root = await tempRoot();
      good = await resultsDir(root, 'good', [result('kindnet', [claim('K9', { kind: 'fact', holds: true, observed: 'x' }, 'confirmed')], 'r1')]);
    });
    const fileIn = async (dir: string, name: string, text: string) => {
      await mkdir(join(root, dir), { recursive: true });
      await writeFile(join(root, dir, name), text);
      return join(root, dir);
    };

    it('a missing directory, an empty one, one with only JSON no scenario wrote', async () => {
      await expect(rejection(join(root, 'nope'))).rejects.toThrow(new UsageError(`compare: ${join(root, 'nope')}: no such directory; give a directory that \`npm run scenario -- --results DIR\` wrote`));
      await mkdir(join(root, 'empty'));
      await expect(rejection(join(root, 'empty'))).rejects.toThrow(/^compare: \S+empty holds no results\/<scenario>\.json; run `npm run scenario -- --all --results \S+empty` first/);
      const vitestOnly = await fileIn('vitest-only', 'vitest.json', '{"numTotalTests": 1}');
      await expect(rejection(vitestOnly)).rejects.toThrow(/holds no results\/<scenario>\.json \(only \S+vitest\.json, which no scenario wrote\)/);
    });

    it('truncated JSON, a null file, a *.json directory: each named', async () => {
      const truncated = await fileIn('truncated', 'k8s-services.json', JSON.stringify(result('kindnet', [], 'r')).slice(0, 40));
      await expect(rejection(truncated)).rejects.toThrow(UsageError);
      await expect(rejection(truncated)).rejects.toThrow(/k8s-services\.json is not whole JSON \(.*\): a run was cut short\? run its scenario again, or move the file out/);
      await expect(rejection(await fileIn('null', 'a.json', 'null'))).rejects.toThrow(/null\/a\.json holds null, not a scenario's results/);
      await mkdir(join(root, 'dirjson', 'old.json'), { recursive: true });
      await expect(rejection(join(root, 'dirjson'))).rejects.toThrow(/dirjson\/old\.json is a directory, not a results file: rename it or move it out/);
    });

    it('a results file of another schema version is reported, never dropped', async () => {
      const v2 = await fileIn('v2', 'k8s-pod-network.json', JSON.stringify({ ...result('kindnet', [], 'r'), schemaVersion: 2 }));
      await writeFile(join(v2, 'k8s-host-db.json'), JSON.stringify({ ...result('kindnet', [], 'r'), scenario: 'k8s-host-db' }));
      await expect(rejection(v2)).rejects.toThrow(/v2\/k8s-pod-network\.json is a results file of schema 2; this netproof reads schema 1/);
    });

    it('duplicate or empty column names, and an --out that cannot be made', async () => {
      await expect(compareCommand([good, good])).rejects.toThrow(/two columns are named good \(good, good\): name each NAME=DIR/);
      await expect(compareCommand([`=${good}`, good])).rejects.toThrow(/"=\S+good" has an empty column name: write NAME=DIR/);
      await expect(compareCommand([`a=`, good])).rejects.toThrow(/"a=" names no directory/);
      // Under a regular file no directory can be made (ENOTDIR), for root too; under /proc Node's recursive mkdir never returned.
      await expect(rejection(`other=${good}`, '--out', join(good, 'vitest.json', 'out'))).rejects.toThrow(/cannot write to \S+vitest\.json\/out: ENOTDIR; choose another with --out DIR/);
      await expect(rejection(`other=${good}`, '--out', '/proc/netproof-compare')).rejects.toThrow(/cannot write to \/proc\/netproof-compare: ENOENT/);
    });

    it('through the CLI: exit 2, the message and the usage, no stack trace', async () => {
      const cli = await execa('node', ['src/cli/main.ts', 'compare', await fileIn('cut', 'x.json', '{"schemaVersion": 1,'), good], { reject: false });
      expect(cli.exitCode).toBe(2);
      expect(cli.stderr).toMatch(/^error: compare: \S+cut\/x\.json is not whole JSON/);
      expect(cli.stderr).toContain('npm run compare -- --help');
      expect(cli.stderr).not.toMatch(/^\s+at /m);
    }, 30_000);
  });

  it('shows every attempt of a cell, and a row differs when any attempt does (K14: the MetalLB half)', async () => {
    const attempt = (outcome: Outcome, extra: Partial<AttemptResult> = {}): AttemptResult => ({ connection: 'c', expected: 'x', outcome, verdict: 'confirmed', explanation: '', durationMs: 1, ...extra });
    const k14 = (metallb: Outcome): ClaimResult => ({
      ...claim('K14', { kind: 'fact', holds: true, observed: 'metallb.io not served' }, 'confirmed'),
      attempts: [
        attempt({ kind: 'fact', holds: true, observed: 'metallb.io not served' }, { role: 'control' }),
        attempt({ kind: 'fact', holds: true, observed: 'EXTERNAL-IP <pending>' }, { half: 'pending without a load balancer' }),
        attempt(metallb, { half: 'an address with MetalLB', from: 'outside' }),
      ],
    });
    const root = await tempRoot();
    const a = await resultsDir(root, 'kindnet', [result('kindnet', [k14({ kind: 'http-status', status: 200, server: 'lbweb-7d9c8b6f5-x2k4q' })], 'r1')]);
    const b = await resultsDir(root, 'flannel', [result('flannel', [k14({ kind: 'timeout', afterMs: 3004 })], 'r2')]);
    const c = await resultsDir(root, 'kube-router', [result('kube-router', [k14({ kind: 'http-status', status: 200, server: 'lbweb-5f6b7c8d9-qq2rs' })], 'r3')]);
    // The first attempts are alike everywhere: only the third tells flannel apart.
    expect(compareColumns([await readColumn(a), await readColumn(c)]).rows[0]!.differs).toBe(false);
    const comparison = compareColumns([await readColumn(a), await readColumn(b)]);
    expect(comparison.rows[0]!.differs).toBe(true);
    expect(comparison.rows[0]!.cells.flannel!.attempts).toEqual(['[control] fact: metallb.io not served', '[pending without a load balancer] fact: EXTERNAL-IP <pending>', '[an address with MetalLB] from outside: timeout(3004ms)']);
    const markdown = comparisonMarkdown(comparison);
    expect(markdown).toContain('3. [an address with MetalLB] from outside: http-status(200) from lbweb-7d9c8b6f5-x2k4q');
    expect(markdown).toContain('3. [an address with MetalLB] from outside: timeout(3004ms)');
    const html = renderCompareHtml(comparisonMatrix(comparison, (name) => `../${name}`));
    expect(html).toContain('[an address with MetalLB] from outside: timeout(3004ms)');
    expect(html).toMatch(/<tr class="row differs[^"]*" id="row-K14">/);
  });

  it('shapes outcomes without run ids, addresses or durations', () => {
    expect(outcomeShape('success from np-k3x9-server at 10.244.1.5 after timeout(2003ms)')).toBe('success from np-…-server at <ip> after timeout(…ms)');
    // What the kernel and the engine name and count afresh (seen on two engines' runs of the same claims).
    expect(outcomeShape('fact: eth0@if4 ↔ host veth71cd0cb (master docker0)')).toBe(outcomeShape('fact: eth0@if3 ↔ host vethac1f706 (master docker0)'));
    expect(outcomeShape('fact: np-0e48e1a7-front is bridge br-a377bddd3a9e on the host')).toBe('fact: np-…-front is bridge br-… on the host');
    expect(outcomeShape("fact: client's namespace is /var/run/docker/netns/867cae9785cd")).toBe("fact: client's namespace is /var/run/docker/netns/<id>");
    expect(outcomeShape('fact: 198.18.0.10 goes out of np138f2176h, not docker0')).toBe('fact: <ip> goes out of np…h, not docker0');
    expect(outcomeShape('fact: pkts 0 → 2 on "2 120 DNAT 6 -- !docker0"; moved 6 packets to and 2 from')).toBe('fact: pkts n → n on "n n DNAT 6 -- !docker0"; moved n packets to and n from');
    // Words are left alone: "deadbeef" is no id, nor a plain number.
    expect(outcomeShape('fact: 12 containers, port 8080')).toBe('fact: 12 containers, port 8080');
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
