import type { StartedEnvironment } from '../environment/started-environment.ts';
import { asIptablesDnat, nftablesDnatRule } from './docker-nftables.ts';
import { shellQuote } from '../exec/exec-result.ts';
import { hostExec } from '../exec/host-exec.ts';
import { runResourceName } from '../lab/names.ts';
import { labNetns } from '../setup/lab-netns.ts';
import { madeBy, type ObservingProbe } from '../setup/setup.ts';
import { checked, type CheckContext } from './check.ts';

/**
 * Whether iptables takes these commands, one after another, in a fresh lab
 * namespace the runner made (labNetns, with `prepared` run in it first:
 * nothing of the host's is touched). iptables exits 0 when it takes a rule
 * and 2 when the words do not make a rule (a parameter problem); any other
 * exit says nothing about the rule: check-failed.
 */
function commandsAccepted(
  describe: string,
  suffix: string,
  prepared: readonly (readonly string[])[],
  commandsOf: (check: CheckContext, env: StartedEnvironment) => Promise<readonly (readonly string[])[]>,
): ObservingProbe<string> {
  const setup = labNetns(suffix, prepared);
  return {
    describe,
    setup,
    run: (_source, env) =>
      checked(describe, async (check) => {
        const commands = await commandsOf(check, env);
        const namespace = madeBy(env, setup);
        const inNamespace = (argv: readonly string[]) => ['ip', 'netns', 'exec', namespace, ...argv];
        const rejected: string[] = [];
        for (const argv of commands) {
          const ran = await check.must(hostExec(inNamespace(argv)), `running ${shellQuote(argv)}`, [0, 2]);
          if (ran.exitCode !== 0) rejected.push(`${shellQuote(argv)} → exit ${ran.exitCode}: ${ran.stderr.trim().split('\n')[0]}`);
        }
        const table = await check.must(hostExec(inNamespace(['iptables', '-t', 'nat', '-S'])), "listing the namespace's nat table");
        const rules = table.stdout.split('\n').filter((line) => line.startsWith('-A ')).join(' | ') || 'no rules';
        return {
          connection: [...prepared, ...commands].map((argv) => shellQuote(inNamespace(argv))).join(' && '),
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
export function articleRuleAccepted(words: readonly string[], suffix: string, chains: readonly string[] = []): ObservingProbe<string> {
  const table = words.includes('-t') ? words[words.indexOf('-t') + 1]! : 'filter';
  const prepared = chains.map((chain) => ['iptables', '-t', table, '-N', chain]);
  const describe = [...prepared, words].map((argv) => `ip netns exec ${runResourceName('<run>', suffix)} ${shellQuote(argv)}`).join(' && ');
  return commandsAccepted(describe, suffix, prepared, async () => [words]);
}

/**
 * The rules Docker itself wrote for `-p HOST:…` on this machine (nat
 * PREROUTING's jump to DOCKER and the DOCKER chain's DNAT for the port),
 * read with `iptables -t nat -S`, then given to iptables in a lab namespace
 * that has a DOCKER chain, as this host has. An engine on the nftables
 * backend writes no iptables rule: its nftables DNAT for the port, said in
 * iptables' words (docker-nftables.ts), is what iptables is given there.
 */
export function dockerPublishRulesAccepted(hostPort: number, suffix: string): ObservingProbe<string> {
  const describe = `ip netns exec ${runResourceName('<run>', suffix)} iptables -t nat <Docker's own rules for --dport ${hostPort}>`;
  return commandsAccepted(describe, suffix, [['iptables', '-t', 'nat', '-N', 'DOCKER']], async (check, env) => {
    if (env.facts.firewallBackend === 'nftables') {
      // That engine writes no iptables rule: its nftables DNAT, said in iptables' words, into the DOCKER chain.
      const rule = check.need(await nftablesDnatRule(check, env, hostPort), `Docker's nftables DNAT rule for dport ${hostPort} on this host`);
      const words = check.need(asIptablesDnat(rule), `the iptables words of "${rule}"`);
      return [['iptables', '-t', 'nat', '-A', 'DOCKER', ...words]];
    }
    const read = async (chain: string) => (await check.must(env.host.exec(['iptables', '-t', 'nat', '-S', chain]), `reading nat ${chain}`)).stdout.split('\n');
    const jump = check.need((await read('PREROUTING')).find((line) => line.startsWith('-A PREROUTING') && line.endsWith('-j DOCKER')), 'the PREROUTING jump to DOCKER on this host');
    const dnat = check.need((await read('DOCKER')).find((line) => line.includes(`--dport ${hostPort} `) && line.includes('-j DNAT')), `Docker's DNAT rule for --dport ${hostPort} on this host`);
    return [jump, dnat].map((line) => ['iptables', '-t', 'nat', ...line.split(' ')]);
  });
}
