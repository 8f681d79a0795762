import { classifyFailure } from '../outcome/classify.ts';
import { checked } from './check.ts';
import { describeHost, noteFor, onHost, type HostRef } from './lab-value.ts';
import type { Probe } from './probe.ts';

/** What `manage.py dbcheck` (images/django) prints. */
interface DbCheckReport {
  ok: boolean;
  host: string;
  resolved: string[];
  client_addr?: string;
  server_addr?: string;
  /** The server's cluster_name: the lab names every database it starts. */
  server_name?: string;
  error?: string;
  elapsed_ms: number;
}

/**
 * Django's own database connection with article 000's DATABASES, HOST and
 * PORT set to the candidate: the real client path (settings → psycopg2 →
 * libpq), a query answered, not only a TCP connect. A success names the
 * server that answered (its cluster_name) and the addresses it saw.
 */
export function djangoDatabase(settings: { HOST: HostRef; PORT: number }): Probe {
  const describe = `DATABASES HOST='${describeHost(settings.HOST)}' PORT=${settings.PORT}`;
  return {
    describe,
    note: noteFor(settings.HOST),
    run: (source, env) =>
      onHost(settings.HOST, env, describe, (host) =>
        checked(
          `DATABASES HOST='${host}' PORT=${settings.PORT}`,
          async (check) => {
            const result = await check.record(source.exec(['python3', 'manage.py', 'dbcheck'], { env: { DB_HOST: host, DB_PORT: String(settings.PORT) } }));
            const report = check.need(parseReport(result.stdout), `a dbcheck report (exit ${result.exitCode}: ${result.stderr.trim().split('\n').at(-1) ?? ''})`);
            const resolved = `${host} resolved to ${report.resolved.join(', ')}`;
            if (report.ok) {
              const server = check.need(report.server_name || undefined, "the answering server's cluster_name");
              const seen = `${server} at ${report.server_addr} saw the client as ${report.client_addr}`;
              return { outcome: { kind: 'success', detail: seen, server }, detail: `${resolved}; ${seen}`, answeredBy: server };
            }
            return { outcome: classifyFailure({ message: report.error ?? '', elapsedMs: report.elapsed_ms, host }), detail: `${resolved}; ${firstLine(report.error)}` };
          },
          { host, port: settings.PORT },
        ),
      ),
  };
}

function parseReport(stdout: string): DbCheckReport | undefined {
  try {
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as DbCheckReport;
    return typeof report?.ok === 'boolean' && Array.isArray(report.resolved) ? report : undefined;
  } catch {
    return undefined;
  }
}

const firstLine = (text = '') => text.split('\n')[0]!.trim();
