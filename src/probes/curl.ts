import type { ExecResult } from '../exec/exec-result.ts';
import type { Outcome } from '../outcome/outcome.ts';
import type { Probe } from './probe.ts';

/** The answering lab server's name (np-serve's X-Netproof-Server header) and the status, as `-w` prints them. */
const writeOut = '%{http_code} %header{x-netproof-server}';

/**
 * curl's exit → outcome (curl(1) EXIT CODES): 6 a name that did not resolve,
 * 7 a failed connect (its message tells a reset from a missing route), 28 the
 * time limit; any answer is an http-status naming the server.
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
  return { kind: 'other', message: result.stderr.trim() || `curl exited ${result.exitCode}` };
}

/** `curl <url>` from the source, as the article writes it (with a time limit, and -w to read the status). */
export function curlAsWritten(url: string, timeoutSeconds = 5): Probe {
  const describe = `curl ${url}`;
  const host = new URL(url).hostname;
  return {
    describe,
    run: async (source) => {
      const result = await source.exec(['curl', '-sS', '-o', '/dev/null', '-w', writeOut, '--max-time', String(timeoutSeconds), url]);
      if (result.exitCode === null) return { outcome: { kind: 'check-failed', reason: `curl did not run: ${result.stderr.trim()}` }, connection: describe, evidence: [result] };
      const outcome = curlOutcome(result, host, timeoutSeconds * 1000);
      const answeredBy = outcome.kind === 'http-status' ? outcome.server : undefined;
      return { outcome, connection: describe, target: { host, port: Number(new URL(url).port || 80) }, evidence: [result], ...(answeredBy ? { answeredBy } : {}) };
    },
  };
}
