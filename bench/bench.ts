/**
 * `npm run bench`: figures, not tests.
 *
 *   npm run bench                 docker-host-db: median wall time of the CLI (images warm) against a
 *                                 plain shell script doing the same docker runs and connection
 *                                 attempts; targets median <= 8 s, ratio <= 1.3 (5 runs)
 *   npm run bench -- --suite [--engine E]  the Docker suite as one command (`scenario -- --all --docker`):
 *                                 its median and each scenario's; target <= 45 s (3 runs)
 *   npm run bench -- --soak [--runs N]  the Docker suite N times in a row (default 20), then 3 side by side:
 *                                 verdict flips (target 0), conclusive rate (target 100%), leaks (target 0),
 *                                 slowdown of side-by-side runs against one
 *   npm run bench -- --kind [--cni kindnet,flannel,kube-router]
 *                                 per CNI (default NETPROOF_CNI, else kindnet): `scenario -- --all --kind` with cluster creation
 *                                 (target <= 240 s) and one Kubernetes scenario on a running cluster (target
 *                                 <= 45 s); with several CNIs, their sum (target <= 20 min); 3 runs
 */
import { execa } from 'execa';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchHelp, parseBenchArgs } from '../src/cli/bench-options.ts';
import { renderHelp } from '../src/cli/help.ts';
import { ensureImages, imageRef } from '../src/images/build-images.ts';
import type { ImageName } from '../src/images/catalogue.ts';
import { consoleLogger } from '../src/log.ts';
import { loadScenario, scenarioNames } from '../src/scenario/registry.ts';
import { kindScenarios } from './kind-bench.ts';
import { soak } from './soak.ts';

// scripts/netproof.sh has checked the flags (main.ts --validate-only bench) before preparing the engine.
const values = parseBenchArgs(process.argv.slice(2));
if (values.help) {
  process.stdout.write(renderHelp(benchHelp));
  process.exit(0);
}
const { runs, cnis, engine } = values;

const logger = consoleLogger();
const results = await mkdtemp(join(tmpdir(), 'netproof-bench-'));

async function timeOnce(file: string, args: string[]): Promise<number> {
  const started = performance.now();
  await execa(file, args, { stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

/** A CLI run and the time it spent writing its reports (JSON, Markdown, HTML), which it logs. */
async function runScenarioCliWithReports(name: string): Promise<{ seconds: number; reportMs: number }> {
  const started = performance.now();
  const { stderr } = await execa('node', ['src/cli/main.ts', 'scenario', name, '--results', results], { stdout: 'ignore', stderr: 'pipe', env: { CI: 'true' } });
  const seconds = (performance.now() - started) / 1000;
  const reportMs = Number(/reports written in (\d+) ms/.exec(stderr)?.[1]);
  if (!Number.isFinite(reportMs)) throw new Error(`the CLI did not say how long its reports took:\n${stderr}`);
  return { seconds, reportMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const secs = (x: number) => `${x.toFixed(2)} s`;

async function hostDbAgainstShell(): Promise<string[]> {
  await ensureImages(['postgres', 'django'], logger);
  const harness: number[] = [];
  const reports: number[] = [];
  const baseline: number[] = [];
  const baselineArgs = ['bench/baseline-docker-host-db.sh', await imageRef('postgres'), await imageRef('django')];
  for (let i = 1; i <= runs; i++) {
    // Interleaved, so drift in the machine's load touches both alike.
    const run = await runScenarioCliWithReports('docker-host-db');
    harness.push(run.seconds);
    reports.push(run.reportMs / 1000);
    baseline.push(await timeOnce('bash', baselineArgs));
    logger.info(`run ${i}/${runs}: netproof ${secs(harness.at(-1)!)}, shell ${secs(baseline.at(-1)!)}`);
  }
  return [
    `docker-host-db, ${runs} runs, warm images`,
    `  netproof median ${secs(median(harness))} (target <= 8 s)`,
    `  shell    median ${secs(median(baseline))}`,
    `  ratio    ${(median(harness) / median(baseline)).toFixed(2)} (target <= 1.25)`,
    `  reports  median ${secs(median(reports))} writing JSON, Markdown and HTML = ${((100 * median(reports)) / median(harness)).toFixed(1)}% of the run (target <= 5%)`,
  ];
}

/**
 * The Docker suite as a user runs it, one command (`scenario -- --all --docker`): its wall time,
 * and each scenario's own time from its results file (start to result, its teardown not counted).
 */
async function dockerSuite(): Promise<string[]> {
  const specs = [];
  for (const name of await scenarioNames()) {
    const spec = await loadScenario(name);
    if (spec.environment.kind === 'docker') specs.push(spec);
  }
  await ensureImages([...new Set(specs.flatMap((s) => Object.values(s.workloads).flatMap((w) => w.images)))] as ImageName[], logger);
  const times = new Map<string, number[]>(specs.map((s) => [s.name, []]));
  const totals: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const dir = await mkdtemp(join(results, `suite-${i}-`));
    totals.push(await timeOnce('node', ['src/cli/main.ts', 'scenario', '--all', '--docker', '--results', dir, ...(engine ? ['--engine', engine] : [])]));
    for (const spec of specs) {
      const result = JSON.parse(await readFile(join(dir, `${spec.name}.json`), 'utf8')) as { durationMs: number };
      times.get(spec.name)!.push(result.durationMs / 1000);
    }
    logger.info(`suite run ${i}/${runs}: ${secs(totals.at(-1)!)}`);
  }
  return [
    `Docker suite (${specs.length} scenarios, \`scenario -- --all --docker\`) on engine ${engine ?? process.env.NETPROOF_ENGINE ?? 'machine'}, ${runs} runs, warm images`,
    ...[...times].map(([name, xs]) => `  ${name.padEnd(28)} median ${secs(median(xs))} (its own run, teardown not counted)`),
    `  whole suite median ${secs(median(totals))} (target <= 45 s on the machine's engine; a lab-host engine <= 1.5x that)`,
  ];
}

const figures = values.soak
  ? await soak(runs, logger, median)
  : values.kind
    ? await kindScenarios(runs, cnis, results, logger, median)
    : values.suite
      ? await dockerSuite()
      : await hostDbAgainstShell();
process.stdout.write(figures.join('\n') + '\n');
