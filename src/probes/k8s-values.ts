import { kindLabOf, nodeNamed } from '../environment/kind/index.ts';
import type { LabValue } from './lab-value.ts';

/** Values a kind lab reads off its cluster at run time. */
export const InKind = {
  /** A node's InternalIP (the article's server address, 10.0.2.4 there), by kind's suffix: `control-plane`, `worker`, `worker2`. */
  nodeAddress: (which: string): LabValue => ({
    label: `the ${which} node's InternalIP`,
    resolve: (env) => nodeNamed(kindLabOf(env), which).address,
  }),
  /** A Service's full name in the run's namespace: `<name>.<namespace>.svc.cluster.local` (the article's is in `default`). */
  serviceFqdn: (service: string): LabValue => ({
    label: `${service}'s full name in the run's namespace`,
    resolve: (env) => `${service}.${kindLabOf(env).namespace}.svc.cluster.local`,
  }),
} as const;
