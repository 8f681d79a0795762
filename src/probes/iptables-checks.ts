import type { StartedEnvironment } from '../environment/started-environment.ts';
import { readFirewallBackend } from '../environment/docker/index.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { dockerHostNamed } from '../workloads/docker-host.ts';
import { nftMonitor, tracingDrops, xtablesMonitor, type NamespaceExec } from './packet-trace.ts';
import type { Probe } from './probe.ts';

/** iptables in the namespace whose filter decides a probe's packets: the scenario's Docker host ('host') or one of its docker-host workloads'. */
export function iptablesOn(machine: string, env: StartedEnvironment): (args: readonly string[]) => Promise<ExecResult> {
  const exec = execOn(machine, env);
  return (args) => exec(['iptables', ...args]);
}

/**
 * Any command on that machine, with options (a trace's monitor is stopped by a
 * signal): in its network namespace, or in its own system (its mount
 * namespace too: where an nftables engine's nft is).
 */
function execOn(machine: string, env: StartedEnvironment, where: 'namespace' | 'system' = 'namespace'): NamespaceExec {
  if (machine === 'host') return where === 'namespace' ? env.host.exec : env.host.system;
  const host = dockerHostNamed(machine, env);
  return where === 'namespace' ? host.inNamespace : host.inSystem;
}

/** Whether the engine that filters there wrote nftables rules, as read there (the scenario's host: its facts; a Docker host: its own ruleset). */
async function nftablesOn(machine: string, env: StartedEnvironment): Promise<boolean> {
  if (machine === 'host') return env.facts.firewallBackend === 'nftables';
  return (await readFirewallBackend(execOn(machine, env, 'system'))) === 'nftables';
}

/** `Chain FORWARD (policy DROP 12 packets, 720 bytes)`: the policy and what it has dropped so far. */
export function forwardPolicy(listing: ExecResult): { policy: string; packets: number } | undefined {
  const match = /^Chain FORWARD \(policy (\w+) (\d+) packets/.exec(listing.stdout);
  return listing.exitCode === 0 && match ? { policy: match[1]!, packets: Number(match[2]) } : undefined;
}

/**
 * Probe options where a filter is expected to drop the SYN: the client's own
 * retry comes after 1 s, and an answer within the lab takes milliseconds, so
 * 2 s of silence is a drop, not a slow server.
 */
export const whereDropped = { timeoutSeconds: 2 } as const;

/**
 * A traffic probe with the forwarding filter of `machine` as its evidence:
 * FORWARD's policy, rules and counters before and after, and Docker's
 * DOCKER chain, and the kernel's trace of the attempt's SYNs (packet-trace.ts):
 * which rule or policy dropped them. The outcome stays the probe's own; the
 * detail adds that rule, the policy and how many packets it dropped meanwhile
 * (a machine-wide counter: other traffic of the machine may add to it).
 */
export function watchingForward<P extends Probe>(probe: P, machine = 'host'): P {
  return {
    ...probe,
    async run(source, env) {
      const iptables = iptablesOn(machine, env);
      const counters = () => iptables(['-L', 'FORWARD', '-n', '-v', '-x']);
      const before = await counters();
      const exec = execOn(machine, env);
      const monitor = (await nftablesOn(machine, env)) ? nftMonitor(execOn(machine, env, 'system')) : xtablesMonitor(exec);
      const observed = await tracingDrops(exec, monitor, env.run.id, machine === 'host' ? 'the Docker host' : machine, () => probe.run(source, env));
      const after = await counters();
      const rules = await Promise.all([iptables(['-S', 'FORWARD']), iptables(['-L', 'DOCKER', '-n', '-v', '-x'])]);
      const [was, is] = [forwardPolicy(before), forwardPolicy(after)];
      const summary =
        was && is
          ? `FORWARD on ${machine}: policy ${is.policy}, ${is.packets - was.packets} packet(s) dropped by that policy during the attempt`
          : `FORWARD on ${machine} could not be read (see the evidence)`;
      return { ...observed, evidence: [...observed.evidence, before, after, ...rules], detail: [observed.detail, summary].filter(Boolean).join('; ') };
    },
  };
}

/** A probe with host commands recorded after it (listeners, nat rules) that explain its outcome. */
export function withHostEvidence(probe: Probe, commands: readonly (readonly string[])[]): Probe {
  return {
    ...probe,
    async run(source, env) {
      const observed = await probe.run(source, env);
      const extra = await Promise.all(commands.map((argv) => env.host.exec(argv)));
      return { ...observed, evidence: [...observed.evidence, ...extra] };
    },
  };
}
