import { describe, expect, it } from 'vitest';
import { hostExec, hostExecOrThrow } from '../../src/exec/host-exec.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { insertRule, restoreDeletions, rulesMarked } from '../../src/lab/iptables-rules.ts';
import { LabRun } from '../../src/lab/lab-run.ts';
import { runLabel, runRuleMarker } from '../../src/lab/names.ts';
import { installTrafficGuard, uplinkInterfaces } from '../../src/lab/traffic-guard.ts';
import { noopLogger } from '../../src/log.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';

/**
 * The guard is the lab's promise that nothing it sends leaves the machine,
 * and it touches only the lab: the run's own links and networks wholesale,
 * docker0 (shared with containers that are not the lab's) only by the
 * run's container addresses, held wholesale just while workloads start.
 * Checked on the rules themselves: no packet is sent toward an uplink.
 */
describe('traffic guard', () => {
  it("covers the run's links, networks and docker0 addresses for every uplink, not a container that is not the lab's, and goes with the run", async () => {
    const uplinks = await uplinkInterfaces();
    expect(uplinks.length, 'this host has a default route to guard').toBeGreaterThan(0);
    const { toolbox } = await ensureImages(['toolbox'], noopLogger);
    const run = await LabRun.start({ scenario: 'guard-test', logger: noopLogger, id: `guard${process.pid}` });
    const outsider = `netproof-guard-test-outsider-${process.pid}`;
    try {
      const guard = await installTrafficGuard(run);
      expect(guard.uplinks).toEqual(uplinks);
      const network = (await hostExecOrThrow(['docker', 'network', 'create', '--label', `${runLabel}=${run.id}`, `np-${run.id}-net`])).stdout.trim();
      await guard.coverBridge(`br-${network.slice(0, 12)}`);
      await guard.holdSharedBridge();
      const spec = (rules: Awaited<ReturnType<typeof rulesMarked>>) => rules.filter((r) => r.family === 'ipv4').map((r) => r.spec.join(' '));
      expect(spec(await rulesMarked(runRuleMarker(run.id)))).toContainEqual(expect.stringMatching(/^DOCKER-USER -i docker0 -o \S+ .*hold.* -j DROP$/));
      // One container of the run on docker0 and its network; one that is nobody's.
      await hostExecOrThrow(['docker', 'run', '-d', '--name', `np-${run.id}-c`, '--label', `${runLabel}=${run.id}`, '--network', 'bridge', toolbox, 'sleep', 'infinity']);
      await hostExecOrThrow(['docker', 'network', 'connect', network, `np-${run.id}-c`]);
      await hostExecOrThrow(['docker', 'run', '-d', '--name', outsider, '--network', 'bridge', toolbox, 'sleep', 'infinity']);
      await guard.coverRunContainers();
      const address = (name: string) => hostExecOrThrow(['docker', 'inspect', '--format', '{{.NetworkSettings.Networks.bridge.IPAddress}}', name]).then((r) => r.stdout.trim());
      const [mine, theirs] = await Promise.all([address(`np-${run.id}-c`), address(outsider)]);
      const rules = spec(await rulesMarked(runRuleMarker(run.id)));
      for (const uplink of uplinks) {
        // In iptables-save's order: -s before -i.
        for (const match of [`-i np${run.id}+`, `-i br-${network.slice(0, 12)}`, `-s ${mine}/32 -i docker0`]) {
          expect(rules, `${match} → ${uplink}`).toContainEqual(expect.stringMatching(new RegExp(`^DOCKER-USER ${match.replace(/[+.]/g, '\\$&')} -o ${uplink} .* -j DROP$`)));
        }
      }
      expect(rules.some((r) => r.includes(theirs))).toBe(false);
      expect(rules.some((r) => /^DOCKER-USER -i docker0 -o /.test(r)), 'docker0 is no longer held wholesale').toBe(false);
      expect(await guard.packetsStopped()).toBe(0);
      await hostExecOrThrow(['docker', 'rm', '-f', `np-${run.id}-c`]);
      await hostExecOrThrow(['docker', 'network', 'rm', network]);
    } finally {
      await hostExec(['docker', 'rm', '-f', outsider]);
      await run.teardown();
    }
    expect(await leftovers(run.id)).toEqual(nothingLeft);
  });

  it('deletes marked rules in one iptables-restore transaction, comments with spaces and all', async () => {
    const marker = `${runRuleMarker(`rules${process.pid}`)} restore test`;
    // Rules that match nothing: no such interface exists.
    for (const chain of ['np-none-a', 'np-none-b']) await insertRule('ipv4', 'filter', ['FORWARD', '-i', chain, '-o', chain, '-m', 'comment', '--comment', marker, '-j', 'DROP']);
    const rules = await rulesMarked(marker);
    expect(rules).toHaveLength(2);
    // The batch itself, not deleteRules' one-by-one fallback, must take them.
    const batch = await hostExec(['iptables-restore', '-w', '--noflush'], { input: restoreDeletions(rules) });
    expect(batch.stderr).toBe('');
    expect(batch.exitCode).toBe(0);
    expect(await rulesMarked(marker)).toEqual([]);
  });
});
