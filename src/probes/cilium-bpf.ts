/**
 * K26, article 003's "Cilium: BPF-based", read in the kernel of each node that
 * runs a pod of the run: the BPF links cilium pinned for that pod's endpoint
 * and for the node's devices, and the program each link holds, as bpftool
 * reads them (in cilium's agent pod, the only place with bpftool and cilium's
 * bpffs). Debian's bpftool 7.1 lists TCX attachments (cilium's attach mode on
 * kernels >= 6.6) only as "type 11" links, so the links are found by their
 * pins, which cilium names per endpoint and device.
 */
import { cniOf, inCiliumAgent, kindLabOf, type KindLab } from '../environment/kind/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { CheckFailed, checkFact, type CheckContext, type FactFound } from './check.ts';
import { runPodsOn } from './pod-bridge.ts';
import type { Probe } from './probe.ts';

/** One pinned link: where cilium pinned it, and the program it attaches. */
export interface PinnedProgram {
  readonly pin: string;
  readonly linkType: string;
  readonly program: string;
  readonly programType: string;
}

/** One node as K26 reads it: the run's pods there, each with its endpoint's programs, and the node's device programs. */
export interface NodeDatapath {
  readonly node: string;
  readonly pods: readonly { readonly pod: string; readonly ip: string; readonly endpoint?: number; readonly programs: readonly PinnedProgram[] }[];
  readonly devices: readonly PinnedProgram[];
}

/** The CNIs the article's sentence is about. */
const isCilium = (cni: string) => cni === 'cilium' || cni.startsWith('cilium-');

/** TCX's link type number (include/uapi/linux/bpf.h BPF_LINK_TYPE_TCX), which bpftool 7.1 prints as a bare number. */
const linkTypeName = (type: string | number) => (String(type) === '11' ? 'tcx' : String(type));

/**
 * "BPF-based": every pod of the run that was judged has a BPF program of the
 * traffic-classifier type (sched_cls: tc or TCX) attached for its endpoint.
 */
export function podsRunOnBpf(nodes: readonly NodeDatapath[]): FactFound {
  const pods = nodes.flatMap((n) => n.pods);
  const classifier = (p: PinnedProgram) => p.programType === 'sched_cls';
  const lines = nodes.map((n) => {
    const podText = n.pods.map((p) =>
      p.endpoint === undefined
        ? `${p.pod} (${p.ip}): no cilium endpoint`
        : `${p.pod} (${p.ip}) is endpoint ${p.endpoint}: ${p.programs.length ? p.programs.map((x) => `${x.program} (${x.programType}, ${x.linkType} link)`).join(', ') : 'no program pinned'}`,
    );
    const devices = [...new Set(n.devices.map((d) => d.pin.split('/devices/')[1]?.split('/')[0] ?? d.pin))].map((device) => `${device}: ${n.devices.filter((d) => d.pin.includes(`/devices/${device}/`)).map((d) => d.program).join(', ')}`);
    return `${n.node}: ${podText.join('; ')}; node devices: ${devices.join('; ') || 'none'}`;
  });
  return { holds: pods.length > 0 && pods.every((p) => p.programs.some(classifier)), observed: lines.join(' | ') };
}

/** `<pin> <link json> <prog json>` per line, as the script below prints. */
export function parsePinnedPrograms(text: string): PinnedProgram[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [pin, link, prog] = line.trim().split(' ');
      const linkJson = JSON.parse(link!) as { type: string | number };
      const progJson = JSON.parse(prog!) as { name?: string; type: string };
      return { pin: pin!, linkType: linkTypeName(linkJson.type), program: progJson.name ?? '(unnamed)', programType: progJson.type };
    });
}

const pinsScript = [
  "for pin in $(find /sys/fs/bpf/cilium -path '*/links/*' -type f | sort); do",
  '  link=$(bpftool -j link show pinned "$pin") || continue',
  '  id=$(echo "$link" | sed -n \'s/.*"prog_id":\\([0-9]*\\).*/\\1/p\')',
  '  echo "$pin $link $(bpftool -j prog show id "$id")"',
  'done',
].join('\n');

interface CiliumEndpoint {
  readonly id: number;
  readonly status?: { readonly networking?: { readonly addressing?: readonly { readonly ipv4?: string }[] } };
}

async function readNode(check: CheckContext, lab: KindLab, env: StartedEnvironment, node: { readonly name: string; readonly address: string }): Promise<NodeDatapath | undefined> {
  const here = runPodsOn(env, node.address);
  if (here.length === 0) return undefined;
  const short = node.name.replace(`${lab.cluster.name}-`, '');
  const exec = (argv: readonly string[]) => inCiliumAgent(lab.cluster, node.name, argv);
  const endpoints = check.json<CiliumEndpoint[]>(await check.must(exec(['cilium-dbg', 'endpoint', 'list', '-o', 'json']), `cilium's endpoints on ${short}`), `cilium's endpoints on ${short}`);
  const pinned = parsePinnedPrograms((await check.must(exec(['sh', '-c', pinsScript]), `the BPF links cilium pinned on ${short}`)).stdout);
  const pods = here.map((w) => {
    const ip = w.addresses.pod!;
    const endpoint = endpoints.find((e) => e.status?.networking?.addressing?.some((a) => a.ipv4 === ip))?.id;
    return { pod: w.name, ip, endpoint, programs: endpoint === undefined ? [] : pinned.filter((p) => p.pin.includes(`/endpoints/${endpoint}/`)) };
  });
  return { node: short, pods, devices: pinned.filter((p) => p.pin.includes('/devices/')) };
}

const connection = "BPF programs attached for each pod of the run and for its node's devices (cilium-dbg endpoint list; bpftool link show pinned, prog show, in cilium's agent pod on each node)";

/** K26: on a cilium column, the programs its datapath attached; on another CNI the article's sentence is not about it. */
export const ciliumBpfDatapath = (): Probe => ({
  describe: connection,
  run: (_source, env) =>
    checkFact(connection, async (check) => {
      const lab = kindLabOf(env);
      const cni = cniOf(lab).name;
      if (!isCilium(cni)) throw new CheckFailed(`not applicable here: the article says "Cilium: BPF-based", and this cluster runs ${cni}`);
      const nodes: NodeDatapath[] = [];
      for (const node of lab.facts.nodes) {
        const read = await readNode(check, lab, env, node);
        if (read) nodes.push(read);
      }
      return podsRunOnBpf(nodes);
    }),
});
