/**
 * What a probe observed, in agnhost's spirit: one kind per way a connection
 * can end. Kinds are kebab-case and appear unchanged in reports.
 * `check-failed` is a harness or set-up error and never a network verdict.
 */
export type Outcome =
  /** `server`: who answered, where the probe can tell: a server of this run by its workload name (the runner checks the run's name prefix). */
  | { readonly kind: 'success'; readonly detail?: string; readonly server?: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'dns'; readonly name: string }
  | { readonly kind: 'http-status'; readonly status: number; readonly server?: string }
  | { readonly kind: 'auth-failure' }
  /** A fact read off the environment (a bridge's subnet, a veth pair), and whether the claim's predicate held. */
  | { readonly kind: 'fact'; readonly holds: boolean; readonly observed: string }
  /** The connection failed in a way no rule recognises; the text is kept. */
  | { readonly kind: 'other'; readonly message: string }
  | { readonly kind: 'check-failed'; readonly reason: string };

export type OutcomeKind = Outcome['kind'];

/** A short label such as `timeout(5003ms)` or `http-status(502)`. */
export function formatOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'timeout':
      return `timeout(${outcome.afterMs}ms)`;
    case 'dns':
      return `dns(${outcome.name})`;
    case 'http-status':
      return `http-status(${outcome.status})${outcome.server ? ` from ${outcome.server}` : ''}`;
    case 'success':
      return outcome.server ? `success from ${outcome.server}` : 'success';
    case 'fact':
      return `fact: ${outcome.observed}`;
    default:
      return outcome.kind;
  }
}
