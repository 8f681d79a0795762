import { describe, expect, it } from 'vitest';
import type { StartedEnvironment } from '../../src/environment/started-environment.ts';
import type { ExecResult } from '../../src/exec/exec-result.ts';
import { docker0State, throughRoute, toLanGateway } from '../../src/probes/docker-host-paths.ts';
import { httpGet } from '../../src/probes/http-get.ts';
import { forwardPolicy, watchingForward } from '../../src/probes/iptables-checks.ts';
import { noopLogger } from '../../src/log.ts';
import { tryAttempt } from '../../src/scenario/try-claim.ts';
import type { StartedDockerHost } from '../../src/workloads/docker-host.ts';
import type { StartedWorkload } from '../../src/workloads/workload.ts';

/**
 * Negative controls for the probes of the Docker-host scenarios, without an
 * engine: each is fed what its commands really print (or fail with) and
 * must report the matching fact, or check-failed when a command failed, its
 * output does not parse, or a precondition does not hold, in which case the
 * traffic is never sent.
 */
const ran = (stdout: string, exitCode: number | null = 0, stderr = ''): ExecResult => ({ command: 'cmd', exitCode, stdout, stderr, durationMs: 1, startedAt: '2026-11-25T00:00:00Z' });

const down = ran('5: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default\n    link/ether 02:42:ac:11:00:01 brd ff:ff:ff:ff:ff:ff\n');
const up = ran('5: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default\n    link/ether 02:42:ac:11:00:01 brd ff:ff:ff:ff:ff:ff\n');
const twoPorts = ran('7: veth1a2b3c4@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master docker0 state UP\n9: veth5d6e7f8@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master docker0 state UP\n');
const forward = (policy: string, packets: number) => ran(`Chain FORWARD (policy ${policy} ${packets} packets, 120 bytes)\n    pkts      bytes target     prot opt in     out     source               destination\n`);

/** The trace's commands (packet-trace.ts) on a scripted host: by default there is no trace to be had. */
const isTraceCommand = (argv: readonly string[]) => argv.includes('xtables-monitor') || argv.includes('TRACE');

/** A docker host whose namespace commands print, in order, what the test says. */
function dockerHost(atStart: ExecResult[], outputs: ExecResult[], trace: (argv: readonly string[]) => ExecResult = () => ran('', 1, 'no trace scripted')): StartedDockerHost {
  return {
    name: 'hostB',
    description: 'test docker host',
    containerName: 'np-r1-hostB',
    contextCommands: [],
    addresses: { lan: '172.27.0.2' },
    lanAddress: '172.27.0.2',
    bridgeAtStart: atStart,
    docker: async () => ran('', 1, 'not scripted'),
    load: async (image) => image,
    runContainer: async () => Promise.reject(new Error('not scripted')),
    exec: async () => ran('', 1, 'not scripted'),
    inNamespace: async (argv) => (isTraceCommand(argv) ? trace(argv) : (outputs.shift() ?? ran('', 1, 'no more output scripted'))),
    inSystem: async () => ran('', 1, 'not scripted'),
  };
}

/** A source that records whether a probe ran in it. */
function source(...outputs: ExecResult[]): StartedWorkload & { runs: number } {
  const workload = {
    name: 'client',
    description: 'test source',
    containerName: 'client',
    contextCommands: [],
    addresses: {},
    runs: 0,
    exec: async () => {
      workload.runs++;
      return outputs.shift() ?? ran('', 1, 'no more output scripted');
    },
  };
  return workload;
}

const envWith = (workloads: Record<string, StartedWorkload>) => ({ run: { id: 'r1', defer: () => undefined }, logger: noopLogger, workloads, facts: {} }) as unknown as StartedEnvironment;
const np = (report: object, exitCode = 0) => ran(JSON.stringify({ host: '172.29.0.2', port: 8000, resolved: ['172.29.0.2'], elapsed_ms: 3, ...report }), exitCode);

