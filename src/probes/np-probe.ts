import type { ExecResult } from '../exec/exec-result.ts';
import type { Outcome } from '../outcome/outcome.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import type { CheckContext } from './check.ts';
import type { Observation, ProbeTarget } from './probe.ts';

/** What images/toolbox/np-probe prints. */
export interface NpProbeReport {
  ok: boolean;
  host: string;
  port: number;
  resolved: string[];
  errno?: string;
  error?: string;
  elapsed_ms: number;
  local?: string;
  peer?: string;
  status?: number;
  server?: string;
  /** The X-Netproof-Server header: which lab server (np-serve) answered. */
  served_by?: string;
  body?: string;
}

/**
 * errno → outcome. np-probe reports the socket's errno, so no text matching
 * is needed: ECONNREFUSED is a TCP reset, ETIMEDOUT silence, EHOSTUNREACH /
 * ENETUNREACH a missing route (or an ICMP unreachable), EAI a name that did
 * not resolve.
 */
const byErrno: Record<string, (r: NpProbeReport) => Outcome> = {
  ECONNREFUSED: () => ({ kind: 'refused' }),
  ETIMEDOUT: (r) => ({ kind: 'timeout', afterMs: r.elapsed_ms }),
  EHOSTUNREACH: () => ({ kind: 'no-route' }),
  ENETUNREACH: () => ({ kind: 'no-route' }),
  EAI: (r) => ({ kind: 'dns', name: r.host }),
};

export function outcomeOf(report: NpProbeReport): Outcome {
  const server = report.served_by || undefined;
  if (report.ok) {
    return report.status !== undefined ? { kind: 'http-status', status: report.status, ...(server ? { server } : {}) } : { kind: 'success', detail: `${report.local} → ${report.peer}` };
  }
  return byErrno[report.errno ?? '']?.(report) ?? { kind: 'other', message: report.error ?? 'no error text' };
}

/** Runs np-probe in the source and turns its report into an observation of `connection`, with the command as evidence. */
export async function runNpProbe(source: StartedWorkload, args: readonly string[], timeoutSeconds: number, connection: string, target: ProbeTarget): Promise<Observation> {
  const result = await source.exec(['np-probe', ...args, '--timeout', String(timeoutSeconds)]);
  const report = parseReport(result);
  if (!report) {
    return { outcome: { kind: 'check-failed', reason: `np-probe printed no report (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}` }, connection, target, evidence: [result] };
  }
  const outcome = outcomeOf(report);
  const resolved = report.resolved.length ? `${report.host} resolved to ${report.resolved.join(', ')}` : `${report.host} did not resolve`;
  const what = report.ok
    ? report.status !== undefined
      ? `HTTP ${report.status} from ${report.served_by || report.server || 'a server that did not name itself'}: ${firstLine(report.body)}`
      : `connected ${report.local} → ${report.peer}`
    : (report.error ?? '');
  return { outcome, connection, target, evidence: [result], detail: `${resolved}; ${what}`, answeredBy: report.served_by || undefined };
}

/** The report is np-probe's last stdout line; one that is not a report (wrong shape, no JSON) is no report. */
function parseReport(result: ExecResult): NpProbeReport | undefined {
  try {
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as NpProbeReport;
    return typeof report === 'object' && report !== null && typeof report.ok === 'boolean' && Array.isArray(report.resolved) ? report : undefined;
  } catch {
    return undefined;
  }
}

const firstLine = (text = '') => text.trim().split('\n')[0]!.slice(0, 120);

/** np-probe's JSON lines, one per request (a loop of them in one exec). */
export const reportsIn = (result: ExecResult): NpProbeReport[] =>
  result.stdout.split('\n').flatMap((line) => {
    try {
      const report = JSON.parse(line) as NpProbeReport;
      return typeof report?.ok === 'boolean' ? [report] : [];
    } catch {
      return [];
    }
  });

/** A GET from the source that must be answered 200 (else the check failed): its report, recorded. `when` names it in the reason. */
export async function answeredGet(check: CheckContext, source: StartedWorkload, url: string, when: string): Promise<NpProbeReport> {
  const result = await check.must(source.exec(['np-probe', 'http', url, '--timeout', '5']), `the GET ${when}`, [0, 1]);
  const report = check.need(reportsIn(result).at(-1), `an np-probe report ${when}`);
  if (report.status !== 200) throw new Error(`the GET ${when} got ${report.status ?? report.error}`);
  return report;
}
