import { formatOutcome, type Outcome, type OutcomeKind } from '../outcome/outcome.ts';

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

export function explain(outcome: Outcome, why: Partial<Record<OutcomeKind, string>>): string {
  const reason = why[outcome.kind] ?? generic[outcome.kind];
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
