import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedEnvironment } from '../../src/environment/started-environment.ts';
import { LabRun } from '../../src/lab/lab-run.ts';
import { noopLogger } from '../../src/log.ts';
import { articleRuleAccepted } from '../../src/probes/netns-checks.ts';
import { machineEngine } from '../../src/environment/docker/index.ts';
import { hostSource } from '../../src/workloads/host-source.ts';
import { hostExec } from '../../src/exec/host-exec.ts';
import { tryAttempt } from '../../src/scenario/try-claim.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';

/**
 * iptables rules tried in lab namespaces of a run's own (D27's probe), on
 * this machine's real iptables: accepted, rejected, or a command that says
 * nothing about the rule (check-failed). The namespace is the runner's setup
 * of the attempt: made before it, deleted after it.
 */
describe('iptables rules in a lab namespace', () => {
  const runId = `ns${process.pid}`;
  let run: LabRun;
  let env: StartedEnvironment;
  beforeAll(async () => {
    run = await LabRun.start({ scenario: 'netns-checks test', logger: noopLogger, id: runId });
    env = { run, logger: noopLogger, workloads: {} } as unknown as StartedEnvironment;
  });
  afterAll(async () => {
    await run.teardown();
  });

  it("records the article rule as rejected, with iptables's own words", async () => {
    const observed = await tryAttempt(articleRuleAccepted(['iptables', '-t', 'nat', '-A', 'PREROUTING', '-j', 'DNAT', '--dport', '8080', '--to-destination', '80'], 'a'), hostSource(machineEngine), env);
    expect(observed.outcome).toMatchObject({ kind: 'fact', holds: false, observed: expect.stringContaining('exit 2') });
    expect(observed.connection).toBe(`ip netns exec np-${runId}-a iptables -t nat -A PREROUTING -j DNAT --dport 8080 --to-destination 80`);
  });

  it('records a well-formed rule as accepted, with the nat table it made', async () => {
    const observed = await tryAttempt(articleRuleAccepted(['iptables', '-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '172.17.0.2:80'], 'b'), hostSource(machineEngine), env);
    expect(observed.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringContaining('--to-destination 172.17.0.2:80') });
  });

  it('is check-failed when the command fails in a way that says nothing about a rule', async () => {
    const observed = await tryAttempt(articleRuleAccepted(['false'], 'c'), hostSource(machineEngine), env);
    expect(observed.outcome.kind).toBe('check-failed');
  });

  it("deletes the attempt's namespace when the attempt is over", async () => {
    await tryAttempt(articleRuleAccepted(['iptables', '-t', 'nat', '-S'], 'd'), hostSource(machineEngine), env);
    expect((await hostExec(['ip', 'netns', 'list'])).stdout).not.toContain(`np-${runId}-d`);
  });

  it('leaves no namespace behind once the run is torn down', async () => {
    await run.teardown();
    expect(await leftovers(runId)).toEqual(nothingLeft);
  });
});
