import { describe, expect, it } from 'vitest';
import { rulesMarked } from '../../src/lab/iptables-rules.ts';
import { LabRun } from '../../src/lab/lab-run.ts';
import { ruleMarker } from '../../src/lab/sweep.ts';
import { installTrafficGuard, uplinkInterfaces } from '../../src/lab/traffic-guard.ts';
import { noopLogger } from '../../src/log.ts';
import { leftovers, nothingLeft } from './leftovers.ts';

/**
 * The guard is the lab's promise that nothing it sends leaves the machine:
 * while a run lasts, every lab bridge is cut off from every uplink, in IPv4
 * and IPv6, and the cut goes away with the run.
 */
describe('traffic guard', () => {
  it('drops lab-bridge → uplink forwarding for every uplink while the run lasts, then is removed', async () => {
    const uplinks = await uplinkInterfaces();
    expect(uplinks.length, 'this host has a default route to guard').toBeGreaterThan(0);
    const run = await LabRun.start({ scenario: 'guard-test', logger: noopLogger, id: `guard${process.pid}` });
    try {
      const guard = await installTrafficGuard(run);
      expect(guard.uplinks).toEqual(uplinks);
      const rules = await rulesMarked(ruleMarker(run.id));
      for (const uplink of uplinks) {
        for (const bridge of ['docker0', 'br-+']) {
          const drops = rules.filter((r) => r.family === 'ipv4' && r.spec.join(' ').includes(`-i ${bridge} -o ${uplink}`) && r.spec.at(-1) === 'DROP');
          expect(drops, `${bridge} → ${uplink}`).toHaveLength(1);
          expect(drops[0]!.spec[0]).toBe('DOCKER-USER'); // before Docker's own ACCEPT rules in FORWARD
        }
      }
      expect(await guard.packetsStopped()).toBe(0);
    } finally {
      await run.teardown();
    }
    expect(await leftovers(run.id)).toEqual(nothingLeft);
  });
});
