import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { consoleLogger } from '../log.ts';
import { clusterExists, deleteKindCluster, ensureKindTool, ensureKindToolchain, isSharedClusterName, kubeconfigPath, sharedClusterName, startKindCluster } from '../environment/kind/index.ts';
import { checkHostForChoice, cniUsage, resolveEnvironmentChoice } from './environment-choice.ts';
import { ExitCode } from './exit-codes.ts';
import { helpOption, renderHelp, type CommandHelp } from './help.ts';
import { labNeeded, type Mode } from './mode.ts';

export const clusterUsage = `  npm run cluster up [-- --cni X] [--workers N] [--name NAME]        build what is missing, create the lab cluster of that CNI (netproof-<cni>), wait until Ready
  npm run cluster down [-- --name NAME | --all]                      delete the lab clusters (netproof-*), or that one, or every kind cluster; nothing is left behind
  npm run cluster build                                              only build the node image and tools (cached)`;

export const clusterOptions = {
  ...helpOption,
  name: { type: 'string' },
  cni: { type: 'string' },
  workers: { type: 'string', default: '2' },
  all: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

export const clusterHelp: CommandHelp = { command: 'cluster', meanings: { all: 'with down: every kind cluster', cni: 'up: the CNI of the lab cluster to make (netproof-<cni>); the same as NETPROOF_CNI=X' }, usage: clusterUsage, notes: cniUsage, options: clusterOptions, variables: ['NETPROOF_CNI', 'NETPROOF_CNI_SUPPLY', 'NETPROOF_KIND_NODE_IMAGE', 'NETPROOF_KEEP_FAILED_CLUSTER', 'NETPROOF_CACHE', 'CI'] };

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
  if (positionals.length !== 1 || !['up', 'down', 'build'].includes(action!)) throw new UsageError(`cluster: say up, down or build\n${clusterUsage}`);
  if (values.name !== undefined && !/^[a-z0-9][a-z0-9-]{0,30}$/.test(values.name)) throw new UsageError(`cluster: --name must be lowercase letters, digits and dashes`);
  // --cni or NETPROOF_CNI, as for scenarios: the lab cluster of that CNI, which later runs of it reuse.
  const choice = resolveEnvironmentChoice({ cni: values.cni });
  const { cni } = choice;
  if (!/^[0-8]$/.test(values.workers)) throw new UsageError(`cluster: --workers takes a whole number 0..8, not "${values.workers}"`);
  const workers = Number(values.workers);
  const name = values.name ?? sharedClusterName({ cni, workers });
  // A CNI this host's kernel cannot run is refused before anything is built (exit 3); down and build need none.
  if (action === 'up') await checkHostForChoice(choice);
  if (mode === 'validate') return labNeeded(true);

  if (action === 'build') {
    const toolchain = await ensureKindToolchain(logger);
    process.stdout.write(`${toolchain.nodeImage}\n`);
    return ExitCode.ran;
  }
  if (action === 'down') {
    const kind = await ensureKindTool(logger);
    const running = (await kind.run(['get', 'clusters'])).stdout.split('\n').map((l) => l.trim()).filter((l) => /^[a-z0-9-]+$/.test(l));
    const names = values.all ? running : values.name !== undefined ? [values.name] : running.filter(isSharedClusterName);
    for (const each of names) await logger.step(`deleting kind cluster ${each}`, () => deleteKindCluster(each, { kind }));
    if (names.length === 0) logger.info(values.all ? 'no kind clusters' : 'no lab clusters (netproof-*)');
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
      `delete it:  npm run cluster down -- --name ${name}`,
      '',
    ].join('\n'),
  );
  return ExitCode.ran;
}