describe('docker0State', () => {
  const cases: [string, ExecResult[], 'UP' | 'DOWN', object][] = [
    ['a fresh bridge, nothing attached', [down, ran('')], 'DOWN', { kind: 'fact', holds: true, observed: 'docker0 state DOWN <NO-CARRIER,BROADCAST,MULTICAST,UP>, nothing attached' }],
    ['a bridge with two veths, asked for DOWN', [up, twoPorts], 'DOWN', { kind: 'fact', holds: false, observed: 'docker0 state UP <BROADCAST,MULTICAST,UP,LOWER_UP>, attached: veth1a2b3c4, veth5d6e7f8' }],
    ['no docker0 at all', [ran('', 1, 'Device "docker0" does not exist.'), ran('')], 'DOWN', { kind: 'check-failed' }],
    ['output without a state', [ran('something else'), ran('')], 'DOWN', { kind: 'check-failed' }],
    ['ports that cannot be listed', [down, ran('', 255, 'nsenter: cannot open /proc/0/ns/net')], 'DOWN', { kind: 'check-failed' }],
  ];
  it.each(cases)('%s', async (_name, outputs, state, outcome) => {
    const [link, ports] = outputs;
    const observed = await docker0State('hostB', 'now', state).run(source(), envWith({ hostB: dockerHost([], [link!, ports!]) }));
    expect(observed.outcome).toMatchObject(outcome);
  });

  it('reads the state recorded when the engine first answered, "at start"', async () => {
    const observed = await docker0State('hostB', 'at start', 'DOWN').run(source(), envWith({ hostB: dockerHost([down, ran('')], [up, twoPorts]) }));
    expect(observed.outcome).toMatchObject({ kind: 'fact', holds: true });
    expect(observed.evidence).toHaveLength(2);
  });

  it('is check-failed when the named workload is no docker host', async () => {
    const observed = await docker0State('client', 'now', 'DOWN').run(source(), envWith({ client: source() }));
    expect(observed.outcome.kind).toBe('check-failed');
  });
});

describe('throughRoute: the route is the runner\'s setup, the probe observes', () => {
  const route = { on: 'hostA', to: '172.29.0.0/16', via: 'hostC' };
  it('sends nothing when the route does not take', async () => {
    const client = source(np({ ok: true, status: 200 }));
    const hostA = dockerHost([], [ran('', 2, 'RTNETLINK answers: Network is unreachable')]);
    const observed = await tryAttempt(throughRoute(httpGet('172.29.0.2', 8000), route), client, envWith({ hostA, hostC: dockerHost([], []) }));
    expect(observed.outcome).toMatchObject({ kind: 'check-failed', reason: expect.stringMatching(/adding the route to 172\.29\.0\.0\/16 on hostA/) });
    expect(client.runs).toBe(0);
  });

  it("keeps the probe's own outcome and adds the route and the path to the evidence", async () => {
    const hostA = dockerHost([], [ran(''), ran('172.29.0.2 via 172.27.0.4 dev eth0 src 172.27.0.3')]);
    const observed = await tryAttempt(throughRoute(httpGet('172.29.0.2', 8000), route), source(np({ ok: false, errno: 'ETIMEDOUT', error: 'timed out', elapsed_ms: 2004 }, 1)), envWith({ hostA, hostC: dockerHost([], []) }));
    expect(observed.outcome).toEqual({ kind: 'timeout', afterMs: 2004 });
    expect(observed.connection).toBe('GET http://172.29.0.2:8000/');
    expect(observed.evidence.map((e) => e.stdout)).toEqual(['', expect.stringContaining('"ETIMEDOUT"'), '172.29.0.2 via 172.27.0.4 dev eth0 src 172.27.0.3']);
  });

  it('is check-failed, sending nothing, when tried without the runner having set the route up', async () => {
    const client = source(np({ ok: true, status: 200 }));
    const observed = await throughRoute(httpGet('172.29.0.2', 8000), route).run(client, envWith({ hostA: dockerHost([], []), hostC: dockerHost([], []) }));
    expect(observed.outcome).toMatchObject({ kind: 'check-failed', reason: expect.stringMatching(/route to 172\.29\.0\.0\/16 .* was not performed/) });
    expect(client.runs).toBe(0);
  });
});

describe('toLanGateway', () => {
  it('sends nothing unless this machine owns the address (else the packet would be forwarded off the machine)', async () => {
    const client = source(np({ ok: true, status: 200 }));
    // TEST-NET-2: never an address of this machine; `ip route get` only looks the route up.
    const observed = await toLanGateway(httpGet('198.51.100.1', 15432), 'hostC', '198.51.100.1', 15432).run(client, envWith({ hostC: dockerHost([], []) }));
    expect(observed.outcome).toMatchObject({ kind: 'check-failed' });
    expect(client.runs).toBe(0);
  });
});

