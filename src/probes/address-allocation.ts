import { setTimeout as sleep } from 'node:timers/promises';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { EngineHost } from '../environment/docker/index.ts';
import { runResourceName } from '../lab/names.ts';
import { CheckFailed, checkFact, type CheckContext } from './check.ts';
import type { Probe } from './probe.ts';

/** `docker network inspect bridge` as far as addresses go. */
interface BridgeInspect {
  IPAM: { Config: { Subnet?: string; Gateway?: string }[] };
  Options?: Record<string, string>;
  Containers?: Record<string, { Name: string; IPv4Address: string }>;
}

const toNumber = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toAddress = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/**
 * The default bridge's IPv4 subnet and the addresses held on it now: its
 * endpoints' and the gateway's. The engine states the gateway only when it
 * was configured (`--bip`); otherwise it is the bridge device's own address.
 */
async function bridgeNow(check: CheckContext, host: EngineHost): Promise<{ subnet: string; base: number; size: number; held: Set<number> }> {
  const inspected = await check.must(host.docker(['network', 'inspect', 'bridge', '--format', '{{json .}}']), 'inspecting the default bridge');
  const bridge = check.json<BridgeInspect>(inspected, 'the default bridge');
  const config = check.need(bridge.IPAM.Config.find((c) => c.Subnet?.includes('.')), "the bridge's IPv4 subnet");
  const subnet = check.need(config.Subnet, "the bridge's subnet");
  const [network, bits] = subnet.split('/');
  const size = 2 ** (32 - Number(bits));
  const held = new Set(Object.values(bridge.Containers ?? {}).map((c) => toNumber(c.IPv4Address.split('/')[0]!)));
  held.add(toNumber(config.Gateway ?? (await bridgeDeviceAddress(check, host, bridge.Options?.['com.docker.network.bridge.name'] ?? 'docker0'))));
  return { subnet, base: toNumber(network!), size, held };
}

async function bridgeDeviceAddress(check: CheckContext, host: EngineHost, device: string): Promise<string> {
  const shown = await check.must(host.exec(['ip', '-j', '-4', 'addr', 'show', 'dev', device]), `reading ${device}'s address`);
  const info = check.json<{ addr_info?: { local?: string }[] }[]>(shown, `ip addr of ${device}`);
  return check.need(info[0]?.addr_info?.[0]?.local, `${device}'s IPv4 address`);
}

/** The lowest host address of the subnet no endpoint (nor the gateway) holds: what an in-order allocator hands out next. */
async function lowestFree(check: CheckContext, host: EngineHost): Promise<string> {
  const { base, size, held } = await bridgeNow(check, host);
  for (let n = base + 1; n < base + size - 1; n++) if (!held.has(n)) return toAddress(n);
  throw new CheckFailed('no free address on the default bridge');
}

/** One container started (and later removed) by the trial: its name, id and the address the engine gave it. */
interface Started {
  readonly name: string;
  readonly id: string;
  readonly predicted: string;
  readonly address: string;
}

/** The engine announces a network connect a moment after the container starts. */
const announceMarginMs = 2_000;

/**
 * Starts `count` containers on the default bridge one after another, then
 * removes the first and starts one more; before each start it predicts the
 * lowest free address of the subnet. An allocator that assigns "randomly
 * within the subnet" (article 002) would meet that prediction about once in
 * 65,000 starts on a /16; one that hands out the lowest free address meets
 * it every time. Another run connecting or disconnecting a container on the
 * bridge meanwhile would change the free addresses under the prediction, so
 * a try with a miss is kept only when `docker events` shows no other
 * container joined or left; else it is set aside and made again, at most
 * `tries` times; still disturbed, the check fails. A try where every
 * prediction came true needs no such look: a disturbance only makes misses.
 * Holds when at least one address was not the predicted one.
 */
