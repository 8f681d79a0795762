import { noteFor, resolveHost, type AttemptSpec, type HostRef } from '../scenario/claim.ts';
import { runNpProbe } from './np-probe.ts';

/** An HTTP GET from the source; any HTTP answer is an `http-status` outcome. */
export function httpGet(host: HostRef, port: number, path = '/', options: { timeoutSeconds?: number } = {}): AttemptSpec {
  const url = (resolved: string) => `http://${resolved}${port === 80 ? '' : `:${port}`}${path}`;
  return {
    connection: (env) => `GET ${url(resolveHost(host, env))}`,
    note: noteFor(host),
    probe: (source, env) => runNpProbe(source, ['http', url(resolveHost(host, env))], options.timeoutSeconds ?? 5),
  };
}
