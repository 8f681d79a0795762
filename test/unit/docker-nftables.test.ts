import { describe, expect, it } from 'vitest';
import { asIptablesDnat } from '../../src/probes/docker-nftables.ts';

describe("Docker's nftables DNAT in iptables' words", () => {
  it('translates the rule Docker 29.8 wrote for -p 8080:80 (nft list table ip docker-bridges, seen here)', () => {
    const rule = 'iifname != "docker0" tcp dport 8080 counter packets 1 bytes 60 dnat to 172.17.0.2:80 comment "DNAT"';
    expect(asIptablesDnat(rule)).toEqual(['!', '-i', 'docker0', '-p', 'tcp', '-m', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '172.17.0.2:80']);
  });

  it('gives nothing for a rule that is not a DNAT to an address and port', () => {
    expect(asIptablesDnat('iifname "docker0" counter packets 0 bytes 0 return')).toBeUndefined();
  });
});
