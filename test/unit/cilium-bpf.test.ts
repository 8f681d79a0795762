import { describe, expect, it } from 'vitest';
import { parsePinnedPrograms, podsRunOnBpf, type NodeDatapath } from '../../src/probes/cilium-bpf.ts';

// Lines as the pin script printed them in cilium 1.20.2's agent on a kind worker (kernel 6.18, Debian's bpftool 7.1).
const printed = [
  '/sys/fs/bpf/cilium/endpoints/420/links/cil_from_container {"id":110,"type":11,"prog_id":1017} {"id":1017,"type":"sched_cls","name":"cil_from_container","tag":"a1","gpl_compatible":true}',
  '/sys/fs/bpf/cilium/devices/eth0/links/cil_from_netdev {"id":92,"type":11,"prog_id":798} {"id":798,"type":"sched_cls","name":"cil_from_netdev","tag":"b2","gpl_compatible":true}',
].join('\n');

describe('K26: the BPF programs cilium attached', () => {
  it('reads each pinned link as its program, naming TCX (link type 11)', () => {
    expect(parsePinnedPrograms(`${printed}\n`)).toEqual([
      { pin: '/sys/fs/bpf/cilium/endpoints/420/links/cil_from_container', linkType: 'tcx', program: 'cil_from_container', programType: 'sched_cls' },
      { pin: '/sys/fs/bpf/cilium/devices/eth0/links/cil_from_netdev', linkType: 'tcx', program: 'cil_from_netdev', programType: 'sched_cls' },
    ]);
  });

  const [endpointProgram, deviceProgram] = parsePinnedPrograms(printed);
  const node = (programs: NodeDatapath['pods'][number]['programs'], endpoint: number | undefined): NodeDatapath => ({
    node: 'worker',
    pods: [{ pod: 'client', ip: '10.244.2.17', endpoint, programs }],
    devices: [deviceProgram!],
  });

  it("holds when every pod's endpoint has a classifier program, and says which", () => {
    const found = podsRunOnBpf([node([endpointProgram!], 420)]);
    expect(found.holds).toBe(true);
    expect(found.observed).toBe('worker: client (10.244.2.17) is endpoint 420: cil_from_container (sched_cls, tcx link); node devices: eth0: cil_from_netdev');
  });

  it('does not hold for a pod without a program, a pod cilium has no endpoint for, or no pod at all', () => {
    expect(podsRunOnBpf([node([], 420)]).holds).toBe(false);
    expect(podsRunOnBpf([node([], undefined)]).observed).toContain('client (10.244.2.17): no cilium endpoint');
    expect(podsRunOnBpf([node([{ ...endpointProgram!, programType: 'cgroup_sock_addr' }], 420)]).holds).toBe(false);
    expect(podsRunOnBpf([]).holds).toBe(false);
  });
});
