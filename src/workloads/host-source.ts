import type { EngineHost } from '../environment/docker/index.ts';
import type { StartedWorkload } from './workload.ts';

/** The Docker host itself as a place claims are tried from ("from: host"): commands run in its namespace. */
export function hostSource(host: EngineHost): StartedWorkload {
  return {
    name: 'host',
    description: host.engine === 'machine' ? 'the Docker host' : `the Docker host: ${host.where}`,
    containerName: '',
    exec: (argv) => host.exec(argv),
    addresses: {},
    contextCommands: [
      ['ip', '-4', 'addr', 'show'],
      ['ip', 'route', 'show'],
      ['iptables', '-S', 'INPUT'],
      ['iptables', '-S', 'DOCKER-USER'],
      ['iptables', '-t', 'nat', '-S', 'POSTROUTING'],
    ],
  };
}
