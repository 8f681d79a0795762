import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnResults, runProjectScript } from './columns.ts';

/**
 * The workflow itself, run by a real Actions engine (act) with this machine as
 * the runner: one CNI leg, the Docker leg, the compare job. GitHub's actions are
 * replaced by the stand-ins of tools/act-stand-ins/; everything else is the
 * workflow's own YAML and the project commands it calls.
 */
describe('make actions-local', () => {
  it('runs the kindnetd-lab leg, the Docker legs and the compare job, whose summary lists every column', async () => {
    const out = join('results', 'actions-local-test');
    const run = await runProjectScript('actions-local.sh', [out], { NETPROOF_ACT_CNI: 'kindnetd-lab' });
    expect(run.code, `actions-local exit; last words:\n${run.stderrTail}`).toBe(0);
    const log = await readFile(join(out, 'act.log'), 'utf8');
    // act names each job and its success; the stand-ins say they are stand-ins.
    for (const job of ['kubernetes (kindnetd-lab)', "docker (ubuntu-24.04's engine)", 'docker engine 20.10 (lab host)', 'compare']) expect(log).toMatch(new RegExp(`\\[cni-matrix/${job.replace(/[()]/g, '\\$&')}[^\\]]*\\].*Job succeeded`));
    expect(log).toContain('stand-in upload-artifact');
    for (const artifact of ['results-kindnetd-lab', 'results-docker-ubuntu-24.04', 'results-engine-20.10']) {
      const results = await columnResults(join(out, 'artifacts', artifact));
      expect(results.length, artifact).toBeGreaterThan(0);
      for (const result of results) expect(result.traffic.packetsStopped, `${artifact} ${result.scenario}`).toBe(0);
    }
    const summary = await readFile(join(out, 'artifacts', 'compare', 'compare.md'), 'utf8');
    expect(summary).toContain('kindnetd-lab');
    expect(summary).toContain('docker-ubuntu-24.04');
    expect(summary).toContain('engine-20.10');
    expect(run.stdout).toBe(summary);
  });
});
