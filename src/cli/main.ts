import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { EnvironmentError, UsageError } from '../errors.ts';
import { clusterCommand, clusterUsage } from './cluster-command.ts';
import { compareCommand, compareUsage } from '../compare/compare-command.ts';
import { renderHelp, type CommandHelp } from './help.ts';
import { cleanHelp, cleanOptions, cleanUsage, scenarioHelp, scenarioOptions, scenarioUsage } from './scenario-options.ts';
import { benchHelp, parseBenchArgs } from './bench-options.ts';
import { labNeeded, type Mode } from './mode.ts';
import { LabRun } from '../lab/lab-run.ts';
import { Lingering } from '../lab/lingering.ts';
import { sweepStale } from '../lab/sweep.ts';
import { loadGraphviz } from '../report/html/topology-svg.ts';
import type { ScenarioResult } from '../report/result.ts';
import { appendStepSummary, scenarioSummary } from '../report/step-summary.ts';
import { renderBatchSummary, renderTable } from '../report/table.ts';
import { ensureWritable, ensureWritableFile, writeResults } from '../report/write-results.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { abandonClusterCreations } from '../environment/kind/index.ts';
import { removeBatchClusters, sharedClustersToRemove } from './cluster-batch.ts';
import { claimListings, renderClaimListings } from './claims-listing.ts';
import { chooseEngine, loadTestcontainers } from '../environment/docker/index.ts';
import { splitByEngine } from './engine-choice.ts';
import { ExitCode } from './exit-codes.ts';
import { progressLogger } from './progress.ts';
import { scanScenarios } from '../scenario/registry.ts';
import { claimIds, renderListing, scenarioListing, selectScenarios } from './scenario-selection.ts';
import { checkHostForChoice, resolveEnvironmentChoice } from './environment-choice.ts';

// testcontainers would pull its Ryuk reaper image; no registry is reachable
// here, so the lab reaps its own resources (lab/sweep.ts) instead.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

const usage = `usage:
${scenarioUsage}
${cleanUsage}
${clusterUsage}
${compareUsage}
Each command's every flag and variable: npm run <command> -- --help
Flags go after \`--\`: npm keeps the ones before it for itself, and they never arrive.`;

const logger = progressLogger();
let currentRun: LabRun | undefined;
let batchLingering: Lingering | undefined;

/** The command being run; a usage error names its --help. */
let current = '';

/**
 * `main.ts <command> …` runs the command; `main.ts --validate-only <command> …`
 * only parses and checks its arguments and prints whether it needs the lab
 * (scripts/netproof.sh then gets root and the engine ready, or not): a
 * mistake is said before anything is installed or started.
 */
async function main(argv: string[]): Promise<number> {
  const mode: Mode = argv[0] === '--validate-only' ? 'validate' : 'run';
  const [command, ...rest] = mode === 'validate' ? argv.slice(1) : argv;
  current = command ?? '';
  if (command === 'clean') return clean(rest, mode);
  if (command === 'scenario') return scenario(rest, mode);
  if (command === 'cluster') return clusterCommand(rest, mode);
  if (command === 'compare') return compareCommand(rest, mode);
  // bench/bench.ts runs the measures; its flags are checked here first, with the others.
  if (command === 'bench' && mode === 'validate') return labNeeded(!parseBenchArgs(rest).help);
  throw new UsageError(`unknown command "${command ?? ''}": use scenario, cluster, compare, clean (or bench, test)`);
}

/** `--help`: the command's every flag and variable; needs nothing. */
function help(text: CommandHelp, mode: Mode): number {
  if (mode === 'validate') return labNeeded(false);
  process.stdout.write(renderHelp(text));
  return ExitCode.ran;
}

/** `--repeat 3`: a decimal whole number >= 1 (Number() would also take `1e3` and `0x10`). */
function rounds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value.trim())) throw new UsageError(`--repeat takes a decimal whole number of rounds (1, 2, 3, …), not "${value}"`);
  return Number(value);
}

