import { describe, expect, it } from 'vitest';
import { parseBrctlShow } from '../../src/probes/brctl-checks.ts';
import { dnatLinesTo } from '../../src/probes/nat-listing.ts';

describe('brctl show, parsed', () => {
  it('gives each bridge its interfaces, continuation lines included, and an empty bridge none', () => {
    const output = [
      'bridge name\tbridge id\t\tSTP enabled\tinterfaces',
      'br-4fa375dee5b7\t\t8000.0242c0a80002\tno\t\t',
      'docker0\t\t8000.02420b1c2d3e\tno\t\tveth0a9d902',
      '\t\t\t\t\t\t\tvethbc51873',
      '',
    ].join('\n');
    expect([...parseBrctlShow(output)]).toEqual([
      ['br-4fa375dee5b7', []],
      ['docker0', ['veth0a9d902', 'vethbc51873']],
    ]);
  });
});

describe('iptables -nvL -t nat, read for DNAT rules', () => {
  const listing = [
    'Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)',
    ' pkts bytes target     prot opt in     out     source               destination',
    '   12   720 DOCKER     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL',
    '',
    'Chain DOCKER (2 references)',
    ' pkts bytes target     prot opt in     out     source               destination',
    '    0     0 RETURN     0    --  docker0 *       0.0.0.0/0            0.0.0.0/0',
    '   2K  120K DNAT       6    --  !docker0 *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:172.17.0.3:80',
    '    1    60 DNAT       6    --  !docker0 *       0.0.0.0/0            127.0.0.1            tcp dpt:8081 to:172.17.0.4:80',
    '',
  ].join('\n');
  it("finds chain DOCKER's DNAT to a destination, for a host port, with its counter (K read as thousands)", () => {
    expect(dnatLinesTo(listing, '172.17.0.3:80', 8080)).toEqual([{ packets: 2000, line: '2K 120K DNAT 6 -- !docker0 * 0.0.0.0/0 0.0.0.0/0 tcp dpt:8080 to:172.17.0.3:80' }]);
    expect(dnatLinesTo(listing, '172.17.0.4:80')).toHaveLength(1);
  });
  it('finds nothing for another port, another container, or without a DOCKER chain', () => {
    expect(dnatLinesTo(listing, '172.17.0.3:80', 8081)).toEqual([]);
    expect(dnatLinesTo(listing, '172.17.0.5:80')).toEqual([]);
    expect(dnatLinesTo(listing.replace('Chain DOCKER ', 'Chain OTHER '), '172.17.0.3:80')).toEqual([]);
  });
});
