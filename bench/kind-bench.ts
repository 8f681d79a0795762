import { execa } from 'execa';
import { clusterExists, deleteKindCluster, startKindCluster } from '../src/environment/kind/kind-cluster.ts';
import { sharedClusterName } from '../src/environment/kind/kind-lab.ts';
import { ensureKindToolchain } from '../src/environment/kind/node-image.ts';
import type { Logger } from '../src/log.ts';

const spec = { cni: 'kindnet', workers: 2 } as const;

/**
 * The Kubernetes figures: `scenario -- --all --kind` with cluster creation
 * (the lab cluster absent at each start), then one scenario on a running
 * cluster. Medians of `runs`. Targets (issue 8, warm, 2 cores): <= 240 s and <= 45 s.
 */
export async function kindScenarios(runs: number, results: string, logger: Logger, median: (xs: number[]) => number): Promise<string[]> {
  const toolchain = await ensureKindToolchain(logger);
  const name = sharedClusterName(spec);
  const wasUp = await clusterExists(toolchain, name);
  if (wasUp) logger.info(`kind cluster ${name} already runs: --all --kind is timed without cluster creation`);
  const time = async (args: string[]) => {
    const started = performance.now();
    await execa('node', ['src/cli/main.ts', 'scenario', ...args, '--results', results], { stdio: 'ignore' });
    return (performance.now() - started) / 1000;
  };
  const all: number[] = [];
  for (let i = 1; i <= runs; i++) {
    all.push(await time(['--all', '--kind']));
    logger.info(`--all --kind ${i}/${runs}: ${all.at(-1)!.toFixed(1)} s`);
  }
  if (!(await clusterExists(toolchain, name))) await startKindCluster({ ...spec, name }, logger, toolchain);
  const one: number[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      one.push(await time(['k8s-pod-network']));
      logger.info(`k8s-pod-network on a running cluster ${i}/${runs}: ${one.at(-1)!.toFixed(1)} s`);
    }
  } finally {
    if (!wasUp) await deleteKindCluster(name, toolchain);
  }
  const s = (x: number) => `${x.toFixed(1)} s`;
  return [
    `Kubernetes scenarios (kindnet, 1 control plane + 2 workers), ${runs} runs, images and node image warm`,
    `  --all --kind${wasUp ? ' (cluster already up)' : ', cluster creation included'}  median ${s(median(all))} (target <= 240 s)`,
    `  k8s-pod-network on a running cluster          median ${s(median(one))} (target <= 45 s)`,
  ];
}
