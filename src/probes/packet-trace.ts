/**
 * Which rule stopped a packet, as the kernel tells it: while an attempt runs,
 * a TRACE rule (raw PREROUTING and OUTPUT, TCP SYNs only, marked with the
 * run's comment so a sweep finds it) sets nftrace on the SYNs entering the
 * namespace that filters them, and a monitor there (`xtables-monitor --trace`,
 * or `nft monitor trace` where the engine writes nftables rules) prints every
 * chain and rule each traced packet went through. The attempt's own packets
 * are picked out by their destination (the probe's target) afterwards; the
 * verdict line that dropped them is the answer.
 */
import type { ExecResult } from '../exec/exec-result.ts';
import type { HostExecOptions } from '../exec/host-exec.ts';
import { runRuleMarker } from '../lab/names.ts';
import type { Observation, ProbeTarget } from './probe.ts';

/** A command in the namespace that filters the attempt's packets. */
export type NamespaceExec = (argv: readonly string[], options?: HostExecOptions) => Promise<ExecResult>;

/**
 * What reads the trace there: `xtables-monitor --trace` (this machine's, in
 * the namespace) for iptables rules; for an engine on the nftables backend,
 * `nft monitor trace` with the host's own nft (its mount namespace too),
 * since xtables-monitor stops at native nftables rules it cannot print.
 */
export interface TraceMonitor {
  readonly exec: NamespaceExec;
  readonly argv: readonly string[];
  readonly parse: (output: string) => TracedPacket[];
}

export const xtablesMonitor = (exec: NamespaceExec): TraceMonitor => ({ exec, argv: ['stdbuf', '-oL', 'xtables-monitor', '--trace'], parse: parseTrace });
export const nftMonitor = (exec: NamespaceExec): TraceMonitor => ({ exec, argv: ['stdbuf', '-oL', 'nft', 'monitor', 'trace'], parse: parseNftTrace });

/** One traced packet: where it was going, and each step the trace printed for it. */
export interface TracedPacket {
  readonly id: string;
  readonly destination?: string;
  readonly destinationPort?: number;
  /** `table:chain:rule:0x5:DROP -4 -t raw -A PREROUTING …`, `filter:FORWARD:policy:DROP`, in order. */
  readonly steps: readonly string[];
}

const traceChains = ['PREROUTING', 'OUTPUT'] as const;
/** How long the monitor needs to subscribe before the probe's first packet (it prints nothing to wait on). */
const subscribeMs = 300;

/**
 * Runs `attempt` with its SYNs traced in that namespace; returns its
 * observation with the trace as evidence and, when a rule or policy dropped
 * the packet, that rule in the detail (`dropped by …`).
 */
export async function tracingDrops(exec: NamespaceExec, monitorWith: TraceMonitor, runId: string, where: string, attempt: () => Promise<Observation>): Promise<Observation> {
  const rule = (action: '-I' | '-D', chain: string) =>
    ['iptables', '-t', 'raw', action, chain, ...(action === '-I' ? ['1'] : []), '-p', 'tcp', '--syn', '-m', 'comment', '--comment', `${runRuleMarker(runId)} trace`, '-j', 'TRACE'];
  const stop = new AbortController();
  const monitor = monitorWith.exec(monitorWith.argv, { signal: stop.signal, timeoutMs: 120_000 });
  const added: string[] = [];
  try {
    for (const chain of traceChains) if ((await exec(rule('-I', chain))).exitCode === 0) added.push(chain);
    await new Promise((resolve) => setTimeout(resolve, subscribeMs));
    const observed = await attempt();
    // The last verdict comes within microseconds of the client's timeout; let the monitor print it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    const trace = await monitor;
    const packets = monitorWith.parse(trace.stdout).filter((packet) => isTowards(packet, observed.target));
    // An answer needs no explaining; a silence or a refusal does.
    const unanswered = ['timeout', 'refused', 'other'].includes(observed.outcome.kind);
    // Stopped by our signal, the monitor has no exit code; one it has is a failure (no xtables-monitor, no nf_tables).
    const unread = trace.exitCode !== null ? `the trace could not be read in ${where}: ${trace.stderr.trim() || `exit ${trace.exitCode}`}` : undefined;
    const verdict = !unanswered ? undefined : added.length === 0 ? `the trace could not be set up in ${where}` : (unread ?? droppedBy(packets, where));
    return {
      ...observed,
      evidence: [...observed.evidence, { ...trace, stdout: traceOf(packets), stderr: trace.stderr }],
      detail: [observed.detail, verdict].filter(Boolean).join('; '),
    };
  } finally {
    stop.abort();
    for (const chain of added) await exec(rule('-D', chain));
  }
}

