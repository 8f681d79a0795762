/**
 * `node bench/cluster-bench.ts [--runs N] [--cold] [--workers N] [--cni C]`: kind figures, not tests.
 *
 *   toolchain   time to make sure kind, the Kubernetes binaries, the component
 *               images and the node image exist (a check when cached)
 *   --cold      first empties every cache that build uses, as on a fresh machine:
 *               a fresh lab cache, Go build cache and Go module cache (temporary
 *               directories) and no netproof/kind-* images; the lab's Debian base
 *               image is kept (it belongs to every lab image)
 *   up          `cluster up` to every node Ready and CoreDNS answering, median of
 *               N runs (default 3), each followed by a timed delete; target <= 60 s
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hostExec } from '../src/exec/host-exec.ts';
import { resolveEnvironmentChoice } from '../src/cli/environment-choice.ts';
import { ensureKindToolchain, startKindCluster } from '../src/environment/kind/index.ts';
import { consoleLogger } from '../src/log.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, cold: { type: 'boolean' }, workers: { type: 'string' }, cni: { type: 'string' } } });
const { cni } = resolveEnvironmentChoice({ cni: values.cni });
const runs = Number(values.runs ?? 3);
const workers = Number(values.workers ?? 2);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number >= 1');

const logger = consoleLogger();
const seconds = (since: number) => (performance.now() - since) / 1000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const temporary: string[] = [];
if (values.cold) {
  for (const variable of ['NETPROOF_CACHE', 'GOCACHE', 'GOMODCACHE']) {
    const dir = await mkdtemp(join('/var/tmp', `netproof-cold-${variable.toLowerCase()}-`));
    temporary.push(dir);
    process.env[variable] = dir;
  }
  const images = await hostExec(['bash', '-c', "docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^(localhost/)?netproof/kind-' || true"]);
  const refs = images.stdout.split('\n').filter(Boolean);
  if (refs.length > 0) await hostExec(['docker', 'rmi', ...refs], { timeoutMs: 300_000 });
  logger.info(`cold: removed ${refs.length} kind images; empty caches in ${temporary.join(', ')}`);
}

try {
  const started = performance.now();
  const toolchain = await ensureKindToolchain(logger);
  const toolchainSeconds = seconds(started);

  const ups: number[] = [];
  const downs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const upStarted = performance.now();
    const cluster = await startKindCluster({ name: `np-bench-${i}`, cni, workers }, logger, toolchain);
    ups.push(seconds(upStarted));
    const downStarted = performance.now();
    await cluster.stop();
    downs.push(seconds(downStarted));
  }

  const lines = [
    `| figure | value |`,
    `|---|---|`,
    `| toolchain ${values.cold ? '(cold build, empty caches)' : '(cached: check only)'} | ${toolchainSeconds.toFixed(1)} s |`,
    `| cluster up (${cni}) to all-Ready + CoreDNS (1 cp + ${workers} workers), median of ${runs} | ${median(ups).toFixed(1)} s (runs: ${ups.map((x) => x.toFixed(1)).join(', ')}) — target <= 60 s |`,
    `| cluster down, median of ${runs} | ${median(downs).toFixed(1)} s |`,
    `| node image | ${toolchain.nodeImage} (${toolchain.nodeImageSource}) |`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  for (const dir of temporary) {
    await hostExec(['chmod', '-R', 'u+w', dir]);
    await rm(dir, { recursive: true, force: true });
  }
}
