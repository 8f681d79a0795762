import type { ExecResult } from '../exec/exec-result.ts';
import type { Outcome } from '../outcome/outcome.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import type { Observation, Probe, ProbeTarget } from './probe.ts';

/** The answering lab server's name (np-serve's X-Netproof-Server header) and the status, as `-w` prints them. */
const writeOut = '%{http_code} %header{x-netproof-server}';

/** How an outcome of curl's exit 60 starts: the server's certificate was not verified by the CA the client trusts. */
const certificateNotVerified = 'certificate not verified';

/** curl's own error line (`curl: (N) …`), not its -v trace. */
const curlError = (stderr: string) => stderr.split('\n').findLast((line) => line.startsWith('curl: (')) ?? stderr.trim();

/**
 * curl's exit → outcome (curl(1) EXIT CODES): 6 a name that did not resolve,
 * 7 a failed connect (its message tells a reset from a missing route), 28 the
 * time limit, 60 a certificate the given CA did not verify; any answer is an
 * http-status naming the server.
 */
export function curlOutcome(result: ExecResult, host: string, timeoutMs: number): Outcome {
  if (result.exitCode === 0) {
    const [status, server] = result.stdout.trim().split(' ');
    return { kind: 'http-status', status: Number(status), ...(server ? { server } : {}) };
  }
  if (result.exitCode === 6) return { kind: 'dns', name: host };
  if (result.exitCode === 7 && /No route to host|Network is unreachable/i.test(result.stderr)) return { kind: 'no-route' };
  if (result.exitCode === 7) return { kind: 'refused' };
  if (result.exitCode === 28) return { kind: 'timeout', afterMs: timeoutMs };
  if (result.exitCode === 60) return { kind: 'other', message: `${certificateNotVerified}: ${curlError(result.stderr)}` };
  return { kind: 'other', message: curlError(result.stderr) || `curl exited ${result.exitCode}` };
}

/** Runs `curl <args> <url>` in the source (a time limit, -w for the status and the answering server): its observation of `connection`. */
export async function runCurl(source: StartedWorkload, args: readonly string[], url: string, timeoutSeconds: number, connection: string, target: ProbeTarget): Promise<Observation> {
  const result = await source.exec(['curl', '-sS', '-o', '/dev/null', '-w', writeOut, '--max-time', String(timeoutSeconds), ...args, url]);
  if (result.exitCode === null) return { outcome: { kind: 'check-failed', reason: `curl did not run: ${result.stderr.trim()}` }, connection, evidence: [result] };
  const outcome = curlOutcome(result, new URL(url).hostname, timeoutSeconds * 1000);
  const answeredBy = outcome.kind === 'http-status' ? outcome.server : undefined;
  return { outcome, connection, target, evidence: [result], ...(answeredBy ? { answeredBy } : {}) };
}

/** `curl <url>` from the source, as the article writes it (with a time limit, and -w to read the status). */
export function curlAsWritten(url: string, timeoutSeconds = 5): Probe {
  const describe = `curl ${url}`;
  const host = new URL(url).hostname;
  return {
    describe,
    run: (source) => runCurl(source, [], url, timeoutSeconds, describe, { host, port: Number(new URL(url).port || 80) }),
  };
}