async function scenario(argv: string[], mode: Mode): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: scenarioOptions });
  if (values.help) return help(scenarioHelp, mode);
  if (values.claims) {
    if (mode === 'validate') return labNeeded(false);
    process.stdout.write(renderClaimListings(await claimListings(), values.json ?? false) + '\n');
    return ExitCode.ran;
  }
  const claims = claimIds(values.claim);
  if (values.list || (positionals.length === 0 && !values.all && !claims?.length)) return mode === 'validate' ? labNeeded(false) : list(values.json ?? false);
  const repeat = rounds(values.repeat);
  if (values['own-cluster'] && values['reuse-cluster']) throw new UsageError('--own-cluster starts a cluster the run deletes; --reuse-cluster keeps one: choose one');
  // The engine and the CNI are resolved once, here, and handed down: unknown → exit 2, cannot run here → exit 3, before anything starts.
  const engine = await chooseEngine(values.engine);
  const onLabHost = engine.name !== 'machine';
  if (onLabHost && values.kind) throw new UsageError(`--engine ${engine.name} is a Docker engine: kind scenarios run on the machine's own engine`);
  const choice = resolveEnvironmentChoice({ cni: values.cni });
  const cniFlag = choice.cniFrom === 'flag';
  if (cniFlag && values.docker) throw new UsageError('--cni chooses the cluster of Kubernetes scenarios: it does not go with --docker');
  if (cniFlag && onLabHost) throw new UsageError(`--cni chooses the cluster of Kubernetes scenarios: it does not go with --engine ${engine.name}`);
  const selected = await selectScenarios({
    names: positionals,
    all: values.all,
    environment: values.kind || cniFlag ? 'kind' : values.docker || onLabHost ? 'docker' : undefined,
    cni: choice.cni,
    claims,
    onSkip: (spec, reason) => logger.info(`skipping ${spec.name}: it cannot run on ${choice.cni} (${reason})`),
  });
  const { runnable: specs, refused } = splitByEngine(selected, engine);
  // A named scenario that cannot run on the engine is an answer (exit 3); in a batch, it is skipped and said.
  if (refused.length > 0 && positionals.length > 0) throw new EnvironmentError(refused.map((r) => r.reason).join('\n'), 'run it with --engine machine');
  for (const { reason } of refused) logger.info(`skipped on engine ${engine.name}: ${reason}`);
  if (specs.length === 0) throw new UsageError('no scenario matches');
  const onDocker = specs.filter((spec) => spec.environment.kind !== 'kind');
  if (cniFlag && onDocker.length > 0) throw new UsageError(`--cni chooses the cluster of Kubernetes scenarios; ${onDocker.map((s) => s.name).join(', ')} run${onDocker.length > 1 ? '' : 's'} on Docker`);
  // A CNI this host cannot run fails here, before any image, network or cluster (exit 3).
  if (specs.some((spec) => spec.environment.kind === 'kind')) await checkHostForChoice(choice);
  // --junit DIR/ (a trailing slash): one <scenario>.junit.xml per scenario there; a file name takes one scenario.
  const junitDir = values.junit?.endsWith('/');
  if (specs.length > 1 && values.junit && !junitDir) throw new UsageError('--junit FILE names one file: use it with one scenario, or give a directory with a trailing slash (--junit DIR/) for one file per scenario');
  // Writable as whom the run will be: a user's run is carried over to root (netproof.sh, sudo -n), so their
  // validate pass cannot judge it (root's results/ is not theirs); root's run checks again before the lab starts.
  if (mode === 'run' || process.getuid?.() === 0) {
    await ensureWritable(values.results);
    if (values.junit !== undefined) await (junitDir ? ensureWritable(values.junit, '--junit DIR/') : ensureWritableFile(values.junit, '--junit'));
  }
  if (mode === 'validate') return labNeeded(true);
  // testcontainers is loaded before the lab starts: beside its first steps, its loading held up their every await (a run took 0.5 s longer).
  await loadTestcontainers();
  // The layout engine (WebAssembly) loads while the lab starts, so writing the HTML report waits for nothing.
  void loadGraphviz().catch(() => undefined);
  // Kubernetes scenarios of one batch share the cluster the first one starts; the batch removes it at the end unless asked to keep it.
  const batch = values.all && !values['reuse-cluster'] && !values['own-cluster'] ? await sharedClustersToRemove(specs, choice) : undefined;
  // Scenarios of a batch on a shared cluster leave their namespaces' deletion to the batch's end (5 s each; a run's own cluster goes with its run).
  batchLingering = values.all && !values['own-cluster'] && specs.length > 1 ? new Lingering() : undefined;
  const results: ScenarioResult[] = [];
  try {
    for (const spec of specs) {
      const result = await runScenario(spec, {
        logger,
        runId: values['run-id'],
        keep: values.keep,
        repeat,
        keepCluster: (values.all && !values['own-cluster']) || values['reuse-cluster'],
        ownCluster: values['own-cluster'],
        engine,
        environment: choice,
        lingering: batchLingering,
        onRunStarted: (run) => (currentRun = run),
        secrets: ['mysecretpassword'],
      });
      currentRun = undefined;
      const writing = performance.now();
      const paths = await writeResults(result, values.results, junitDir ? join(values.junit!, `${spec.name}.junit.xml`) : values.junit);
      const summary = await appendStepSummary(scenarioSummary(result));
      // bench/bench.ts reads this figure: writing the reports may add at most 5% to a run.
      const reportMs = Math.round(performance.now() - writing);
      process.stdout.write(renderTable(result) + '\n');
      logger.info(`wrote ${[...paths, ...(summary ? [summary] : [])].join(', ')} (reports written in ${reportMs} ms)`);
      results.push(result);
    }
  } finally {
    await batchLingering?.settle(logger);
    await batch?.removeNew();
  }
  if (results.length > 1) process.stdout.write(renderBatchSummary(results) + '\n');
  // The results are written; a scenario the harness could not carry out is still a harness failure.
  const failed = results.filter((r) => r.harnessFailure);
  if (failed.length > 0) {
    for (const r of failed) process.stderr.write(`error: ${r.scenario}: ${r.harnessFailure}\n`);
    return ExitCode.harness;
  }
  return values.strict && results.some((r) => r.summary.refuted > 0) ? ExitCode.refuted : ExitCode.ran;
}

