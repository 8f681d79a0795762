import { noteFor, resolveHost, type AttemptSpec, type HostRef } from '../scenario/claim.ts';
import { runNpProbe } from './np-probe.ts';

/** A TCP connection from the source to host:port (np-probe in the toolbox image). */
export function tcpConnect(host: HostRef, port: number, options: { timeoutSeconds?: number } = {}): AttemptSpec {
  return {
    connection: (env) => `tcp ${resolveHost(host, env)}:${port}`,
    note: noteFor(host),
    probe: (source, env) => runNpProbe(source, ['tcp', resolveHost(host, env), String(port)], options.timeoutSeconds ?? 3),
  };
}
