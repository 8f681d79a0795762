import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/outcome/classify.ts';

/** Real client error texts, captured from the lab's containers (psycopg2/libpq 15, curl 7.88, Python 3.11). */
const cases = [
  {
    client: 'libpq, nothing listening (container loopback)',
    message: 'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?',
    expected: { kind: 'refused' },
  },
  {
    client: 'libpq, localhost: refused on 127.0.0.1 then no ::1 address',
    message:
      'connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\nconnection to server at "localhost" (::1), port 5432 failed: Cannot assign requested address',
    expected: { kind: 'refused' },
  },
  { client: 'libpq, connect_timeout', message: 'connection to server at "172.17.255.254", port 5432 failed: timeout expired', expected: { kind: 'timeout', afterMs: 5004 } },
  { client: 'libpq, unknown name', message: 'could not translate host name "nosuchhost" to address: Name or service not known', expected: { kind: 'dns', name: 'nosuchhost' } },
  {
    client: 'libpq, wrong password',
    message: 'connection to server at "172.17.0.3", port 5432 failed: FATAL:  password authentication failed for user "postgres"',
    expected: { kind: 'auth-failure' },
  },
  { client: 'libpq, pg_hba rejects', message: 'FATAL:  no pg_hba.conf entry for host "172.17.0.2", user "postgres", database "postgres", no encryption', expected: { kind: 'auth-failure' } },
  { client: 'libpq, no route', message: 'connection to server at "10.0.2.4", port 5432 failed: No route to host', expected: { kind: 'no-route' } },
  { client: 'curl, refused', message: 'curl: (7) Failed to connect to 127.0.0.1 port 6001 after 0 ms: Couldn\'t connect to server', expected: { kind: 'other' } },
  { client: 'curl, timeout', message: 'curl: (28) Connection timed out after 3001 milliseconds', expected: { kind: 'timeout', afterMs: 5004 } },
  { client: 'curl, dns', message: 'curl: (6) Could not resolve host: model_test', expected: { kind: 'dns', name: 'nosuchhost' } },
  { client: 'python socket, unreachable network', message: '[Errno 101] Network is unreachable', expected: { kind: 'no-route' } },
  { client: 'python socket, refused', message: '[Errno 111] Connection refused', expected: { kind: 'refused' } },
];

describe('classifyFailure', () => {
  it.each(cases)('$client → $expected.kind', ({ message, expected }) => {
    const outcome = classifyFailure({ message, elapsedMs: 5004, host: 'nosuchhost' });
    if (expected.kind === 'other') expect(outcome).toEqual({ kind: 'other', message });
    else expect(outcome).toEqual(expected);
  });

  it('judges by the first address tried when libpq reports several', () => {
    const message = 'connection to server at "h" (10.0.0.1), port 5432 failed: timeout expired\nconnection to server at "h" (10.0.0.2), port 5432 failed: Connection refused';
    expect(classifyFailure({ message, elapsedMs: 10, host: 'h' }).kind).toBe('timeout');
  });
});
