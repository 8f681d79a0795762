import { hostExec } from '../exec/host-exec.ts';
import type { StartedWorkload } from './workload.ts';

/** The host itself as a place claims are tried from ("from: host"). */
export const hostSource: StartedWorkload = {
  name: 'host',
  description: 'the Docker host',
  containerName: '',
  exec: (argv) => hostExec(argv),
  addresses: {},
  contextCommands: [
    ['ip', '-4', 'addr', 'show'],
    ['ip', 'route', 'show'],
    ['iptables', '-S', 'INPUT'],
    ['iptables', '-S', 'DOCKER-USER'],
    ['iptables', '-t', 'nat', '-S', 'POSTROUTING'],
  ],
};
