import { hostExec } from '../exec/host-exec.ts';
import { anyRunRuleMarker, runIdOfName, runIdOfRule, runLabel, runLinkPrefix, runNamePrefix, runRuleMarker } from './names.ts';
import { deleteRules, rulesMarked } from './iptables-rules.ts';
import { forgetRun, isOwned, listRuns, readRun } from './run-registry.ts';
import { environmentSweepers, type SweepCounts, type SweepOptions } from './sweepers.ts';

/** What a sweep removed, per kind of resource: the environments' first, then the machine's (containers … links). */
export type SweepReport = SweepCounts;

/**
 * Removes everything a run made: what each environment knows of, then on the
 * machine containers (with volumes), networks, iptables rules, network
 * namespaces and links. Safe to repeat; order matters: containers before the
 * networks they sit on.
 */
export async function sweepRun(runId: string, options: SweepOptions = {}): Promise<SweepReport> {
  const report: SweepReport = {};
  // The environments first: a Kubernetes namespace's pods hold nothing on the host, a run's own cluster sits on the kind network.
  for (const sweeper of environmentSweepers()) Object.assign(report, await sweeper.sweepRun(runId, options));
  // Read side by side; removed in order. A run's teardown ends with this sweep, which usually finds nothing.
  const [containers, networkIds, rules] = await Promise.all([
    dockerIds(['ps', '-aq', '--filter', `label=${runLabel}=${runId}`]),
    dockerIds(['network', 'ls', '-q', '--filter', `label=${runLabel}=${runId}`]),
    rulesMarked(runRuleMarker(runId)),
  ]);
  if (containers.length > 0) await hostExec(['docker', 'rm', '-f', '-v', ...containers]);
  report.containers = containers.length;
  let networks = 0;
  for (const network of networkIds) {
    if ((await hostExec(['docker', 'network', 'rm', network])).exitCode === 0) networks++;
  }
  report.networks = networks;
  await deleteRules(rules);
  report['iptables rules'] = rules.length;
  // Namespaces and links are read once the containers are gone: a container takes its veth ends with it.
  const [netns, links] = await Promise.all([netnsNamed(runNamePrefix(runId)), linksNamed(runLinkPrefix(runId))]);
  report.netns = await deleteEach(netns, (name) => ['ip', 'netns', 'delete', name]);
  report.links = await deleteEach(links, (name) => ['ip', 'link', 'delete', name]);
  return report;
}

/** Runs the delete command of each name; how many succeeded. */
async function deleteEach(names: readonly string[], command: (name: string) => string[]): Promise<number> {
  let deleted = 0;
  for (const name of names) if ((await hostExec(command(name))).exitCode === 0) deleted++;
  return deleted;
}

/** Every run id that has a resource on this machine, registered or not. */
export async function runsWithResources(): Promise<Set<string>> {
  // Independent reads, side by side: every run starts with this sweep.
  const [registered, labelled, networks, rules, netns, ...environments] = await Promise.all([
    listRuns(),
    hostExec(['docker', 'ps', '-a', '--filter', `label=${runLabel}`, '--format', `{{.Label "${runLabel}"}}`]),
    hostExec(['docker', 'network', 'ls', '--filter', `label=${runLabel}`, '--format', `{{.Label "${runLabel}"}}`]),
    rulesMarked(anyRunRuleMarker),
    hostExec(['ip', 'netns', 'list']),
    ...environmentSweepers().map((sweeper) => sweeper.runIds()),
  ]);
  const ids = new Set<string>(registered);
  for (const id of `${labelled.stdout}\n${networks.stdout}`.split('\n')) if (id.trim()) ids.add(id.trim());
  for (const rule of rules) {
    const id = runIdOfRule(rule.spec.join(' '));
    if (id) ids.add(id);
  }
  for (const name of netns.stdout.split('\n')) {
    const id = runIdOfName(name);
    if (id) ids.add(id);
  }
  for (const found of environments) for (const id of found) ids.add(id);
  // Link names carry no separator; a link of a run that also left nothing else is found by its owner's sweep.
  return ids;
}

/**
 * Sweeps runs whose owning process is gone (isOwned: a registered run's
 * process, or the pid an API cluster's name carries). `all` also sweeps runs
 * kept on purpose (--keep) and runs still alive; the CLI's `clean --all` uses
 * it.
 */
export async function sweepStale(options: { all?: boolean; except?: string } = {}): Promise<Map<string, SweepReport>> {
  const swept = new Map<string, SweepReport>();
  for (const id of await runsWithResources()) {
    if (id === options.except) continue;
    const record = await readRun(id);
    const owned = isOwned(id, record);
    if (owned && !options.all) continue;
    const report = await sweepRun(id);
    let remaining = 0;
    for (const sweeper of environmentSweepers()) {
      const unfinished = record && (await sweeper.sweepUnfinished?.(record));
      if (!unfinished) continue;
      for (const [what, count] of Object.entries(unfinished.removed)) report[what] = (report[what] ?? 0) + count;
      remaining += unfinished.remaining;
    }
    swept.set(id, report);
    // A half-made resource (a cluster whose nodes still appear) keeps its registration: the next sweep looks again.
    if (remaining === 0) await forgetRun(id);
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
