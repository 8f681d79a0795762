/**
 * Docker's rules where an engine on the nftables firewall backend writes
 * them: its own table `ip docker-bridges`, read with the host's own nft (the
 * lab host's mount namespace: this machine may have no nft).
 */
import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { CheckContext } from './check.ts';

/** The table's DNAT rule for `hostPort` (to `target` where given), as `nft list` prints it; undefined when there is none. */
export async function nftablesDnatRule(check: CheckContext, env: StartedEnvironment, hostPort: number, target?: string): Promise<string | undefined> {
  const table = await check.must(env.host.system(['nft', 'list', 'table', 'ip', 'docker-bridges']), "reading Docker's nftables rules");
  const to = target ? target.replaceAll('.', '\\.') : '\\S+';
  return table.stdout
    .split('\n')
    .find((line) => new RegExp(`dport ${hostPort}\\b.*dnat (ip )?to ${to}(\\s|$)`).test(line))
    ?.trim();
}

/**
 * That rule in iptables' words (`! -i docker0 -p tcp -m tcp --dport 8080 -j
 * DNAT --to-destination 172.17.0.3:80`): what the iptables backend writes for
 * the same port, for checks that give a rule to iptables.
 */
export function asIptablesDnat(rule: string): string[] | undefined {
  const port = /\btcp dport (\d+)/.exec(rule)?.[1];
  const to = /\bdnat (?:ip )?to (\S+)/.exec(rule)?.[1];
  if (!port || !to) return undefined;
  const notIn = /\biifname != "([^"]+)"/.exec(rule)?.[1];
  return [...(notIn ? ['!', '-i', notIn] : []), '-p', 'tcp', '-m', 'tcp', '--dport', port, '-j', 'DNAT', '--to-destination', to];
}
