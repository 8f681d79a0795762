import { hostExec } from '../exec/host-exec.ts';
import { rulesMarked } from './iptables-rules.ts';
import { readRun } from './run-registry.ts';
import { runLabel, runLinkPrefix, runNamePrefix, runRuleMarker } from './names.ts';
import { linksNamed } from './sweep.ts';

/** Everything a run could leave on the machine, looked up the way an operator would. */
export async function leftovers(runId: string) {
  const lines = async (argv: string[]) => (await hostExec(argv)).stdout.split('\n').filter(Boolean);
  return {
    containers: await lines(['docker', 'ps', '-a', '--filter', `label=${runLabel}=${runId}`, '--format', '{{.Names}}']),
    networks: await lines(['docker', 'network', 'ls', '--filter', `label=${runLabel}=${runId}`, '--format', '{{.Name}}']),
    iptablesRules: (await rulesMarked(runRuleMarker(runId))).map((r) => r.spec.join(' ')),
    netns: (await lines(['ip', 'netns', 'list'])).filter((n) => n.startsWith(runNamePrefix(runId))),
    links: await linksNamed(runLinkPrefix(runId)),
    registered: (await readRun(runId)) !== undefined,
  };
}

export const nothingLeft = { containers: [], networks: [], iptablesRules: [], netns: [], links: [], registered: false };
