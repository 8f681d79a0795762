import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { droppedBy, parseTrace } from '../../src/probes/packet-trace.ts';

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
  });
});
