import { basename, dirname } from 'node:path';
import { checkFact } from './check.ts';
import { nftablesDnatRule } from './docker-nftables.ts';
import { describeHost, onHost, type HostRef } from './lab-value.ts';
import type { Probe } from './probe.ts';

/** The source's network interfaces are exactly `lo` (`--network none`). */
export function onlyLoopback(): Probe {
  const describe = 'ip -o link show (inside the container)';
  return {
    describe,
    run: (source) =>
      checkFact(describe, async (check) => {
        const links = await check.must(source.exec(['ip', '-o', 'link', 'show']), "listing the container's links");
        const names = links.stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => check.need(/^\d+: ([^:@]+)/.exec(line)?.[1], `an interface name in "${line}"`));
        check.need(names.length > 0 ? names : undefined, 'any interface (even lo)');
        return { holds: names.length === 1 && names[0] === 'lo', observed: `interfaces: ${names.join(', ')}` };
      }),
  };
}

/** A user-defined network has its own bridge on the host, named br-<first 12 of its id>. */
export function hostBridgeFor(network: string): Probe {
  return {
    describe: `ip -d link show br-<${network}'s id> (host)`,
    run: (_source, env) => {
      const started = env.networks[network];
      return checkFact(`ip -d link show ${started?.bridge ?? `<${network}'s bridge>`} (host)`, async (check) => {
        const { bridge, dockerName, id } = check.need(started, `the scenario network ${network}`);
        // The network must still exist on the engine: a missing bridge is a finding only then.
        await check.must(env.host.docker(['network', 'inspect', '--format', '{{.Id}}', id]), `the network ${dockerName} on the engine`);
        // Exit 1 with "does not exist" is an observation (no such bridge); any other failure is not.
        const link = await check.must(env.host.exec(['ip', '-d', 'link', 'show', bridge]), `reading ${bridge}`, [0, 1]);
        if (link.exitCode === 1 && !/does not exist/.test(link.stderr)) check.need(undefined, `a readable answer about ${bridge}: ${link.stderr.trim()}`);
        const holds = link.exitCode === 0 && /\bbridge\b/.test(link.stdout);
        return { holds, observed: holds ? `${dockerName} is bridge ${bridge} on the host` : `no bridge ${bridge} on the host` };
      });
    },
  };
}

/**
 * A second server on a port the host namespace already serves: np-serve
 * exits 98 on EADDRINUSE; still running after 3 s (timeout's 124) means it
 * bound. That the first server really holds the port is checked first.
 */
export function secondBindFails(port: number): Probe {
  const describe = `np-serve ${port} (a second server in the host namespace)`;
  return {
    describe,
    run: (source) =>
      checkFact(describe, async (check) => {
        const listening = await check.must(source.exec(['ss', '-Hltn', `sport = :${port}`]), `listing listeners on ${port}`);
        check.need(listening.stdout.trim() || undefined, `a first server listening on ${port} in this namespace`);
        const bind = await check.must(source.exec(['timeout', '3', 'np-serve', String(port)]), 'starting the second server', [98, 124]);
        const inUse = bind.exitCode === 98;
        return { holds: inUse, observed: inUse ? `second bind failed: ${bind.stderr.trim()}` : 'the second server kept running: it did bind' };
      }),
  };
}

/**
 * `-p HOST:CONTAINER` put a DNAT rule in Docker's nat chain, to this
 * workload's bridge address, which the run's start did not have.
 */
export function dnatRuleFor(hostPort: number, workload: string, containerPort: number): Probe {
  const describe = `iptables -t nat -S DOCKER: --dport ${hostPort} -j DNAT --to-destination <${workload}>:${containerPort}`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const address = check.need(env.workloads[workload]?.addresses.bridge, `${workload}'s bridge address`);
        const target = `${address}:${containerPort}`;
        if (env.facts.firewallBackend === 'nftables') {
          const rule = await nftablesDnatRule(check, env, hostPort, target);
          return rule
            ? { holds: true, observed: `in nftables (this engine's firewall backend), table ip docker-bridges: ${rule}` }
            : { holds: false, observed: `no DNAT rule to ${target} in nftables table ip docker-bridges (this engine's firewall backend)` };
        }
        const before = await check.must(env.facts.natRulesAtStart, "Docker's nat rules at the run's start");
        const after = await check.must(env.host.exec(['iptables', '-t', 'nat', '-S', 'DOCKER']), "reading Docker's nat rules");
        await check.record(env.host.exec(['iptables', '-t', 'nat', '-L', 'DOCKER', '-n', '-v', '-x']));
        const rule = (rules: string) => rules.split('\n').find((line) => line.includes(`--dport ${hostPort} `) && line.includes(`--to-destination ${target}`));
        const added = rule(after.stdout) !== undefined && rule(before.stdout) === undefined;
        return { holds: added, observed: added ? `added: ${rule(after.stdout)}` : `no new DNAT rule to ${target}` };
      }),
  };
}

