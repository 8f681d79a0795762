import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostExec } from '../../src/exec/host-exec.ts';
import { runForTest, type ScenarioRun } from './scenario-run.ts';
import { expectFindingsAsRecorded } from './findings.ts';

/** Volumes on the engine; `dangling`: only those no container uses (what a run that forgot one would leave). */
const volumes = async (dangling = false) =>
  (await hostExec(['docker', 'volume', 'ls', '-q', ...(dangling ? ['--filter', 'dangling=true'] : [])])).stdout.split('\n').filter(Boolean).sort();
/** Container cgroups under the outer engine's parent (cgroup v1 memory hierarchy; v2 unified), for nested leftovers. */
const containerCgroups = async () => {
  for (const dir of ['/sys/fs/cgroup/memory/docker', '/sys/fs/cgroup/system.slice', '/sys/fs/cgroup/docker']) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (entries) return entries.filter((e) => e.isDirectory() && /^(docker-)?[0-9a-f]{64}(\.scope)?$/.test(e.name)).map((e) => e.name).sort();
  }
  return [];
};

/**
 * Three real engines (dockerd in privileged containers on one lab LAN; host
 * C with --bip 172.16.0.1/16). What the lab found is in the golden table;
 * here: each claim is decided on evidence, plus what holds for standard
 * Linux Docker hosts with default settings.
 */
describe('docker-two-hosts on real engines', () => {
  let run: ScenarioRun;
  let volumesBefore: string[];
  let cgroupsBefore: string[];
  beforeAll(async () => {
    [volumesBefore, cgroupsBefore] = await Promise.all([volumes(), containerCgroups()]);
    run = await runForTest('docker-two-hosts', `hosts${process.pid}`);
  });

  it.each(['D20', 'D24', 'D28'])('%s reaches a verdict on evidence', (id) => {
    run.expectConclusive(id);
  });

  it('D20: both default engines number their bridges alike, 172.17.0.0/16, first container 172.17.0.2', () => {
    const bridges = run.claim('D20').evidence.attempts[0]!.filter((e) => / network inspect bridge$/.test(e.command));
    expect(bridges).toHaveLength(2);
    for (const bridge of bridges) expect(bridge.stdout).toContain('"Subnet": "172.17.0.0/16"');
    expect(run.claim('D20').attempts.map((a) => a.connection).slice(0, 2)).toEqual(['GET http://172.17.0.3:8000/', 'GET http://172.17.0.2:8000/']);
  });

  it("D20: across identical default bridges, host B's container is never reached: no route on A's own docker0, and the shared first address is the client itself", () => {
    // ARP on host A's docker0 finds nobody: EHOSTUNREACH after ~3 s (a timeout would be the same finding).
    expect(['no-route', 'timeout']).toContain(run.kinds('D20')[0]);
    expect(run.kinds('D20')[1]).toBe('refused');
  });

  it("D20: the route to host C's bridge takes: host C's own server answers on its docker0 address (the control), and the routed attempts carry C's FORWARD as evidence", () => {
    const [control, unpublished] = run.claim('D20').attempts.slice(2);
    expect(control!.outcome).toEqual({ kind: 'http-status', status: 200, server: 'srvC' });
    expect(control!.connection).toBe('GET http://172.16.0.1:15432/');
    expect(unpublished!.detail).toMatch(/FORWARD on hostC: policy \w+/);
    expect(run.claim('D20').evidence.attempts[3]!.map((e) => e.command)).toEqual(expect.arrayContaining([expect.stringMatching(/ip route replace 172\.16\.0\.0\/16 via /)]));
  });

  it('D20: after swarm init/join, the same containers reach each other over an attachable overlay, without NAT', () => {
    const overlay = run.claim('D20').attempts[5]!;
    expect(overlay.connection).toMatch(/^GET http:\/\/10\.0\.\d+\.\d+:8000\/ \(overlay np-overlay\)$/);
    expect(overlay.outcome).toEqual({ kind: 'http-status', status: 200, server: 'web1' });
    // np-serve says whom it saw: the client's overlay address, not a host's.
    expect(overlay.detail).toMatch(/you are 10\.0\.\d+\.\d+/);
  });

  it('D24: docker0 read as a fresh engine had it, and again with containers on it', () => {
    const [fresh, now] = run.claim('D24').attempts;
    expect(fresh!.outcome).toMatchObject({ kind: 'fact', observed: expect.stringMatching(/^docker0 state \w+ <[^>]*>, nothing attached$/) });
    expect(now!.outcome).toMatchObject({ kind: 'fact', observed: expect.stringMatching(/^docker0 state \w+ <[^>]*>, attached: veth\w+, veth\w+$/) });
  });

  it("D28: with the default bip, 172.17.0.1 is the host's own address: its server answers from the default bridge, from a user-defined network, and as host-gateway", () => {
    const answered = run.claim('D28').attempts.slice(0, 3).map((a) => a.outcome);
    expect(answered).toEqual(Array(3).fill({ kind: 'http-status', status: 200, server: 'srvA' }));
  });

  it("D28: on the engine with --bip 172.16.0.1/16, host-gateway names that engine's docker0, and 172.17.0.1 goes to the LAN gateway, this machine", () => {
    const [other, gateway] = run.claim('D28').attempts.slice(3);
    expect(gateway!.outcome).toEqual({ kind: 'http-status', status: 200, server: 'srvC' });
    expect(gateway!.detail).toMatch(/host\.docker\.internal resolved to 172\.16\.0\.1/);
    expect(other!.detail).toMatch(/hostC routes 172\.17\.0\.1 via \d+\.\d+\.\d+\.\d+; on this machine 172\.17\.0\.1 is local/);
  });

  it('finds on this engine what the golden table records for a default Docker 20.10 host', () => {
    expectFindingsAsRecorded('./expected-findings.json', run.result);
  });

  it('sends nothing off the machine and leaves nothing behind: containers, networks, volumes, nested cgroups', async () => {
    await run.expectCleanAndContained();
    // Other engineers' volumes and containers may come and go: only the ones this run made must be gone.
    expect((await volumes(true)).filter((v) => !volumesBefore.includes(v))).toEqual([]);
    const added = (await containerCgroups()).filter((c) => !cgroupsBefore.includes(c));
    const running = (await hostExec(['docker', 'ps', '-q', '--no-trunc'])).stdout;
    expect(added.filter((c) => !running.includes(c.replace(/^docker-|\.scope$/g, '')))).toEqual([]);
  });
});
