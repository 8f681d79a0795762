import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { droppedBy, parseNftTrace, parseTrace } from '../../src/probes/packet-trace.ts';

/**
 * A real `xtables-monitor --trace` (iptables 1.8.9, kernel 6.18) in a scratch
 * namespace: a SYN to 127.0.0.2:7, DNATed to 127.0.0.1:9, dropped in filter
 * OUTPUT; the client sent it twice.
 */
const captured = readFileSync('test/fixtures/xtables-monitor-trace.txt', 'utf8');

describe('packet trace', () => {
  it('groups the trace by packet, keeping the destination the packet entered with (before DNAT)', () => {
    const packets = parseTrace(captured);
    expect(packets.map((p) => [p.destination, p.destinationPort, p.steps.length])).toEqual([
      ['127.0.0.2', 7, 4],
      ['127.0.0.2', 7, 4],
    ]);
    expect(packets[0]!.steps[0]).toMatch(/^raw:OUTPUT:rule:0x4:CONTINUE/);
  });

  it('names the rule that dropped the packet, as iptables prints it', () => {
    expect(droppedBy(parseTrace(captured), 'the Docker host')).toBe('dropped in the Docker host by filter OUTPUT: `-4 -t filter -A OUTPUT -p tcp -m tcp --dport 9 -j DROP`');
  });

  it("names a chain's policy, and says so when no step dropped it or no packet was traced", () => {
    const policy = ' PACKET: 2 0000abcd IN=eth0 SRC=198.18.0.11 DST=172.17.0.3 DPORT=80 SYN\n TRACE: 2 0000abcd filter:FORWARD:rule:0x9:JUMP:DOCKER  -4 -t filter -A FORWARD -o docker0 -j DOCKER\n TRACE: 2 0000abcd filter:FORWARD:policy:DROP \n';
    expect(droppedBy(parseTrace(policy), 'host A')).toBe("dropped in host A by filter FORWARD's policy DROP");
    const passed = ' PACKET: 2 0000abce IN=eth0 SRC=198.18.0.11 DST=172.17.0.3 DPORT=80 SYN\n TRACE: 2 0000abce filter:FORWARD:policy:ACCEPT \n';
    expect(droppedBy(parseTrace(passed), 'host A')).toBe("the trace in host A saw no rule drop the attempt's SYN (its last step: filter:FORWARD:policy:ACCEPT)");
    expect(droppedBy([], 'host A')).toBe("the trace in host A saw none of the attempt's SYNs");
    // kube-router's NetworkPolicy chain, as traced on a kind node: the kernel's verdict for a REJECT rule is DROP.
    const rejectRule = '-4 -t filter -A KUBE-POD-FW-MVP6QX2PAUBNAO5Q -m comment --comment "rule to REJECT traffic destined for POD name:x-a namespace: np-9bbc70c9-x" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable';
    expect(droppedBy([{ id: 'y', destination: '10.224.1.5', destinationPort: 80, steps: ['raw:PREROUTING:rule:0x3:CONTINUE', `filter:KUBE-POD-FW-MVP6QX2PAUBNAO5Q:rule:0x9:DROP ${rejectRule}`] }], 'node worker')).toBe(
      `rejected in node worker by filter KUBE-POD-FW-MVP6QX2PAUBNAO5Q: \`${rejectRule}\``,
    );
  });

  it("reads `nft monitor trace` (an engine on the nftables backend) into the same steps, and names Docker's rule", () => {
    // nft's line format, with the steps a 29.8-nft lab host printed here for D20's routed SYN to host C's container
    // (the first rule is iptables' TRACE rule, which nft cannot print).
    const nft = [
      'trace id 6880b89b ip raw PREROUTING packet: iif "eth0" ether saddr 02:42:ac:1b:00:03 ip saddr 172.27.0.3 ip daddr 172.16.0.2 ip ttl 63 tcp sport 40000 tcp dport 8000 tcp flags == syn',
      'trace id 6880b89b ip raw PREROUTING unknown rule handle 2 (verdict continue)',
      'trace id 6880b89b ip raw PREROUTING policy accept',
      'trace id 6880b89b ip docker-bridges raw-PREROUTING rule ip daddr 172.16.0.2 iifname != "docker0" counter packets 0 bytes 0 drop comment "DROP DIRECT ACCESS" (verdict drop)',
      'trace id 0badf00d ip raw PREROUTING packet: iif "eth0" ip saddr 172.27.0.9 ip daddr 172.16.0.9 tcp dport 80 tcp flags == syn',
    ].join('\n');
    const packets = parseNftTrace(nft);
    expect(packets.map((p) => [p.destination, p.destinationPort])).toEqual([
      ['172.16.0.2', 8000],
      ['172.16.0.9', 80],
    ]);
    expect(packets[0]!.steps).toEqual([
      'raw:PREROUTING:unknown rule handle 2 (verdict continue)',
      'raw:PREROUTING:policy:ACCEPT',
      'docker-bridges:raw-PREROUTING:rule:nft:DROP ip daddr 172.16.0.2 iifname != "docker0" counter packets 0 bytes 0 drop comment "DROP DIRECT ACCESS"',
    ]);
    expect(droppedBy([packets[0]!], 'hostC')).toBe('dropped in hostC by docker-bridges raw-PREROUTING: `ip daddr 172.16.0.2 iifname != "docker0" counter packets 0 bytes 0 drop comment "DROP DIRECT ACCESS"`');
    expect(droppedBy([{ id: 'x', steps: ['filter:FORWARD:policy:DROP'] }], 'hostC')).toBe("dropped in hostC by filter FORWARD's policy DROP");
  });
});
