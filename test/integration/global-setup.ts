import type { TestProject } from 'vitest/node';
import { hostExec } from '../../src/exec/host-exec.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { deleteRule, insertRule, rulesMarked } from '../../src/lab/iptables-rules.ts';
import { forgetRun, registerRun } from '../../src/lab/run-registry.ts';
import { runRuleMarker } from '../../src/lab/names.ts';
import { uplinkInterfaces } from '../../src/lab/traffic-guard.ts';
import { consoleLogger } from '../../src/log.ts';

/**
 * The traffic rule, measured over the whole suite: counting rules at the very
 * top of FORWARD (ahead of Docker's chains and of each run's guard) see every
 * packet from a lab interface that is about to leave through an uplink. The
 * suite fails if any did. They belong to a registered run of this process, so
 * runs' sweeps leave them alone while the suite lives, and `npm run clean`
 * removes them if it is killed. Each project that uses this set-up (integration,
 * browser) counts with rules of its own: one project's teardown must not take
 * away the rules another is still counting with.
 */
const labInterfaces = ['docker0', 'br-+', 'np+'];

/**
 * Integration tests need the real engine and the lab's images. `npm test`
 * (scripts/netproof.sh) starts the engine first; here the images are built
 * once, before any test's timeout starts. Without an engine the suite fails
 * with what to do: it never pretends to have tested anything.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const suiteRun = `suite${process.pid}${project.name.replace(/[^a-z0-9]/gi, '')}`;
  const counterMarker = `${runRuleMarker(suiteRun)} traffic-counter`;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const info = await hostExec(['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    throw new Error(`no Docker engine answers (${info.stderr.trim()}): run the tests with 'npm test', which starts one, or start Docker`);
  }
  await ensureImages(['postgres', 'django', 'toolbox'], consoleLogger());
  await registerRun({ id: suiteRun, pid: process.pid, scenario: `${project.name} suite`, startedAt: new Date().toISOString(), keep: false });
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
    if (counters.length === 0) throw new Error(`the traffic rule was not measured for ${project.name}: its counting rules (${counterMarker}) were gone before the end`);
    process.stderr.write(`traffic rule (${project.name}): 0 lab packets headed for ${[...new Set(counters.map((r) => r.spec[r.spec.indexOf('-o') + 1]))].join(', ')} during the suite\n`);
  };
}
