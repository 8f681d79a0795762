/**
 * `npm run bench`: median wall time of `npm run scenario docker-host-db`'s
 * work (the CLI, images warm) against a plain shell script doing the same
 * docker runs and connection attempts. Targets: median <= 8 s, ratio <= 1.3.
 * Figures only; nothing here is a test.
 */
import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureImages, imageRef } from '../src/images/build-images.ts';
import { consoleLogger } from '../src/log.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number >= 1');

const logger = consoleLogger();
await ensureImages(['postgres', 'django'], logger);
const results = await mkdtemp(join(tmpdir(), 'netproof-bench-'));

async function timeOnce(file: string, args: string[]): Promise<number> {
  const started = performance.now();
  await execa(file, args, { stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const harness: number[] = [];
const baseline: number[] = [];
const baselineArgs = ['bench/baseline-docker-host-db.sh', await imageRef('postgres'), await imageRef('django')];
for (let i = 1; i <= runs; i++) {
  // Interleaved, so drift in the machine's load touches both alike.
  harness.push(await timeOnce('node', ['src/cli/main.ts', 'scenario', 'docker-host-db', '--results', results]));
  baseline.push(await timeOnce('bash', baselineArgs));
  logger.info(`run ${i}/${runs}: netproof ${harness.at(-1)!.toFixed(2)} s, shell ${baseline.at(-1)!.toFixed(2)} s`);
}
const ratio = median(harness) / median(baseline);
process.stdout.write(
  [
    `docker-host-db, ${runs} runs, warm images`,
    `  netproof median ${median(harness).toFixed(2)} s (target <= 8 s)`,
    `  shell    median ${median(baseline).toFixed(2)} s`,
    `  ratio    ${ratio.toFixed(2)} (target <= 1.3)`,
  ].join('\n') + '\n',
);
