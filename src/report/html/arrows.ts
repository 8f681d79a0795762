import type { Outcome } from '../../outcome/outcome.ts';
import type { VerdictStatus } from '../../verdict/verdict.ts';
import type { ClaimResult } from '../result.ts';
import { netnsId, workloadId, type Topology, type TopologyNode } from '../topology.ts';

/** How a connection ended, as far as the picture tells them apart. */
export type ArrowEnd = 'answered' | 'refused' | 'timeout' | 'no-route' | 'dns' | 'failed' | 'unchecked';

/** One attempt drawn from its source to its target. */
export interface Arrow {
  readonly id: string;
  readonly claim: string;
  readonly attempt: number;
  readonly from: string;
  readonly to: string;
  readonly end: ArrowEnd;
  readonly verdict: VerdictStatus;
  readonly label: string;
  readonly tooltip: string;
}

/** The network end of an outcome; a fact about a connection carries the connection's own outcome first in `observed`. */
export function arrowEnd(outcome: Outcome): ArrowEnd {
  const kind = outcome.kind === 'fact' ? (/^(success|refused|timeout|no-route|dns|http-status|auth-failure)/.exec(outcome.observed)?.[1] ?? 'fact') : outcome.kind;
  switch (kind) {
    case 'success':
    case 'http-status':
    case 'auth-failure':
      return 'answered';
    case 'refused':
    case 'timeout':
    case 'no-route':
    case 'dns':
      return kind;
    case 'other':
      return 'failed';
    default:
      return 'unchecked';
  }
}

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;

/** The machine a node sits in (a machine's namespace node sits in its machine too). */
const machineOf = (node: TopologyNode | undefined): string | undefined => node?.parent;

/**
 * One arrow per attempt that went somewhere (a target); checks read off the
 * environment have no target and no arrow. The arrow ends at the server that
 * answered when the probe names it; otherwise a target address is looked for
 * on the source's own machine first: 172.17.0.2 on one Docker host is not
 * 172.17.0.2 on another. Addresses nothing in the lab holds become nodes of
 * their own (returned as `extraNodes`).
 */
export function arrowsFor(claims: readonly ClaimResult[], topology: Topology): { arrows: Arrow[]; extraNodes: TopologyNode[] } {
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  const extraNodes = new Map<string, TopologyNode>();
  const sourceNode = (name: string) => {
    const id = workloadId(name);
    const node = byId.get(id);
    if (node && (node.kind === 'docker-host' || node.kind === 'kind-node' || node.kind === 'host')) return netnsId(id);
    return node ? id : undefined;
  };
  const segmentsOf = (id: string) => topology.links.filter((l) => l.from === id).map((l) => l.to);
  const arrows: Arrow[] = [];
  for (const claim of claims) {
    claim.attempts.forEach((attempt, i) => {
      if (!attempt.target) return;
      const from = sourceNode(attempt.from ?? claim.from);
      if (!from) return;
      const host = attempt.target.host;
      const here = machineOf(byId.get(from));
      const mine = segmentsOf(from);
      // The same address or name can be two things: prefer what shares the source's machine, then its network.
      const score = (n: TopologyNode) => (machineOf(n) === here ? 2 : 0) + (segmentsOf(n.id).some((s) => mine.includes(s)) ? 1 : 0);
      const closest = (candidates: readonly TopologyNode[]) => [...candidates].sort((a, b) => score(b) - score(a))[0];
      // The server that answered, where the probe could tell, is the target; else the address as seen from the source.
      const answered = attempt.answeredBy ? closest(topology.nodes.filter((n) => n.names?.includes(attempt.answeredBy!))) : undefined;
      const holder = closest(topology.nodes.filter((n) => n.addresses?.includes(host) || n.names?.includes(host)));
      let to: string;
      if (answered) to = answered.id;
      else if (loopback.test(host)) to = from;
      else if (holder) to = holder.id;
      else {
        to = `addr:${host}`;
        extraNodes.set(to, { id: to, kind: 'address', label: `${host}\n(no lab workload)` });
      }
      const end = arrowEnd(attempt.outcome);
      const where = `${host}${attempt.target.port ? `:${attempt.target.port}` : ''}`;
      arrows.push({
        id: `attempt-${claim.id}-${i + 1}`,
        claim: claim.id,
        attempt: i + 1,
        from,
        to,
        end,
        verdict: attempt.verdict,
        label: `${claim.id}.${i + 1} ${end === 'answered' ? where : end}`,
        tooltip: `${claim.id} attempt ${i + 1}: ${attempt.connection} → ${end}${attempt.answeredBy ? `, answered by ${attempt.answeredBy}` : ''} (${attempt.verdict})`,
      });
    });
  }
  return { arrows, extraNodes: [...extraNodes.values()] };
}