/**
 * Which interface the source's kernel would send a packet for `address` out
 * of (`ip -j route get`). Holds when it is `device`. "Network is unreachable"
 * (no route at all) is an observation too: it holds with `noRouteHolds`,
 * where the statement is only about the paths a source does use ("talks
 * only through docker0" is not broken by a source that cannot talk at all).
 */
export function routeVia(address: HostRef, device: string, options: { readonly noRouteHolds?: boolean } = {}): Probe {
  const describe = `ip route get ${describeHost(address)} (inside the source)`;
  return {
    describe,
    run: (source, env) =>
      onHost(address, env, describe, (resolved) =>
        checkFact(`ip route get ${resolved} (inside ${source.name})`, async (check) => {
          const route = await check.must(source.exec(['ip', '-j', 'route', 'get', resolved]), `looking up the route to ${resolved}`, [0, 2]);
          if (route.exitCode === 2) {
            check.need(/unreachable/i.test(route.stderr) || undefined, `a readable routing answer: ${route.stderr.trim()}`);
            const observed = `no route to ${resolved} at all (${route.stderr.trim()}): `;
            return options.noRouteHolds
              ? { holds: true, observed: `${observed}the source sends it nowhere, so nothing goes around ${device}` }
              : { holds: false, observed: `${observed}nothing goes through ${device} either` };
          }
          const dev = check.need(check.json<{ dev?: string }[]>(route, 'the route')[0]?.dev, `the route's device for ${resolved}`);
          return { holds: dev === device, observed: `${resolved} goes out of ${dev}${dev === device ? '' : `, not ${device}`}` };
        }),
      ),
  };
}

/**
 * Whether `ip netns` lists a container's network namespace: the sandbox
 * Docker made (`docker inspect` SandboxKey), shown to be the container's by
 * entering it and reading its eth0.
 */
export function netnsListed(workload: string): Probe {
  const describe = `ip netns list; docker inspect <${workload}> (SandboxKey)`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const target = check.need(env.workloads[workload], `the workload ${workload}`);
        const inspected = await check.must(env.host.docker(['inspect', '--format', '{{.State.Pid}} {{.NetworkSettings.SandboxKey}}', target.containerName]), `inspecting ${workload}`);
        const [pid, sandbox] = inspected.stdout.trim().split(' ');
        const sandboxKey = check.need(sandbox || undefined, `${workload}'s SandboxKey`);
        check.need(pid || undefined, `${workload}'s pid`);
        const inside = await check.must(env.host.system(['nsenter', `--net=${sandboxKey}`, 'ip', '-4', '-o', 'addr', 'show', 'eth0']), `entering ${sandboxKey}`);
        const address = target.addresses.bridge;
        check.need(address && inside.stdout.includes(`${address}/`) ? true : undefined, `${workload}'s address ${address} on eth0 inside ${sandboxKey}`);
        const listed = await check.must(env.host.system(['ip', 'netns', 'list']), 'listing named network namespaces');
        await check.record(env.host.system(['ls', '-l', dirname(sandboxKey), '/var/run/netns']));
        const name = basename(sandboxKey);
        const shown = listed.stdout.split('\n').some((line) => line.split(' ')[0] === name);
        return {
          holds: shown,
          observed: `${workload}'s namespace is ${sandboxKey} (its eth0 has ${address}); ip netns ${shown ? 'lists' : 'does not list'} ${name}${shown ? '' : ` (it reads /var/run/netns; Docker keeps its sandboxes in ${dirname(sandboxKey)})`}`,
        };
      }),
  };
}