export function bridgeAddressesUnpredictable(count = 3, tries = 6): Probe {
  const describe = `docker run (default bridge) ×${count}, docker rm -f the first, docker run again; before each start, the lowest free address of docker network inspect bridge`;
  return {
    describe,
    note: 'containers started and removed by the check itself, one after another',
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const setAside: string[] = [];
        for (let attempt = 1; attempt <= tries; attempt++) {
          const since = Date.now() / 1000;
          const started = await startInOrder(check, env, count, attempt);
          const lines = started.map((s) => `${s.name}: predicted ${s.predicted}, got ${s.address}`);
          // Another container joining or leaving can only make a prediction miss: a try where every
          // prediction came true stands without waiting for the engine's events.
          const everyPredicted = started.every((s) => s.address === s.predicted);
          if (!everyPredicted) {
            await sleep(announceMarginMs);
            const events = await check.must(
              env.host.docker(['events', '--since', since.toFixed(3), '--until', (Date.now() / 1000).toFixed(3), '--filter', 'type=network', '--filter', 'network=bridge', '--format', '{{.Action}} {{.Actor.Attributes.container}}'], { timeoutMs: 30_000 }),
              'reading the bridge network events of the try',
            );
            const ours = new Set(started.map((s) => s.id));
            const foreign = events.stdout.split('\n').filter((line) => line.trim() && !ours.has(line.split(' ')[1] ?? ''));
            if (foreign.length > 0) {
              setAside.push(`try ${attempt} set aside (${foreign.length} other container(s) joined or left the bridge meanwhile): ${lines.join('; ')}`);
              continue;
            }
          }
          const { subnet } = await bridgeNow(check, env.host);
          const observed = `${lines.join('; ')} (subnet ${subnet})`;
          const unread = everyPredicted ? ['every prediction came true: another container joining or leaving meanwhile could only have made one miss, so the bridge events were not read'] : [];
          return {
            holds: !everyPredicted,
            observed: everyPredicted ? `each container got the lowest free address, predicted before its start, the freed one again after a removal: ${observed}` : `not the lowest free address: ${observed}`,
            detail: [...setAside, ...unread].join('; ') || undefined,
          };
        }
        throw new CheckFailed(`in each of ${tries} tries another container joined or left the bridge, changing the free addresses under the prediction: ${setAside.join('; ')}`);
      }),
  };
}

/** The trial's starts, each after the last got its address; the first is removed before the last start; all are removed at the end. */
async function startInOrder(check: CheckContext, env: StartedEnvironment, count: number, attempt: number): Promise<Started[]> {
  const labels = Object.entries(env.run.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  const started: Started[] = [];
  const start = async (index: number) => {
    const name = runResourceName(env.run.id, `d29-${attempt}-${index}`);
    env.run.defer(`remove ${name}`, async () => void (await env.host.docker(['rm', '-f', name])));
    const predicted = await lowestFree(check, env.host);
    const run = await check.must(env.host.docker(['run', '-d', '--network', 'bridge', '--dns', '127.0.0.1', ...labels, '--name', name, env.images.toolbox, 'sleep', 'infinity']), `starting ${name}`);
    const address = await check.must(env.host.docker(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', name]), `reading ${name}'s address`);
    started.push({ name, id: run.stdout.trim(), predicted, address: check.need(address.stdout.trim() || undefined, `${name}'s address`) });
  };
  try {
    for (let index = 1; index <= count; index++) await start(index);
    await check.must(env.host.docker(['rm', '-f', started[0]!.name]), `removing ${started[0]!.name}, freeing ${started[0]!.address}`);
    await start(count + 1);
    return started;
  } finally {
    await Promise.all(started.map((s) => env.host.docker(['rm', '-f', s.name])));
  }
}

/** The scenario's containers on the default bridge (`workloads`) hold addresses inside the bridge network's subnet, as the engine states it. */
export function bridgeAddressesInSubnet(workloads: readonly string[]): Probe {
  const describe = `docker network inspect bridge (IPAM subnet) against ${workloads.join(', ')}'s addresses`;
  return {
    describe,
    run: (_source, env) =>
      checkFact(describe, async (check) => {
        const { subnet, base, size } = await bridgeNow(check, env.host);
        const addresses = workloads.map((w) => [w, check.need(env.workloads[w]?.addresses.bridge, `${w}'s address on the default bridge`)] as const);
        const outside = addresses.filter(([, a]) => toNumber(a) <= base || toNumber(a) >= base + size - 1);
        const listed = addresses.map(([w, a]) => `${w} ${a}`).join(', ');
        return { holds: outside.length === 0, observed: outside.length === 0 ? `all inside ${subnet}: ${listed}` : `outside ${subnet}: ${outside.map(([w, a]) => `${w} ${a}`).join(', ')}` };
      }),
  };
}
