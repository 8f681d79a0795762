import type { Outcome } from './outcome.ts';

/** The failure text of a client (psycopg2/libpq, curl, nc, Python sockets) and how long it took. */
export interface FailureText {
  readonly message: string;
  readonly elapsedMs: number;
  /** The name the client tried to resolve, for DNS outcomes. */
  readonly host?: string;
}

type Rule = { readonly test: RegExp; readonly outcome: (failure: FailureText) => Outcome };

/**
 * Ordered: the first rule that matches wins. Authentication is checked first
 * because libpq reports it after a successful TCP connect; DNS before refused
 * because a resolver failure can mention "connect"; for a multi-address name
 * (localhost → 127.0.0.1 and ::1) the first address's error comes first.
 */
const rules: readonly Rule[] = [
  { test: /password authentication failed|no pg_hba\.conf entry|authentication failed/i, outcome: () => ({ kind: 'auth-failure' }) },
  {
    test: /could not translate host name|Name or service not known|Temporary failure in name resolution|Could not resolve host|nodename nor servname|NXDOMAIN|getaddrinfo/i,
    outcome: (f) => ({ kind: 'dns', name: f.host ?? '' }),
  },
  { test: /Connection refused|ECONNREFUSED|Couldn't connect to server.*refused/i, outcome: () => ({ kind: 'refused' }) },
  { test: /timeout expired|timed out|ETIMEDOUT|Operation timed out/i, outcome: (f) => ({ kind: 'timeout', afterMs: f.elapsedMs }) },
  { test: /No route to host|Network is unreachable|EHOSTUNREACH|ENETUNREACH|Host is unreachable/i, outcome: () => ({ kind: 'no-route' }) },
];

export function classifyFailure(failure: FailureText): Outcome {
  const firstLine = firstFailureLine(failure.message);
  const rule = rules.find((r) => r.test.test(firstLine)) ?? rules.find((r) => r.test.test(failure.message));
  return rule ? rule.outcome(failure) : { kind: 'other', message: failure.message.trim() };
}

/** libpq lists one failure per address tried; the first names what happened to the first address. */
function firstFailureLine(message: string): string {
  return message.split('\n').find((line) => line.trim() !== '') ?? '';
}
