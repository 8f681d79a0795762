import { join } from 'node:path';
import { execa } from 'execa';
import { clusterExists, deleteKindCluster, ensureKindToolchain, sharedClusterName, startKindCluster, type Cni } from '../src/environment/kind/index.ts';
import type { Logger } from '../src/log.ts';

/**
 * The Kubernetes figures, per CNI: `scenario -- --all --kind` with cluster
 * creation (the CNI's lab cluster absent at each start, so the run makes and
 * removes it), then k8s-pod-network and k8s-network-policy (the whole policy
 * case suite) on a running cluster. Medians of `runs`.
 * Targets (warm, 2 cores): per CNI <= 240 s and <= 45 s (issue 8); every CNI
 * that runs here, one after another, <= 20 min (issue 11).
 */
/** The scenarios also timed alone on a running cluster, with their targets: one pod scenario (issue 8), NetworkPolicy's whole case suite (issue 18). */
const onRunningCluster: Record<string, string> = {
  'k8s-pod-network': 'target <= 45 s',
  'k8s-network-policy': 'all 26 cases; target <= 360 s',
};

export async function kindScenarios(runs: number, cnis: readonly Cni[], results: string, logger: Logger, median: (xs: number[]) => number): Promise<string[]> {
  const toolchain = await ensureKindToolchain(logger);
  const s = (x: number) => `${x.toFixed(1)} s`;
  const lines: string[] = [];
  let suiteAcrossCnis = 0;
  for (const cni of cnis) {
    const spec = { cni, workers: 2 } as const;
    const name = sharedClusterName(spec);
    const wasUp = await clusterExists(toolchain, name);
    if (wasUp) logger.info(`kind cluster ${name} already runs: --all --kind on ${cni} is timed without cluster creation`);
    const time = async (args: string[]) => {
      const started = performance.now();
      await execa('node', ['src/cli/main.ts', 'scenario', ...args, '--cni', cni, '--results', join(results, cni)], { stdio: 'ignore' });
      return (performance.now() - started) / 1000;
    };
    const all: number[] = [];
    for (let i = 1; i <= runs; i++) {
      all.push(await time(['--all', '--kind']));
      logger.info(`${cni}: --all --kind ${i}/${runs}: ${s(all.at(-1)!)}`);
    }
    if (!(await clusterExists(toolchain, name))) await startKindCluster({ ...spec, name }, logger, toolchain);
    const onRunning: Record<string, number[]> = {};
    try {
      for (const scenario of Object.keys(onRunningCluster)) {
        const times = (onRunning[scenario] = [] as number[]);
        for (let i = 1; i <= runs; i++) {
          times.push(await time([scenario]));
          logger.info(`${cni}: ${scenario} on a running cluster ${i}/${runs}: ${s(times.at(-1)!)}`);
        }
      }
    } finally {
      if (!wasUp) await deleteKindCluster(name, toolchain);
    }
    suiteAcrossCnis += median(all);
    lines.push(
      `Kubernetes scenarios on ${cni} (1 control plane + 2 workers), ${runs} runs, images and node image warm`,
      `  --all --kind${wasUp ? ' (cluster already up)' : ', cluster creation included'}  median ${s(median(all))} (target <= 240 s)`,
      ...Object.entries(onRunningCluster).map(([scenario, target]) => `  ${`${scenario} on a running cluster`.padEnd(45)} median ${s(median(onRunning[scenario]!))} (${target})`),
    );
  }
  lines.push(`Each CNI's last results: ${join(results, '<cni>')}/ (as a column: npm run compare -- ${cnis.map((cni) => join(results, cni)).join(' ')})`);
  if (cnis.length > 1) lines.push(`Every Kubernetes scenario on ${cnis.join(', ')}, one CNI after another: ${s(suiteAcrossCnis)} (sum of medians; target <= 25 min for 6 CNIs, issue 20)`);
  return lines;
}
