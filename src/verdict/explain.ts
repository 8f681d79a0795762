import type { CniModule } from '../environment/kind/index.ts';
import { formatOutcome, type Outcome, type OutcomeKind } from '../outcome/outcome.ts';

/** What an explanation may depend on: the environment the attempt ran on, as the run observed it. */
export interface RanOn {
  /** The CNI the cluster runs (read from the cluster), for Kubernetes scenarios. */
  readonly cni?: CniModule;
}

/** Why an outcome came about: a fixed text, or one built from what the attempt ran on (e.g. naming the CNI). */
export type Because = string | ((ran: RanOn) => string);

/** An explanation that depends on the cluster's CNI (the text names the one that ran); for Kubernetes scenarios. */
export const byCni = (text: (cni: CniModule) => string): Because => (ran) => {
  if (!ran.cni) throw new Error('this explanation names the CNI: it belongs to a Kubernetes scenario');
  return text(ran.cni);
};

/** Fallback reasons, for outcomes a claim's author gave no explanation for. */
const generic: Record<OutcomeKind, string> = {
  success: 'the connection was made and answered',
  refused: 'the address answered with a TCP reset: it is reachable, but nothing listens there',
  timeout: 'nothing answered before the client gave up: the packets were dropped or went nowhere',
  'no-route': 'the source has no route to the address, or a router said it is unreachable',
  dns: 'the name did not resolve from the source',
  'http-status': 'the server answered with this HTTP status',
  'auth-failure': 'the server was reached and refused the credentials',
  fact: 'read from the environment',
  other: 'the client failed in a way the lab does not classify',
  'check-failed': 'the harness could not perform the check; this says nothing about the article',
};

export function explain(outcome: Outcome, why: Partial<Record<OutcomeKind, Because>>, ran: RanOn = {}): string {
  const because = why[outcome.kind];
  const reason = because === undefined ? generic[outcome.kind] : typeof because === 'string' ? because : because(ran);
  switch (outcome.kind) {
    case 'check-failed':
      return `${reason}: ${outcome.reason}`;
    case 'other':
      return `${reason}: ${outcome.message.split('\n')[0]}`;
    case 'fact':
      return `${formatOutcome(outcome).slice('fact: '.length)}; ${reason}`;
    default:
      return reason;
  }
}
