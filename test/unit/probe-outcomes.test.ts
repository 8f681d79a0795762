import { describe, expect, it } from 'vitest';
import type { StartedEnvironment } from '../../src/environment/started-environment.ts';
import type { ExecResult } from '../../src/exec/exec-result.ts';
import { ofThisRun } from '../../src/probes/answered-by.ts';
import { checkFact } from '../../src/probes/check.ts';
import { djangoDatabase } from '../../src/probes/django-database.ts';
import { vethPairOnBridge } from '../../src/probes/engine-checks.ts';
import { Found } from '../../src/probes/lab-value.ts';
import { onlyLoopback, secondBindFails } from '../../src/probes/network-checks.ts';
import { httpGet } from '../../src/probes/http-get.ts';
import { tcpConnect } from '../../src/probes/tcp-connect.ts';
import type { StartedWorkload } from '../../src/workloads/workload.ts';

/**
 * The probe contract's negative controls, without an engine: each probe and
 * fact check is fed what a command can really print (or fail with) and must
 * report the matching outcome, and `check-failed` whenever the command
 * failed, printed something that does not parse, or an input is missing.
 * The real-engine counterpart is test/integration/probe-outcomes.int.test.ts.
 */
const ran = (stdout: string, exitCode: number | null = 0, stderr = ''): ExecResult => ({ command: 'cmd', exitCode, stdout, stderr, durationMs: 1, startedAt: '2026-11-25T00:00:00Z' });

/** A source whose commands print, in order, what the test says they printed. */
function source(...outputs: ExecResult[]): StartedWorkload {
  return {
    name: 'client',
    description: 'test source',
    containerName: 'np-r1-client',
    contextCommands: [],
    addresses: { bridge: '172.17.0.9' },
    exec: async () => outputs.shift() ?? ran('', 1, 'no more output scripted'),
  };
}

const env = { run: { id: 'r1' }, workloads: {}, facts: { bridgeGateway: '172.17.0.1', hostAddress: '192.0.2.2' } } as unknown as StartedEnvironment;
const np = (report: object, exitCode = 1) => ran(JSON.stringify({ host: 'x', port: 80, resolved: ['172.17.0.2'], elapsed_ms: 3001, ...report }), exitCode);

