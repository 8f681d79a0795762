import { kindLabOf, nodeNamed } from '../environment/kind/index.ts';
import type { LabValue } from './lab-value.ts';

/** Values a kind lab reads off its cluster at run time. */
export const InKind = {
  /** A node's InternalIP (the article's server address, 10.0.2.4 there), by kind's suffix: `control-plane`, `worker`, `worker2`. */
  nodeAddress: (which: string): LabValue => ({
    label: `the ${which} node's InternalIP`,
    resolve: (env) => nodeNamed(kindLabOf(env), which).address,
  }),
  /** The first address of a node's podCIDR: where kindnetd-lab's ptp and flannel's bridge put the gateway of the node's pods, an address of the node itself. */
  podCidrGateway: (which: string): LabValue => ({
    label: `the first address of the ${which} node's podCIDR (its pods' gateway)`,
    resolve: (env) => {
      const [base] = nodeNamed(kindLabOf(env), which).podCidr.split('/');
      const octets = base!.split('.').map(Number);
      return [...octets.slice(0, 3), octets[3]! + 1].join('.');
    },
  }),
  /** A Service's full name in the run's namespace: `<name>.<namespace>.svc.cluster.local` (the article's is in `default`). */
  serviceFqdn: (service: string): LabValue => ({
    label: `${service}'s full name in the run's namespace`,
    resolve: (env) => `${service}.${kindLabOf(env).namespace}.svc.cluster.local`,
  }),
} as const;
