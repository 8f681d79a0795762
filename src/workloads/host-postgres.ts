import { createConnection } from 'node:net';
import { EnvironmentError } from '../errors.ts';
import { HostResource } from '../lab/host-resources.ts';
import type { WorkloadSpec } from './workload.ts';
import { runResourceName } from '../lab/names.ts';

export interface HostPostgresOptions {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/**
 * PostgreSQL as article 000 has it: a server of the host's, listening on all
 * the host's addresses. It runs in a container sharing the host's network
 * namespace (`--network host`), so it binds exactly where a host install
 * would, and goes away with the run.
 */
export function hostPostgres(options: HostPostgresOptions): WorkloadSpec {
  return {
    description: `PostgreSQL 15 in the host's network namespace, listening on *:${options.port}`,
    images: ['postgres'],
    // Article 000 fixes the port: the host's 5432, one run's database at a time.
    hostResources: [HostResource.tcpPort(options.port)],
    async start(name, env) {
      // A lab host is new: nothing of its own listens there. The machine may have a PostgreSQL of its own.
      if (env.host.engine === 'machine' && (await portAnswers('127.0.0.1', options.port))) {
        throw new EnvironmentError(
          `port ${options.port} on this host is already taken`,
          `stop whatever listens on ${options.port} (often a PostgreSQL of the host's: 'ss -ltnp sport = :${options.port}') and run again`,
        );
      }
      // Not @testcontainers/postgresql: it publishes a mapped port, and host networking has none.
      const container = await env.host.runContainer({
        name: runResourceName(env.run.id, name),
        image: env.images.postgres,
        network: 'host',
        env: {
          POSTGRES_USER: options.user,
          POSTGRES_PASSWORD: options.password,
          POSTGRES_DB: options.database,
          PGPORT: String(options.port),
        },
        labels: env.run.labels,
        // cluster_name names this database in every dbcheck report: which server answered.
        command: ['postgres', '-c', `cluster_name=${runResourceName(env.run.id, name)}`],
        ready: `pg_isready --host 127.0.0.1 --port ${options.port}`,
      });
      env.run.defer(`stop ${name}`, container.remove);
      return {
        name,
        description: this.description,
        containerName: container.containerName,
        exec: container.exec,
        contextCommands: [['ss', '-ltn', `sport = :${options.port}`]],
        addresses: {},
        place: { kind: 'host-netns' },
      };
    },
  };
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
