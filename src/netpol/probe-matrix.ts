/**
 * Probes the whole matrix: one exec per source pod runs all of its probes
 * (np-probe batch, in parallel inside the pod), the sources themselves
 * through a bounded pool. One exec per source instead of one per probe: 11
 * execs a matrix, not 396.
 */
import type { ExecResult } from '../exec/exec-result.ts';
import { outcomeOf, type NpProbeReport } from '../probes/np-probe.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { probeKey, type PortProtocol, type ProbeCell } from './conformance.ts';

export interface MatrixTarget {
  /** Column name (x/a). */
  readonly name: string;
  readonly ip: string;
}

export interface MatrixRun {
  readonly cells: Map<string, ProbeCell>;
  /** One exec per source: the command and its output. */
  readonly evidence: readonly ExecResult[];
  /** Sources whose exec gave no report for some probe (those cells stay missing: inconclusive). */
  readonly failures: readonly string[];
}

/** Runs `work` over `items`, at most `limit` at once, results in order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export interface ProbeTimeouts {
  /** A TCP connection's, or a UDP datagram's answer: what a policy's drop costs. */
  readonly timeoutSeconds: number;
  /** HTTP's answer once connected (a policy stops the SYN, never the answer): a loaded np-serve's time. The same as timeoutSeconds when missing. */
  readonly answerSeconds?: number;
}

/** The np-probe batch of one source: TCP as HTTP (np-serve names itself in the answer), UDP as a datagram np-serve answers. */
export function batchFor(targets: readonly MatrixTarget[], at: readonly PortProtocol[], timeouts: ProbeTimeouts) {
  return targets.flatMap((target) =>
    at.map((p) => ({
      id: `${target.name} ${p.port}/${p.protocol}`,
      ...(p.protocol === 'TCP'
        ? { kind: 'http', url: `http://${target.ip}:${p.port}/`, read_timeout: timeouts.answerSeconds ?? timeouts.timeoutSeconds }
        : { kind: p.protocol.toLowerCase(), host: target.ip, port: p.port }),
      timeout: timeouts.timeoutSeconds,
    })),
  );
}

export async function probeMatrix(sources: ReadonlyMap<string, StartedWorkload>, targets: readonly MatrixTarget[], at: readonly PortProtocol[], options: ProbeTimeouts & { concurrency: number }): Promise<MatrixRun> {
  const batch = batchFor(targets, at, options);
  const cells = new Map<string, ProbeCell>();
  const failures: string[] = [];
  const evidence = await inPool([...sources], options.concurrency, async ([row, source]) => {
    const result = await source.exec(['np-probe', 'batch', JSON.stringify(batch)]);
    let reported = 0;
    for (const line of result.stdout.split('\n')) {
      const report = parseLine(line);
      if (!report) continue;
      const [column, portProtocol] = report.id.split(' ') as [string, string];
      const [port, protocol] = portProtocol.split('/') as [string, PortProtocol['protocol']];
      cells.set(probeKey(row, column, { port: Number(port), protocol }), { outcome: outcomeOf(report), answeredBy: report.served_by || undefined });
      reported++;
    }
    if (reported < batch.length) failures.push(`${row}: ${reported}/${batch.length} reports (exit ${result.exitCode}) ${result.stderr.trim().slice(-200)}`);
    return result;
  });
  return { cells, evidence, failures };
}

function parseLine(line: string): (NpProbeReport & { id: string }) | undefined {
  try {
    const report = JSON.parse(line) as NpProbeReport & { id?: unknown };
    return typeof report.id === 'string' && typeof report.ok === 'boolean' ? (report as NpProbeReport & { id: string }) : undefined;
  } catch {
    return undefined;
  }
}
