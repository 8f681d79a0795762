import { parseArgs } from 'node:util';

import { EnvironmentError, UsageError } from '../errors.ts';
import { clusterCommand, clusterUsage } from './cluster-command.ts';
import { LabRun } from '../lab/lab-run.ts';
import { sweepStale } from '../lab/sweep.ts';
import { consoleLogger } from '../log.ts';
import { renderTable } from '../report/table.ts';
import { writeResults } from '../report/write-results.ts';
import { loadScenario, scenarioNames } from '../scenario/registry.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import { removeBatchClusters, sharedClustersToRemove } from './cluster-batch.ts';
import { ExitCode } from './exit-codes.ts';

// testcontainers would pull its Ryuk reaper image; no registry is reachable
// here, so the lab reaps its own resources (lab/sweep.ts) instead.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

const usage = `usage:
  npm run scenario <name> [-- --junit FILE] [--strict] [--keep]   run one scenario
  npm run scenario -- --all [--kind | --docker] [--reuse-cluster] run every (Kubernetes / Docker) scenario; the Kubernetes ones share one cluster
  npm run scenario -- --list [--json]                             list scenarios and their claims
  npm run clean [-- --all]                                        remove what dead (or, with --all, any) runs left
${clusterUsage}`;

const logger = consoleLogger();
let currentRun: LabRun | undefined;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'clean') return clean(rest);
  if (command === 'scenario') return scenario(rest);
  if (command === 'cluster') return clusterCommand(rest);
  throw new UsageError(`unknown command "${command ?? ''}"`);
}

async function scenario(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      list: { type: 'boolean' },
      json: { type: 'boolean' },
      junit: { type: 'string' },
      strict: { type: 'boolean' },
      keep: { type: 'boolean' },
      'run-id': { type: 'string' },
      results: { type: 'string', default: 'results' },
      all: { type: 'boolean' },
      kind: { type: 'boolean' },
      docker: { type: 'boolean' },
      'reuse-cluster': { type: 'boolean' },
    },
  });
  if (values.list) return list(values.json ?? false);
  if (values.all && positionals.length > 0) throw new UsageError('--all runs every scenario: name none');
  if (!values.all && positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name a scenario' : 'name one scenario at a time');
  if (values.all && values.junit) throw new UsageError('--junit names one file: use it with one scenario');
  const specs = values.all ? await scenariosOn(values.kind ? 'kind' : values.docker ? 'docker' : undefined) : [await loadScenario(positionals[0]!)];
  // Kubernetes scenarios of one batch share the cluster the first one starts; the batch removes it at the end unless asked to keep it.
  const batch = values.all && !values['reuse-cluster'] ? await sharedClustersToRemove(specs) : undefined;
  let refuted = 0;
  try {
    for (const spec of specs) {
      const result = await runScenario(spec, {
        logger,
        runId: values['run-id'],
        keep: values.keep,
        keepCluster: values.all || values['reuse-cluster'],
        onRunStarted: (run) => (currentRun = run),
        secrets: ['mysecretpassword'],
      });
      currentRun = undefined;
      const paths = await writeResults(result, values.results, values.junit);
      process.stdout.write(renderTable(result) + '\n');
      logger.info(`wrote ${paths.join(', ')}`);
      refuted += result.summary.refuted;
    }
  } finally {
    await batch?.removeNew();
  }
  return values.strict && refuted > 0 ? ExitCode.refuted : ExitCode.ran;
}

async function scenariosOn(environment: 'kind' | 'docker' | undefined) {
  const specs = [];
  for (const name of await scenarioNames()) {
    const spec = await loadScenario(name);
    if (!environment || spec.environment.kind === environment) specs.push(spec);
  }
  return specs;
}

async function list(json: boolean): Promise<number> {
  const entries = [];
  for (const name of await scenarioNames()) entries.push({ name, claims: (await loadScenario(name)).claims.map((c) => c.id) });
  process.stdout.write(json ? JSON.stringify(entries) + '\n' : entries.map((e) => `${e.name.padEnd(24)} ${e.claims.join(' ')}`).join('\n') + '\n');
  return ExitCode.ran;
}

async function clean(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { all: { type: 'boolean' } } });
  const swept = await sweepStale({ all: values.all });
  for (const [id, report] of swept) {
    logger.info(`run ${id}: removed ${report.clusters} kind clusters, ${report.namespaces} namespaces, ${report.containers} containers, ${report.networks} networks, ${report.rules} iptables rules, ${report.netns} netns, ${report.links} links`);
  }
  logger.info(swept.size === 0 ? 'nothing to clean' : `cleaned ${swept.size} run(s)`);
  return ExitCode.ran;
}

/** Ctrl-C or SIGTERM: tear the run down, then exit. A second signal exits at once. */
function onSignal(signal: NodeJS.Signals, code: number): void {
  process.once(signal, () => {
    process.once(signal, () => process.exit(code));
    logger.info(`${signal}: tearing down before exit (again to exit at once; then run 'npm run clean')`);
    void (currentRun?.teardown({ interrupted: true }) ?? Promise.resolve()).then(() => removeBatchClusters()).finally(() => process.exit(code));
  });
}
onSignal('SIGINT', ExitCode.interrupted);
onSignal('SIGTERM', ExitCode.terminated);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(error as Error).message}\n${usage}\n`);
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

