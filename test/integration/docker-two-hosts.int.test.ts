import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostExec } from '../../src/exec/host-exec.ts';
import { runForTest, type ScenarioRun } from './scenario-run.ts';

const volumes = async () => (await hostExec(['docker', 'volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort();
/** Container cgroups under the outer engine's parent (cgroup v1 memory hierarchy; v2 unified), for nested leftovers. */
const containerCgroups = async () => {
  for (const dir of ['/sys/fs/cgroup/memory/docker', '/sys/fs/cgroup/system.slice', '/sys/fs/cgroup/docker']) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (entries) return entries.filter((e) => e.isDirectory() && /^(docker-)?[0-9a-f]{64}(\.scope)?$/.test(e.name)).map((e) => e.name).sort();
  }
  return [];
};

/**
 * Article 002's limit of Docker networks, on two real engines (dockerd in two
 * privileged containers on one lab LAN): what holds for two standard Linux
 * Docker hosts with default settings.
 */
describe('docker-two-hosts on a real engine', () => {
  let run: ScenarioRun;
  let volumesBefore: string[];
  let cgroupsBefore: string[];
  beforeAll(async () => {
    [volumesBefore, cgroupsBefore] = await Promise.all([volumes(), containerCgroups()]);
    run = await runForTest('docker-two-hosts', `hosts${process.pid}`);
  });

  it('D20: both engines number their default bridges alike, 172.17.0.0/16, first container 172.17.0.2', () => {
    const bridges = run.claim('D20').evidence.attempts[0]!.filter((e) => / network inspect bridge$/.test(e.command));
    expect(bridges).toHaveLength(2);
    for (const bridge of bridges) expect(bridge.stdout).toContain('"Subnet": "172.17.0.0/16"');
    expect(run.claim('D20').attempts.map((a) => a.connection).slice(0, 2)).toEqual(['GET http://172.17.0.3:8000/', 'GET http://172.17.0.2:8000/']);
  });

  it("D20: host B's container is not reached across the default bridges: no route on host A's own docker0", () => {
    const [unused] = run.claim('D20').attempts;
    // ARP on host A's docker0 finds nobody: EHOSTUNREACH after ~3 s (a timeout would be the same finding).
    expect(unused!.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/^(no-route|timeout\(\d+ms\)): no container on client's host holds 172\.17\.0\.3/) });
  });

  it("D20: the address both engines gave out first is the client's own on host A: refused by itself", () => {
    const same = run.claim('D20').attempts[1]!;
    expect(same.outcome).toMatchObject({ kind: 'fact', holds: true, observed: expect.stringMatching(/^refused: 172\.17\.0\.2 is also client's own address/) });
  });

  it('D20: after swarm init/join, the same containers reach each other over an attachable overlay, without NAT', () => {
    const overlay = run.claim('D20').attempts[2]!;
    expect(overlay.connection).toMatch(/^GET http:\/\/10\.0\.\d+\.\d+:8000\/ \(overlay np-overlay\)$/);
    expect(overlay.outcome).toMatchObject({
      kind: 'fact',
      holds: true,
      observed: expect.stringMatching(/^http-status\(200\): web1 on hostB answered client on hostA at 10\.0\.\d+\.\d+ and saw it as 10\.0\.\d+\.\d+$/),
    });
    const commands = run.claim('D20').evidence.attempts[2]!.map((e) => e.command);
    expect(commands).toEqual(expect.arrayContaining([expect.stringMatching(/swarm init --advertise-addr/), expect.stringMatching(/network create --driver overlay --attachable np-overlay$/)]));
    expect(run.claim('D20').verdict).toBe('confirmed');
  });

  it('sends nothing off the machine and leaves nothing behind: containers, networks, volumes, nested cgroups', async () => {
    await run.expectCleanAndContained();
    expect(await volumes()).toEqual(volumesBefore);
    // Other engineers' containers may come and go: only the ones this run made must be gone.
    const added = (await containerCgroups()).filter((c) => !cgroupsBefore.includes(c));
    const running = (await hostExec(['docker', 'ps', '-q', '--no-trunc'])).stdout;
    expect(added.filter((c) => !running.includes(c.replace(/^docker-|\.scope$/g, '')))).toEqual([]);
  });
});
