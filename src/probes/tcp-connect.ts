import { describeHost, noteFor, onHost, type HostRef } from './lab-value.ts';
import { runNpProbe } from './np-probe.ts';
import type { Probe } from './probe.ts';

/** A TCP connection from the source to host:port (np-probe in the toolbox image). */
export function tcpConnect(host: HostRef, port: number, options: { timeoutSeconds?: number } = {}): Probe {
  const describe = `tcp ${describeHost(host)}:${port}`;
  return {
    describe,
    note: noteFor(host),
    run: (source, env) =>
      onHost(host, env, describe, (resolved) => runNpProbe(source, ['tcp', resolved, String(port)], options.timeoutSeconds ?? 3, `tcp ${resolved}:${port}`, { host: resolved, port })),
  };
}
