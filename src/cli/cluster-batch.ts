import type { EnvironmentChoice } from '../environment/environment.ts';
import { clusterExists, deleteKindCluster, ensureKindTool, sharedClusterName } from '../environment/kind/index.ts';
import { consoleLogger } from '../log.ts';
import type { ScenarioSpec } from '../scenario/scenario.ts';

let pending: (() => Promise<void>) | undefined;

/**
 * The lab clusters a batch of scenarios will share: those not running before
 * the batch are the batch's own, and `removeNew` deletes them at its end
 * (also on Ctrl-C, through removeBatchClusters).
 */
export async function sharedClustersToRemove(specs: readonly ScenarioSpec[], choice: EnvironmentChoice): Promise<{ removeNew(): Promise<void> } | undefined> {
  const names = [...new Set(specs.flatMap((s) => (s.environment.cluster ? [sharedClusterName({ cni: choice.cni, workers: s.environment.cluster.workers })] : [])))];
  if (names.length === 0) return undefined;
  const logger = consoleLogger();
  const kind = await ensureKindTool(logger);
  const before = new Set<string>();
  for (const name of names) if (await clusterExists({ kind }, name)) before.add(name);
  const removeNew = async () => {
    pending = undefined;
    for (const name of names) {
      if (before.has(name) || !(await clusterExists({ kind }, name))) continue;
      await logger.step(`deleting kind cluster ${name} (started by this batch)`, () => deleteKindCluster(name, { kind }));
    }
  };
  pending = removeNew;
  return { removeNew };
}

/** Deletes the clusters of a batch interrupted by a signal. */
export const removeBatchClusters = (): Promise<void> => pending?.() ?? Promise.resolve();