/**
 * Trace lines grouped by the trace id the kernel gives each packet: a
 * monitor's parser says, per line, its packet, and either where the packet
 * was going or one step it took. The first destination seen is the packet as
 * it entered (before any DNAT rewrote it).
 */
function groupByPacket(output: string, read: (line: string) => { id: string; destination?: string; destinationPort?: string; step?: string } | undefined): TracedPacket[] {
  const packets = new Map<string, { id: string; destination?: string; destinationPort?: number; steps: string[] }>();
  for (const line of output.split('\n')) {
    const seen = read(line.trim());
    if (!seen) continue;
    const packet = packets.get(seen.id) ?? { id: seen.id, steps: [] };
    packets.set(seen.id, packet);
    packet.destination ??= seen.destination;
    if (packet.destinationPort === undefined && seen.destinationPort) packet.destinationPort = Number(seen.destinationPort);
    if (seen.step !== undefined) packet.steps.push(seen.step);
  }
  return [...packets.values()];
}

/** `xtables-monitor --trace` output: `PACKET: 2 <id> … DST=D … DPORT=P` and `TRACE: 2 <id> table:chain:…` lines. */
export function parseTrace(output: string): TracedPacket[] {
  return groupByPacket(output, (line) => {
    const match = /^(PACKET|TRACE): \d+ ([0-9a-f]+) (.*)$/.exec(line);
    if (!match) return undefined;
    const [, kind, id, rest] = match as unknown as [string, string, string, string];
    return kind === 'PACKET' ? { id, destination: /\bDST=(\S+)/.exec(rest)?.[1], destinationPort: /\bDPORT=(\d+)/.exec(rest)?.[1] } : { id, step: rest.trim() };
  });
}

/**
 * `nft monitor trace` output in the same shape: `trace id <id> <family> <table>
 * <chain> packet: … ip daddr D … tcp dport P …`, then `rule … (verdict drop)`
 * and `policy drop` lines, each step as `table:chain:rule:nft:DROP <rule>`.
 */
export function parseNftTrace(output: string): TracedPacket[] {
  return groupByPacket(output, (line) => {
    const match = /^trace id ([0-9a-f]+) \S+ (\S+) (\S+) (.*)$/.exec(line);
    if (!match) return undefined;
    const [, id, table, chain, rest] = match as unknown as [string, string, string, string, string];
    if (rest.startsWith('packet:')) return { id, destination: /\bip daddr (\S+)/.exec(rest)?.[1], destinationPort: /\btcp dport (\d+)/.exec(rest)?.[1] };
    const rule = /^rule (.*) \(verdict (\w+)\)$/.exec(rest);
    const policy = /^policy (\w+)/.exec(rest);
    const step = rule ? `rule:nft:${rule[2]!.toUpperCase()} ${rule[1]}` : policy ? `policy:${policy[1]!.toUpperCase()}` : rest;
    return { id, step: `${table}:${chain}:${step}` };
  });
}

function isTowards(packet: TracedPacket, target: ProbeTarget | undefined): boolean {
  if (!target) return false;
  return packet.destination === target.host && (target.port === undefined || packet.destinationPort === target.port);
}

/** The step that dropped (or rejected) the attempt's packets (`filter:FORWARD:policy:DROP`), said in words. */
export function droppedBy(packets: readonly TracedPacket[], where: string): string {
  if (packets.length === 0) return `the trace in ${where} saw none of the attempt's SYNs`;
  for (const packet of packets) {
    const step = packet.steps.find((s) => /^[^:\s]+:[^:\s]+:(rule:(0x[0-9a-f]+|nft)|policy):DROP\b/.test(s));
    if (!step) continue;
    const [table, chain, kind] = step.split(':') as [string, string, string];
    const ruleText = step.replace(/^\S+\s*/, '').trim();
    // The kernel reports a REJECT rule's verdict as a drop (it sends its answer, then drops the packet): the rule says which.
    const verb = / -j REJECT\b|\breject\b/.test(ruleText) ? 'rejected' : 'dropped';
    return kind === 'policy' ? `dropped in ${where} by ${table} ${chain}'s policy DROP` : `${verb} in ${where} by ${table} ${chain}: \`${ruleText || step}\``;
  }
  const last = packets[0]!.steps.at(-1);
  return `the trace in ${where} saw no rule drop the attempt's SYN${last ? ` (its last step: ${last})` : ''}`;
}

/** The trace lines of the attempt's own packets (the monitor also printed the namespace's other SYNs). */
function traceOf(packets: readonly TracedPacket[]): string {
  const lines = packets.flatMap((packet) => [`packet ${packet.id} to ${packet.destination}:${packet.destinationPort}`, ...packet.steps.map((step) => `  ${step}`)]);
  return [`(the attempt's own packets only, by destination; other SYNs traced meanwhile are left out)`, ...lines].join('\n');
}
