import { classifyFailure } from '../outcome/classify.ts';
import { noteFor, resolveHost, type AttemptSpec, type HostRef } from '../scenario/claim.ts';

/** What `manage.py dbcheck` (images/django) prints. */
interface DbCheckReport {
  ok: boolean;
  host: string;
  resolved: string[];
  client_addr?: string;
  server_addr?: string;
  error?: string;
  elapsed_ms: number;
}

/**
 * Django's own database connection with article 000's DATABASES, HOST and
 * PORT set to the candidate: the real client path (settings → psycopg2 →
 * libpq), a query answered, not only a TCP connect.
 */
export function djangoDatabase(settings: { HOST: HostRef; PORT: number }): AttemptSpec {
  return {
    connection: (env) => `DATABASES HOST='${resolveHost(settings.HOST, env)}' PORT=${settings.PORT}`,
    note: noteFor(settings.HOST),
    async probe(source, env) {
      const host = resolveHost(settings.HOST, env);
      const result = await source.exec(['python3', 'manage.py', 'dbcheck'], { env: { DB_HOST: host, DB_PORT: String(settings.PORT) } });
      const report = parseReport(result.stdout);
      if (!report) {
        return { outcome: { kind: 'check-failed', reason: `dbcheck printed no report (exit ${result.exitCode}): ${result.stderr.trim()}` }, evidence: [result] };
      }
      const resolved = `${host} resolved to ${report.resolved.join(', ')}`;
      if (report.ok) {
        const seen = `server at ${report.server_addr} saw the client as ${report.client_addr}`;
        return { outcome: { kind: 'success', detail: seen }, evidence: [result], detail: `${resolved}; ${seen}` };
      }
      const outcome = classifyFailure({ message: report.error ?? '', elapsedMs: report.elapsed_ms, host });
      return { outcome, evidence: [result], detail: `${resolved}; ${firstLine(report.error)}` };
    },
  };
}

function parseReport(stdout: string): DbCheckReport | undefined {
  const line = stdout.trim().split('\n').at(-1);
  try {
    return line ? (JSON.parse(line) as DbCheckReport) : undefined;
  } catch {
    return undefined;
  }
}

const firstLine = (text = '') => text.split('\n')[0]!.trim();