async function list(json: boolean): Promise<number> {
  // One broken file does not hide the others: they are listed, it is named (and the exit says so).
  const { specs, broken } = await scanScenarios();
  const entries = scenarioListing(specs);
  process.stdout.write(json ? JSON.stringify(entries) + '\n' : renderListing(entries));
  for (const error of broken) process.stderr.write(`error: ${error.message}\n`);
  return broken.length > 0 ? ExitCode.usage : ExitCode.ran;
}

async function clean(argv: string[], mode: Mode): Promise<number> {
  const { values } = parseArgs({ args: argv, options: cleanOptions });
  if (values.help) return help(cleanHelp, mode);
  if (mode === 'validate') return labNeeded(true);
  const swept = await sweepStale({ all: values.all });
  for (const [id, report] of swept) {
    logger.info(`run ${id}: removed ${Object.entries(report).map(([what, count]) => `${count} ${what}`).join(', ')}`);
  }
  logger.info(swept.size === 0 ? 'nothing to clean' : `cleaned ${swept.size} run(s)`);
  return ExitCode.ran;
}

/** After a mistake: the command's own usage lines and where every flag is (every command's, when the command is unknown). */
function usageOf(command: string): string {
  const lines = ({ scenario: scenarioUsage, clean: cleanUsage, cluster: clusterUsage, compare: compareUsage, bench: benchHelp.usage } as Record<string, string>)[command];
  return lines ? `usage:\n${lines}\nevery flag and variable: npm run ${command} -- --help (flags go after \`--\`: npm keeps the ones before it)` : usage;
}

/** A parse error in the user's words: Node's advice on unknown options (put them after a second `--`) never helps here. */
function usageMessage(error: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `unknown flag ${unknown[1]} for ${current}: \`npm run ${current} -- --help\` lists its flags`;
  return error.message;
}

/** Set once a signal is being handled: its teardown decides the exit code. */
let stopping = false;

/** Ctrl-C or SIGTERM: tear the run down, then exit. A second signal exits at once. */
function onSignal(signal: NodeJS.Signals, code: number): void {
  process.once(signal, () => {
    stopping = true;
    process.once(signal, () => process.exit(code));
    logger.info(`${signal}: tearing down before exit (again to exit at once; then run 'npm run clean')`);
    // A cluster still being made first (kind stopped, its nodes deleted), then the run, what earlier runs left deleting, then the batch's clusters.
    void abandonClusterCreations()
      .then(() => currentRun?.teardown({ interrupted: true }))
      .then(() => batchLingering?.settle(logger))
      .then(() => removeBatchClusters())
      .finally(() => process.exit(code));
  });
}
onSignal('SIGINT', ExitCode.interrupted);
onSignal('SIGTERM', ExitCode.terminated);

// Once a signal is being handled, its teardown exits (130/143): what the interrupted work then returns or throws is not the run's answer.
main(process.argv.slice(2)).then(
  (code) => void (stopping || process.exit(code)),
  (error: unknown) => {
    if (stopping) return;
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${usageMessage(error as Error)}\n${usageOf(current)}\n`);
      process.exit(ExitCode.usage);
    }
    if (error instanceof EnvironmentError) {
      process.stderr.write(`error: ${error.message}\nto fix: ${error.hint}\n`);
      process.exit(ExitCode.environment);
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(ExitCode.harness);
  },
);

