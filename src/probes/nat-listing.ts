import type { StartedEnvironment } from '../environment/started-environment.ts';
import { runResourceName } from '../lab/names.ts';
import { checked, type CheckContext } from './check.ts';
import type { Probe } from './probe.ts';

/** The command as article 004 runs it. */
const articleListing = ['iptables', '-nvL', '-t', 'nat'];

/** A DNAT line of chain DOCKER in `iptables -nvL -t nat`: its packet counter and the line. */
interface DnatLine {
  readonly packets: number;
  readonly line: string;
}

/** `1234`, `12K`, `3M` (iptables -v without -x rounds large counters). */
const counter = (text: string) => Number(text.replace(/[KMG]$/, '')) * ({ K: 1e3, M: 1e6, G: 1e9 }[text.at(-1)!] ?? 1);

/** The chain DOCKER's DNAT lines to `destination` (`to:172.17.0.2:80`), optionally only for `dpt:<hostPort>`. */
export function dnatLinesTo(listing: string, destination: string, hostPort?: number): DnatLine[] {
  const chain = listing.split(/\n\s*\n/).find((section) => section.startsWith('Chain DOCKER '));
  return (chain ?? '')
    .split('\n')
    .slice(2)
    .filter((line) => /\sDNAT\s/.test(line) && line.includes(`to:${destination}`) && (hostPort === undefined || line.includes(`dpt:${hostPort} `)))
    .map((line) => ({ packets: counter(line.trim().split(/\s+/)[0]!), line: line.trim().replace(/\s+/g, ' ') }));
}

/** What the article's listing shows of Docker on an engine whose rules are not iptables'. */
const noIptablesRules = "no chain DOCKER: this engine's firewall backend is nftables, whose rules (table ip docker-bridges) `iptables` does not list";

/**
 * The article's listing; undefined when it has no DOCKER chain because the
 * engine writes nftables rules (then what the listing shows is the finding).
 */
async function listNat(check: CheckContext, env: StartedEnvironment): Promise<string | undefined> {
  const listing = await check.must(env.host.exec(articleListing), 'listing the nat table');
  if (!listing.stdout.includes('Chain DOCKER ') && env.facts.firewallBackend === 'nftables') return undefined;
  check.need(listing.stdout.includes('Chain DOCKER ') || undefined, "Docker's DOCKER chain in the nat table");
  return listing.stdout;
}

/**
 * `iptables -nvL -t nat` on the host, verbatim: holds when chain DOCKER shows
 * a DNAT rule to `workload`'s bridge address and `containerPort` (for host
 * port `hostPort` where given; without it, any DNAT to that container).
 */
export function natListingShowsDnat(target: { readonly workload: string; readonly containerPort: number; readonly hostPort?: number }): Probe {
  const { workload, containerPort, hostPort } = target;
  const describe = `${articleListing.join(' ')}: DNAT ${hostPort ? `dpt:${hostPort} ` : ''}to:<${workload}>:${containerPort}`;
  return {
    describe,
    run: (_source, env) =>
      checked(articleListing.join(' '), async (check) => {
        const destination = `${check.need(env.workloads[workload]?.addresses.bridge, `${workload}'s bridge address`)}:${containerPort}`;
        const listing = await listNat(check, env);
        if (listing === undefined) return { outcome: { kind: 'fact', holds: false, observed: noIptablesRules } };
        const found = dnatLinesTo(listing, destination, hostPort);
        return { outcome: { kind: 'fact', holds: found.length > 0, observed: found.length > 0 ? `chain DOCKER: ${found.map((f) => f.line).join(' | ')}` : `no DNAT to ${destination} in chain DOCKER` } };
      }),
  };
}

/**
 * The DNAT rule's counter as `iptables -nvL -t nat` shows it, before and
 * after `request` from the source reaches host:`hostPort`: holds when the
 * rule counted it. The request must be answered by `workload` itself (its
 * server names itself), else the count would say nothing: check-failed.
 */
export function natCounterCounts(target: { readonly workload: string; readonly containerPort: number; readonly hostPort: number }, request: Probe): Probe {
  const { workload, containerPort, hostPort } = target;
  const describe = `${articleListing.join(' ')} before and after ${request.describe}: the DNAT rule's pkts`;
  return {
    describe,
    note: request.note,
    run: (source, env) =>
      checked(describe, async (check) => {
        const destination = `${check.need(env.workloads[workload]?.addresses.bridge, `${workload}'s bridge address`)}:${containerPort}`;
        const ruleIn = (listing: string) => check.need(dnatLinesTo(listing, destination, hostPort)[0], `the DNAT rule dpt:${hostPort} to:${destination}`);
        const first = await listNat(check, env);
        if (first === undefined) return { outcome: { kind: 'fact', holds: false, observed: `${noIptablesRules}: no counter to read` } };
        const before = ruleIn(first);
        const answered = await request.run(source, env);
        check.need(answered.answeredBy === runResourceName(env.run.id, workload) || undefined, `an answer from ${workload} to ${answered.connection} (got ${answered.outcome.kind}${answered.answeredBy ? ` from ${answered.answeredBy}` : ''})`);
        const after = ruleIn((await listNat(check, env)) ?? '');
        const counted = after.packets - before.packets;
        return {
          connection: `${articleListing.join(' ')}; ${answered.connection}; ${articleListing.join(' ')}`,
          outcome: { kind: 'fact', holds: counted > 0, observed: `pkts ${before.packets} → ${after.packets} on "${after.line}" across ${answered.connection}` },
          answeredBy: answered.answeredBy,
          evidence: answered.evidence,
          detail: answered.detail,
        };
      }),
  };
}