describe('np-probe connections', () => {
  const cases: [string, ExecResult, string][] = [
    ['a connection', np({ ok: true, local: '172.17.0.9:40000', peer: '172.17.0.2:80' }, 0), 'success'],
    ['a reset', np({ ok: false, errno: 'ECONNREFUSED', error: 'ConnectionRefusedError' }), 'refused'],
    ['silence', np({ ok: false, errno: 'ETIMEDOUT', error: 'timeout' }), 'timeout'],
    ['no route', np({ ok: false, errno: 'ENETUNREACH', error: 'Network is unreachable' }), 'no-route'],
    ['an unknown name', np({ ok: false, errno: 'EAI', error: 'Name or service not known', resolved: [] }), 'dns'],
    ['an errno no rule knows', np({ ok: false, errno: 'EPERM', error: 'Operation not permitted' }), 'other'],
    ['a command that failed without a report', ran('', 126, 'OCI runtime exec failed: container is not running'), 'check-failed'],
    ['a last line that is not a report', ran('{"hello": 1}', 0), 'check-failed'],
    ['output that is not JSON', ran('Traceback (most recent call last):', 1), 'check-failed'],
  ];
  it.each(cases)('%s → %s', async (_name, output, kind) => {
    const observed = await tcpConnect('172.17.0.2', 80).run(source(output), env);
    expect(observed.outcome.kind).toBe(kind);
    expect(observed.connection).toBe('tcp 172.17.0.2:80');
    expect(observed.evidence.length).toBe(1);
  });

  it('reports the connection it used, with lab values resolved, and the server that named itself', async () => {
    const observed = await httpGet(Found.bridgeGateway, 8080).run(source(np({ ok: true, status: 200, served_by: 'np-r1-web' }, 0)), env);
    expect(observed.connection).toBe('GET http://172.17.0.1:8080/');
    expect(observed.outcome).toEqual({ kind: 'http-status', status: 200, server: 'np-r1-web' });
    expect(observed.answeredBy).toBe('np-r1-web');
  });

  it('is check-failed on the described connection when a lab value cannot be read', async () => {
    const observed = await tcpConnect(Found.addressOf('web'), 80).run(source(), env);
    expect(observed.outcome).toMatchObject({ kind: 'check-failed', reason: expect.stringMatching(/web's address on bridge/) });
    expect(observed.connection).toBe("tcp <web's address on bridge>:80");
  });
});

describe('answers from other runs', () => {
  const answered = (server: string) => ofThisRun({ outcome: { kind: 'http-status', status: 200, server }, connection: 'GET /', evidence: [], answeredBy: server }, 'r1');
  it("names this run's server by its workload", () => {
    expect(answered('np-r1-web').outcome).toEqual({ kind: 'http-status', status: 200, server: 'web' });
  });
  it("turns another run's (or no run's) server into check-failed, never a network verdict", () => {
    expect(answered('np-r2-web').outcome.kind).toBe('check-failed');
    expect(answered('unnamed').outcome.kind).toBe('check-failed');
  });
});

describe('Django DATABASES probe', () => {
  const dbcheck = (report: object, exitCode = 1) => ran(JSON.stringify({ host: '172.17.0.1', port: '5432', resolved: ['172.17.0.1'], elapsed_ms: 12, ...report }), exitCode);
  const probe = djangoDatabase({ HOST: '172.17.0.1', PORT: 5432 });
  it('names the database that answered', async () => {
    const observed = await probe.run(source(dbcheck({ ok: true, server_name: 'np-r1-db', server_addr: '172.17.0.1', client_addr: '172.17.0.9' }, 0)), env);
    expect(observed.outcome).toMatchObject({ kind: 'success', server: 'np-r1-db' });
  });
  it('classifies a refusal', async () => {
    const error = 'connection to server at "172.17.0.1", port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?';
    expect((await probe.run(source(dbcheck({ ok: false, error })), env)).outcome.kind).toBe('refused');
  });
  it('classifies a timeout', async () => {
    expect((await probe.run(source(dbcheck({ ok: false, error: 'connection to server at "172.17.0.1", port 5432 failed: timeout expired' })), env)).outcome.kind).toBe('timeout');
  });
  it('is check-failed when dbcheck printed no report, or a success that does not say which server answered', async () => {
    expect((await probe.run(source(ran('', 1, 'ModuleNotFoundError: No module named django')), env)).outcome.kind).toBe('check-failed');
    expect((await probe.run(source(dbcheck({ ok: true, server_addr: '172.17.0.1' }, 0)), env)).outcome.kind).toBe('check-failed');
  });
});

describe('fact checks', () => {
  it('holds, does not hold, or could not be checked', async () => {
    const holds = await checkFact('x', async () => ({ holds: true, observed: 'yes' }));
    const not = await checkFact('x', async () => ({ holds: false, observed: 'no' }));
    const failed = await checkFact('x', async (check) => {
      await check.must(ran('', 1, 'Error: No such container: np-r1-web'), 'inspecting web');
      return { holds: true, observed: 'never reached' };
    });
    expect([holds.outcome.kind, not.outcome.kind, failed.outcome.kind]).toEqual(['fact', 'fact', 'check-failed']);
    expect(not.outcome).toMatchObject({ holds: false });
    expect(failed.outcome).toMatchObject({ reason: expect.stringMatching(/inspecting web: `cmd` exited 1: Error: No such container/) });
    expect(failed.evidence).toHaveLength(1);
  });

  it('onlyLoopback: only lo holds, eth0 too does not, a failed exec or unparsable output is check-failed', async () => {
    const run = (output: ExecResult) => onlyLoopback().run(source(output), env);
    expect((await run(ran('1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n'))).outcome).toMatchObject({ kind: 'fact', holds: true });
    expect((await run(ran('1: lo: <LOOPBACK> mtu 65536\n5: eth0@if6: <BROADCAST> mtu 1500\n'))).outcome).toMatchObject({ kind: 'fact', holds: false });
    expect((await run(ran('', 126, 'container is not running'))).outcome.kind).toBe('check-failed');
    expect((await run(ran('garbage'))).outcome.kind).toBe('check-failed');
  });

  it('vethPairOnBridge: a failed exec is check-failed, not an interface eth0@ifNaN', async () => {
    const observed = await vethPairOnBridge('docker0').run(source(ran('', 1, 'Device "eth0" does not exist.')), env);
    expect(observed.outcome.kind).toBe('check-failed');
  });

  it('secondBindFails: EADDRINUSE holds, still running means it bound, any other failure or no first server is check-failed', async () => {
    const listening = ran('LISTEN 0 5 0.0.0.0:80 0.0.0.0:*');
    const run = (...outputs: ExecResult[]) => secondBindFails(80).run(source(...outputs), env);
    expect((await run(listening, ran('', 98, 'np-serve: [Errno 98] Address already in use'))).outcome).toMatchObject({ kind: 'fact', holds: true });
    expect((await run(listening, ran('', 124))).outcome).toMatchObject({ kind: 'fact', holds: false });
    expect((await run(listening, ran('', 1, 'np-serve: [Errno 13] Permission denied'))).outcome.kind).toBe('check-failed');
    expect((await run(ran(''), ran('', 98))).outcome.kind).toBe('check-failed');
  });
});
