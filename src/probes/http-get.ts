import { describeHost, noteFor, onHost, type HostRef } from './lab-value.ts';
import { runNpProbe } from './np-probe.ts';
import type { Probe } from './probe.ts';

/** An HTTP GET from the source; any HTTP answer is an `http-status` outcome naming the lab server that gave it. */
export function httpGet(host: HostRef, port: number, path = '/', options: { timeoutSeconds?: number } = {}): Probe {
  const url = (h: string) => `http://${h}${port === 80 ? '' : `:${port}`}${path}`;
  const describe = `GET ${url(describeHost(host))}`;
  return {
    describe,
    note: noteFor(host),
    run: (source, env) => onHost(host, env, describe, (resolved) => runNpProbe(source, ['http', url(resolved)], options.timeoutSeconds ?? 5, `GET ${url(resolved)}`, { host: resolved, port })),
  };
}
