import { hostExec } from '../exec/host-exec.ts';
import type { AttemptSpec, Probed } from '../scenario/claim.ts';

const fact = (holds: boolean, observed: string, ...evidence: Probed['evidence']): Probed => ({ outcome: { kind: 'fact', holds, observed }, evidence });

/** The source's network interfaces are exactly `lo` (`--network none`). */
export function onlyLoopback(): AttemptSpec {
  return {
    connection: () => 'ip -o link show (inside the container)',
    async probe(source) {
      const links = await source.exec(['ip', '-o', 'link', 'show']);
      const names = links.stdout.split('\n').filter(Boolean).map((line) => line.split(': ')[1]!.split('@')[0]!);
      return fact(names.length === 1 && names[0] === 'lo', `interfaces: ${names.join(', ')}`, links);
    },
  };
}

/** A user-defined network has its own bridge on the host, named br-<first 12 of its id>. */
export function hostBridgeFor(network: string): AttemptSpec {
  return {
    connection: (env) => `ip link show ${env.networks[network]!.bridge} (host)`,
    async probe(_source, env) {
      const { bridge, dockerName } = env.networks[network]!;
      const link = await hostExec(['ip', '-d', 'link', 'show', bridge]);
      const holds = link.exitCode === 0 && link.stdout.includes('bridge');
      return fact(holds, holds ? `${dockerName} is bridge ${bridge} on the host` : `no ${bridge} on the host`, link);
    },
  };
}

/** Starting a second server on a port the host namespace already serves fails with EADDRINUSE. */
export function secondBindFails(port: number, from: string): AttemptSpec {
  return {
    from,
    connection: () => `python3 -m http.server ${port} (second server in the host namespace)`,
    async probe(source) {
      const bind = await source.exec(['timeout', '3', 'python3', '-m', 'http.server', String(port)]);
      const inUse = /Address already in use/.test(bind.stderr);
      const observed = inUse ? 'second bind failed: Address already in use' : `second server exit ${bind.exitCode} (124: it kept running, so it did bind)`;
      return fact(inUse, observed, bind);
    },
  };
}

/**
 * `-p HOST:CONTAINER` put a DNAT rule in Docker's nat chain, to this
 * workload's bridge address, which the run's start did not have.
 */
export function dnatRuleFor(hostPort: number, workload: string, containerPort: number): AttemptSpec {
  return {
    connection: () => `iptables -t nat -S DOCKER: --dport ${hostPort} -j DNAT --to-destination <${workload}>:${containerPort}`,
    async probe(_source, env) {
      const target = `${env.workloads[workload]!.addresses.bridge}:${containerPort}`;
      const after = await hostExec(['iptables', '-t', 'nat', '-S', 'DOCKER']);
      const rule = (rules: string) => rules.split('\n').find((line) => line.includes(`--dport ${hostPort} `) && line.includes(`--to-destination ${target}`));
      const added = rule(after.stdout) !== undefined && rule(env.facts.natRulesAtStart.stdout) === undefined;
      const counters = await hostExec(['iptables', '-t', 'nat', '-L', 'DOCKER', '-n', '-v', '-x']);
      return fact(added, added ? `added: ${rule(after.stdout)}` : `no new DNAT rule to ${target}`, env.facts.natRulesAtStart, after, counters);
    },
  };
}
