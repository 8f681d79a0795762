import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { consoleLogger } from '../log.ts';
import { clusterExists, deleteKindCluster, ensureKindTool, ensureKindToolchain, kubeconfigPath, startKindCluster, supportedCnis, type Cni } from '../environment/kind/index.ts';
import { ExitCode } from './exit-codes.ts';
import { helpOption, renderHelp, type CommandHelp } from './help.ts';
import { labNeeded, type Mode } from './mode.ts';

export const clusterUsage = `  npm run cluster up [-- --cni kindnet] [--workers N] [--name NAME]   build what is missing, create a kind cluster, wait until Ready
  npm run cluster down [-- --name NAME | --all]                      delete it (or every kind cluster); nothing is left behind
  npm run cluster build                                              only build the node image and tools (cached)`;

export const clusterOptions = {
  ...helpOption,
  name: { type: 'string', default: 'netproof' },
  cni: { type: 'string', default: 'kindnet' },
  workers: { type: 'string', default: '2' },
  all: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

export const clusterHelp: CommandHelp = { command: 'cluster', meanings: { all: 'with down: every kind cluster' }, usage: clusterUsage, options: clusterOptions, variables: ['NETPROOF_CNI_SUPPLY', 'NETPROOF_KIND_NODE_IMAGE', 'NETPROOF_KEEP_FAILED_CLUSTER', 'NETPROOF_CACHE', 'CI'] };

/** `npm run cluster up|down|build`: a kind cluster built with zero registry pulls. */
export async function clusterCommand(argv: string[], mode: Mode = 'run'): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: clusterOptions });
  if (values.help) {
    if (mode === 'validate') return labNeeded(false);
    process.stdout.write(renderHelp(clusterHelp));
    return ExitCode.ran;
  }
  const logger = consoleLogger();
  const [action] = positionals;
  const name = values.name;
  if (positionals.length !== 1 || !['up', 'down', 'build'].includes(action!)) throw new UsageError(`cluster: say up, down or build\n${clusterUsage}`);
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(name)) throw new UsageError(`cluster: --name must be lowercase letters, digits and dashes`);
  const cni = values.cni as Cni;
  if (!supportedCnis.includes(cni)) throw new UsageError(`cluster: --cni must be one of ${supportedCnis.join(', ')}`);
  if (!/^[0-8]$/.test(values.workers)) throw new UsageError(`cluster: --workers takes a whole number 0..8, not "${values.workers}"`);
  const workers = Number(values.workers);
  if (mode === 'validate') return labNeeded(true);

  if (action === 'build') {
    const toolchain = await ensureKindToolchain(logger);
    process.stdout.write(`${toolchain.nodeImage}\n`);
    return ExitCode.ran;
  }
  if (action === 'down') {
    const kind = await ensureKindTool(logger);
    const names = values.all ? (await kind.run(['get', 'clusters'])).stdout.split('\n').map((l) => l.trim()).filter((l) => /^[a-z0-9-]+$/.test(l)) : [name];
    for (const each of names) await logger.step(`deleting kind cluster ${each}`, () => deleteKindCluster(each, { kind }));
    if (names.length === 0) logger.info('no kind clusters');
    return ExitCode.ran;
  }

  const toolchain = await ensureKindToolchain(logger);
  if (await clusterExists(toolchain, name)) {
    logger.info(`kind cluster ${name} is already up`);
  } else {
    const started = performance.now();
    // startKindCluster registers it while it is made (killed half-way, `npm run clean` deletes it); once up, it is the user's.
    await startKindCluster({ name, cni, workers }, logger, toolchain);
    logger.info(`cluster up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const kubectl = toolchain.kubectl;
  process.stdout.write(
    [
      `cluster:    ${name} (kind, ${cni}, 1 control plane + ${workers} workers)`,
      `node image: ${toolchain.nodeImage} (${toolchain.nodeImageSource === 'local' ? 'built here, no registry' : 'upstream'})`,
      `kubeconfig: ${kubeconfigPath(name)}`,
      `reach it:   export KUBECONFIG=${kubeconfigPath(name)}; ${kubectl} get nodes`,
      `delete it:  npm run cluster down${name === 'netproof' ? '' : ` -- --name ${name}`}`,
      '',
    ].join('\n'),
  );
  return ExitCode.ran;
}

