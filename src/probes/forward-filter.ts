import type { FactFound } from './check.ts';
import { onEveryNode } from './k8s-checks.ts';
import type { Probe } from './probe.ts';

/** The chains a packet in FORWARD can pass through: FORWARD and every chain jumped to from one of them. */
function chainsFromForward(rules: readonly string[]): Set<string> {
  const reached = new Set(['FORWARD']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const rule of rules) {
      const [, chain, target] = /^-A (\S+) .*-[jg] (\S+)/.exec(rule) ?? [];
      if (chain && target && reached.has(chain) && !reached.has(target)) {
        reached.add(target);
        grew = true;
      }
    }
  }
  return reached;
}

/** kube-proxy's REJECT for one Service while it has no ready endpoint: it stops that ClusterIP's packets only, and only then. */
const noEndpointsReject = /--comment "([^"]*) has no endpoints"/;

/**
 * What of a node's `iptables-save -t filter` could stop a forwarded packet:
 * the FORWARD policy and every DROP/REJECT rule of a chain reachable from
 * FORWARD, except those that match only conntrack-INVALID packets
 * (kube-proxy's KUBE-FORWARD drops those, which no well-formed connection is)
 * and kube-proxy's "has no endpoints" REJECTs (a Service between pods, e.g.
 * another claim replacing its pods as this one reads: named, not counted).
 */
export function forwardFilters(saved: string): FactFound {
  const policy = /^:FORWARD (\w+)/m.exec(saved)?.[1] ?? 'unknown';
  const rules = saved.split('\n').filter((l) => l.startsWith('-A '));
  const reached = chainsFromForward(rules);
  const onPath = rules.filter((l) => reached.has(l.split(' ')[1]!) && /-j (DROP|REJECT)\b/.test(l) && !/--ctstate INVALID\b/.test(l));
  const drops = onPath.filter((l) => !noEndpointsReject.test(l));
  const services = onPath.flatMap((l) => noEndpointsReject.exec(l)?.[1] ?? []);
  const holds = policy === 'ACCEPT' && drops.length === 0;
  const uncounted = services.length ? `; not counted: kube-proxy's REJECT for ${services.join(', ')} (no endpoints at that moment)` : '';
  return {
    holds,
    observed: `FORWARD policy ${policy}; ${drops.length ? `${drops.length} DROP/REJECT rules on the forward path: ${drops.map((l) => l.replace(/ -m comment --comment "[^"]*"/, '')).join(' | ')}` : 'no DROP/REJECT rule on the forward path but for conntrack-INVALID packets'}${uncounted}`,
  };
}

/** On every node: whether its filter table stops anything it forwards (the finding beside K11/K19: nothing filters forwarded traffic to ClusterIPs and pod IPs). */
export const forwardFiltersOnNodes = (): Probe =>
  onEveryNode('iptables-save -t filter, on every node', async (node, lab, check) => {
    const saved = await check.must(lab.cluster.nodeExec(node.name, ['iptables-save', '-t', 'filter']), `the filter rules on ${node.name.replace(`${lab.cluster.name}-`, '')}`);
    return forwardFilters(saved.stdout);
  });
