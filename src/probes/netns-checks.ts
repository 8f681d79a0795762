import type { StartedEnvironment } from '../environment/started-environment.ts';
import { shellQuote } from '../exec/exec-result.ts';
import { hostExec } from '../exec/host-exec.ts';
import { runResourceName } from '../lab/names.ts';
import { checked, type CheckContext } from './check.ts';
import type { Probe } from './probe.ts';

/** A network namespace of the run's own (`ip netns add` with the run's resource name): an iptables of its own, removed with the run. */
async function labNamespace(check: CheckContext, env: StartedEnvironment, suffix: string): Promise<string> {
  const name = runResourceName(env.run.id, suffix);
  await check.must(hostExec(['ip', 'netns', 'add', name]), `creating the namespace ${name}`);
  env.run.defer(`remove namespace ${name}`, async () => void (await hostExec(['ip', 'netns', 'delete', name])));
  return name;
}

/** What a namespace needs before the commands tried in it, and the commands. */
interface CommandsToTry {
  /** Made first, each must succeed (a chain the rule names, as the article's host has it): not what is tried. */
  readonly setup?: readonly (readonly string[])[];
  readonly commands: readonly (readonly string[])[];
}

/**
 * Whether iptables takes these commands, one after another, in a fresh lab
 * namespace (nothing of the host's is touched). iptables exits 0 when it
 * takes a rule and 2 when the words do not make a rule (a parameter
 * problem); any other exit says nothing about the rule: check-failed.
 */
function commandsAccepted(describe: string, suffix: string, toTry: (check: CheckContext, env: StartedEnvironment) => Promise<CommandsToTry>): Probe {
  return {
    describe,
    run: (_source, env) =>
      checked(describe, async (check) => {
        const { setup = [], commands } = await toTry(check, env);
        const namespace = await labNamespace(check, env, suffix);
        const inNamespace = (argv: readonly string[]) => ['ip', 'netns', 'exec', namespace, ...argv];
        for (const argv of setup) await check.must(hostExec(inNamespace(argv)), `preparing the namespace: ${shellQuote(argv)}`);
        const rejected: string[] = [];
        for (const argv of commands) {
          const ran = await check.must(hostExec(inNamespace(argv)), `running ${shellQuote(argv)}`, [0, 2]);
          if (ran.exitCode !== 0) rejected.push(`${shellQuote(argv)} → exit ${ran.exitCode}: ${ran.stderr.trim().split('\n')[0]}`);
        }
        const table = await check.must(hostExec(inNamespace(['iptables', '-t', 'nat', '-S'])), "listing the namespace's nat table");
        const rules = table.stdout.split('\n').filter((line) => line.startsWith('-A ')).join(' | ') || 'no rules';
        return {
          connection: [...setup, ...commands].map((argv) => shellQuote(inNamespace(argv))).join(' && '),
          outcome: { kind: 'fact', holds: rejected.length === 0, observed: rejected.length === 0 ? `accepted; nat table now: ${rules}` : `rejected: ${rejected.join('; ')}` },
        };
      }),
  };
}

/**
 * An article's iptables command, word for word, in a lab namespace: does
 * iptables take it? `chains` are made first (`-N`, in the rule's table) for a
 * rule that appends to a chain the article's host has (Docker's DOCKER).
 */
export function articleRuleAccepted(words: readonly string[], suffix: string, chains: readonly string[] = []): Probe {
  const table = words.includes('-t') ? words[words.indexOf('-t') + 1]! : 'filter';
  const setup = chains.map((chain) => ['iptables', '-t', table, '-N', chain]);
  const describe = [...setup, words].map((argv) => `ip netns exec ${runResourceName('<run>', suffix)} ${shellQuote(argv)}`).join(' && ');
  return commandsAccepted(describe, suffix, async () => ({ setup, commands: [words] }));
}

/**
 * The rules Docker itself wrote for `-p HOST:…` on this machine (nat
 * PREROUTING's jump to DOCKER and the DOCKER chain's DNAT for the port),
 * read with `iptables -t nat -S`, then given to iptables in a lab namespace.
 */
export function dockerPublishRulesAccepted(hostPort: number, suffix: string): Probe {
  return commandsAccepted(`ip netns exec ${runResourceName('<run>', suffix)} iptables -t nat <Docker's own rules for --dport ${hostPort}>`, suffix, async (check) => {
    const read = async (chain: string) => (await check.must(hostExec(['iptables', '-t', 'nat', '-S', chain]), `reading nat ${chain}`)).stdout.split('\n');
    const jump = check.need((await read('PREROUTING')).find((line) => line.startsWith('-A PREROUTING') && line.endsWith('-j DOCKER')), 'the PREROUTING jump to DOCKER on this host');
    const dnat = check.need((await read('DOCKER')).find((line) => line.includes(`--dport ${hostPort} `) && line.includes('-j DNAT')), `Docker's DNAT rule for --dport ${hostPort} on this host`);
    return { setup: [['iptables', '-t', 'nat', '-N', 'DOCKER']], commands: [jump, dnat].map((line) => ['iptables', '-t', 'nat', ...line.split(' ')]) };
  });
}
