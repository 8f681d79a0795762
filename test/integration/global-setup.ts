import { hostExec } from '../../src/exec/host-exec.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { deleteRule, insertRule, rulesMarked } from '../../src/lab/iptables-rules.ts';
import { forgetRun, registerRun } from '../../src/lab/run-registry.ts';
import { ruleMarker } from '../../src/lab/sweep.ts';
import { uplinkInterfaces } from '../../src/lab/traffic-guard.ts';
import { consoleLogger } from '../../src/log.ts';

/**
 * The traffic rule, measured over the whole suite: counting rules at the very
 * top of FORWARD (ahead of Docker's chains and of each run's guard) see every
 * packet from a lab interface that is about to leave through an uplink. The
 * suite fails if any did. They belong to a registered run of this process, so
 * runs' sweeps leave them alone while the suite lives, and `npm run clean`
 * removes them if it is killed.
 */
const suiteRun = `suite${process.pid}`;
const counterMarker = `${ruleMarker(suiteRun)} traffic-counter`;
const labInterfaces = ['docker0', 'br-+', 'np+'];

/**
 * Integration tests need the real engine and the lab's images. `npm test`
 * (scripts/netproof.sh) starts the engine first; here the images are built
 * once, before any test's timeout starts. Without an engine the suite fails
 * with what to do: it never pretends to have tested anything.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const info = await hostExec(['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    throw new Error(`no Docker engine answers (${info.stderr.trim()}): run the tests with 'npm test', which starts one, or start Docker`);
  }
  await ensureImages(['postgres', 'django', 'toolbox'], consoleLogger());
  await registerRun({ id: suiteRun, pid: process.pid, scenario: 'integration suite', startedAt: new Date().toISOString(), keep: false });
  for (const uplink of await uplinkInterfaces()) {
    for (const lab of labInterfaces) {
      for (const family of ['ipv4', 'ipv6'] as const) {
        await insertRule(family, 'filter', ['FORWARD', '-i', lab, '-o', uplink, '-m', 'comment', '--comment', counterMarker]);
      }
    }
  }
  return async () => {
    const counters = await rulesMarked(counterMarker);
    for (const rule of counters) await deleteRule(rule);
    await forgetRun(suiteRun);
    const left = counters.filter((rule) => rule.packets > 0);
    if (left.length > 0) throw new Error(`the traffic rule was broken: lab packets headed off the machine: ${left.map((r) => `${r.packets} via ${r.spec.join(' ')}`).join('; ')}`);
    process.stderr.write(`traffic rule: 0 lab packets headed for ${[...new Set(counters.map((r) => r.spec[r.spec.indexOf('-o') + 1]))].join(', ')} during the suite\n`);
  };
}