describe('watchingForward', () => {
  it('reads the policy and its counter', () => {
    expect(forwardPolicy(forward('DROP', 12))).toEqual({ policy: 'DROP', packets: 12 });
    expect(forwardPolicy(ran('', 4, 'iptables: Permission denied'))).toBeUndefined();
    expect(forwardPolicy(ran('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)'))).toBeUndefined();
  });

  it("adds what FORWARD's policy dropped during the attempt, and leaves the outcome the probe's own", async () => {
    const hostC = dockerHost([], [forward('DROP', 10), forward('DROP', 13), ran('-P FORWARD DROP'), ran('Chain DOCKER (1 references)')]);
    const observed = await watchingForward(httpGet('172.29.0.2', 8000), 'hostC').run(source(np({ ok: false, errno: 'ETIMEDOUT', error: 'timed out', elapsed_ms: 2004 }, 1)), envWith({ hostC }));
    expect(observed.outcome.kind).toBe('timeout');
    expect(observed.detail).toMatch(/FORWARD on hostC: policy DROP, 3 packet\(s\) dropped by that policy during the attempt$/);
    expect(observed.detail).toContain('the trace could not be set up in hostC');
    // The probe's, the trace monitor's, the counters before and after, FORWARD's rules, the DOCKER chain.
    expect(observed.evidence).toHaveLength(6);
  });

  it("names the rule or policy that dropped the attempt's own SYN, from the kernel's trace in that namespace", async () => {
    const monitor = [
      ' PACKET: 2 0000abcd IN=eth0 SRC=172.27.0.3 DST=172.29.0.2 LEN=60 SPORT=40000 DPORT=8000 SYN',
      ' TRACE: 2 0000abcd filter:FORWARD:rule:0x9:JUMP:DOCKER  -4 -t filter -A FORWARD -o docker0 -j DOCKER',
      ' TRACE: 2 0000abcd filter:FORWARD:policy:DROP ',
      // Another SYN the namespace saw meanwhile: not the attempt's.
      ' PACKET: 2 0000beef IN=eth0 SRC=172.27.0.9 DST=172.29.0.7 LEN=60 SPORT=40001 DPORT=80 SYN',
      ' TRACE: 2 0000beef raw:PREROUTING:rule:0x3:DROP  -4 -t raw -A PREROUTING -d 172.29.0.7/32 ! -i docker0 -j DROP',
    ].join('\n');
    const traced: string[][] = [];
    const trace = (argv: readonly string[]) => {
      traced.push([...argv]);
      // Stopped by the wrapper's signal: no exit code.
      return argv.includes('xtables-monitor') ? { ...ran(monitor), exitCode: null } : ran('');
    };
    const hostC = dockerHost([], [forward('DROP', 10), forward('DROP', 11), ran('-P FORWARD DROP'), ran('Chain DOCKER (1 references)')], trace);
    const observed = await watchingForward(httpGet('172.29.0.2', 8000), 'hostC').run(source(np({ ok: false, errno: 'ETIMEDOUT', error: 'timed out', elapsed_ms: 2004 }, 1)), envWith({ hostC }));
    expect(observed.outcome.kind).toBe('timeout');
    expect(observed.detail).toContain("dropped in hostC by filter FORWARD's policy DROP");
    expect(observed.evidence[1]!.stdout).not.toContain('0000beef');
    // The TRACE rules go in (PREROUTING and OUTPUT, the run's comment) and come out again.
    const rules = traced.filter((argv) => argv.includes('TRACE'));
    expect(rules.map((argv) => argv.slice(3, 5))).toEqual([['-I', 'PREROUTING'], ['-I', 'OUTPUT'], ['-D', 'PREROUTING'], ['-D', 'OUTPUT']]);
    expect(rules.every((argv) => argv.some((word) => word.startsWith('netproof run=')))).toBe(true);
  });

  it('says so when FORWARD cannot be read, without touching the outcome', async () => {
    const hostC = dockerHost([], [ran('', 1, 'iptables: not found'), ran('', 1), ran('', 1), ran('', 1)]);
    const observed = await watchingForward(httpGet('172.29.0.2', 8000), 'hostC').run(source(np({ ok: true, status: 200, served_by: 'np-r1-cWeb' })), envWith({ hostC }));
    expect(observed.outcome).toEqual({ kind: 'http-status', status: 200, server: 'np-r1-cWeb' });
    expect(observed.detail).toMatch(/FORWARD on hostC could not be read/);
  });
});
