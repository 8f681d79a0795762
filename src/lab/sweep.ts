import { hostExec } from '../exec/host-exec.ts';
import { anyRunRuleMarker, runIdOfName, runIdOfRule, runLabel, runLinkPrefix, runNamePrefix, runRuleMarker } from './names.ts';
import { deleteRule, rulesMarked } from './iptables-rules.ts';
import { forgetRun, isAlive, listRuns, readRun } from './run-registry.ts';
import { deleteUnfinishedCluster } from '../environment/kind/kind-cluster.ts';
import { kindRunIds, sweepKindRun } from './sweep-kind.ts';


/** What a sweep removed, per kind. */
export interface SweepReport {
  /** kind clusters a run started for itself, and its namespaces in clusters that stay. */
  clusters: number;
  namespaces: number;
  containers: number;
  networks: number;
  rules: number;
  netns: number;
  links: number;
}

/**
 * Removes everything a run made: containers (with volumes), networks,
 * iptables rules and network namespaces. Safe to repeat; order matters:
 * containers before the networks they sit on.
 */
export async function sweepRun(runId: string): Promise<SweepReport> {
  const report: SweepReport = { clusters: 0, namespaces: 0, containers: 0, networks: 0, rules: 0, netns: 0, links: 0 };
  // Kubernetes first: a namespace's pods hold nothing on the host, a run's own cluster sits on the kind network.
  Object.assign(report, await sweepKindRun(runId));
  const containers = await dockerIds(['ps', '-aq', '--filter', `label=${runLabel}=${runId}`]);
  if (containers.length > 0) {
    await hostExec(['docker', 'rm', '-f', '-v', ...containers]);
    report.containers = containers.length;
  }
  const networks = await dockerIds(['network', 'ls', '-q', '--filter', `label=${runLabel}=${runId}`]);
  for (const network of networks) {
    if ((await hostExec(['docker', 'network', 'rm', network])).exitCode === 0) report.networks++;
  }
  for (const rule of await rulesMarked(runRuleMarker(runId))) {
    await deleteRule(rule);
    report.rules++;
  }
  for (const name of await netnsNamed(runNamePrefix(runId))) {
    if ((await hostExec(['ip', 'netns', 'delete', name])).exitCode === 0) report.netns++;
  }
  for (const name of await linksNamed(runLinkPrefix(runId))) {
    if ((await hostExec(['ip', 'link', 'delete', name])).exitCode === 0) report.links++;
  }
  return report;
}

/** Every run id that has a resource on this machine, registered or not. */
export async function runsWithResources(): Promise<Set<string>> {
  const ids = new Set<string>(await listRuns());
  const labelled = await hostExec(['docker', 'ps', '-a', '--filter', `label=${runLabel}`, '--format', `{{.Label "${runLabel}"}}`]);
  const networks = await hostExec(['docker', 'network', 'ls', '--filter', `label=${runLabel}`, '--format', `{{.Label "${runLabel}"}}`]);
  for (const id of `${labelled.stdout}\n${networks.stdout}`.split('\n')) if (id.trim()) ids.add(id.trim());
  for (const rule of await rulesMarked(anyRunRuleMarker)) {
    const id = runIdOfRule(rule.spec.join(' '));
    if (id) ids.add(id);
  }
  for (const name of (await hostExec(['ip', 'netns', 'list'])).stdout.split('\n')) {
    const id = runIdOfName(name);
    if (id) ids.add(id);
  }
  for (const id of await kindRunIds()) ids.add(id);
  // Link names carry no separator; a link of a run that also left nothing else is found by its owner's sweep.
  return ids;
}

/**
 * Sweeps runs whose owning process is gone. `all` also sweeps runs kept on
 * purpose (--keep) and runs still alive; the CLI's `clean --all` uses it.
 */
export async function sweepStale(options: { all?: boolean; except?: string } = {}): Promise<Map<string, SweepReport>> {
  const swept = new Map<string, SweepReport>();
  for (const id of await runsWithResources()) {
    if (id === options.except) continue;
    const record = await readRun(id);
    const owned = record !== undefined && (record.keep || isAlive(record.pid));
    if (owned && !options.all) continue;
    const report = await sweepRun(id);
    const unfinished = record?.cluster ? await deleteUnfinishedCluster(record.cluster) : { removed: 0, remaining: 0 };
    if (unfinished.removed > 0) report.clusters++;
    swept.set(id, report);
    // A half-made cluster whose nodes still appear keeps its registration: the next sweep looks again.
    if (unfinished.remaining === 0) await forgetRun(id);
  }
  return swept;
}

async function dockerIds(args: string[]): Promise<string[]> {
  const result = await hostExec(['docker', ...args]);
  return result.stdout.split('\n').filter(Boolean);
}

/** Host interfaces whose name starts with `prefix` (`ip -o link` prints "7: name@peer: …"). */
export async function linksNamed(prefix: string): Promise<string[]> {
  const result = await hostExec(['ip', '-o', 'link', 'show']);
  return result.stdout
    .split('\n')
    .map((line) => line.split(': ')[1]?.split('@')[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

async function netnsNamed(prefix: string): Promise<string[]> {
  const result = await hostExec(['ip', 'netns', 'list']);
  return result.stdout
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(prefix));
}
