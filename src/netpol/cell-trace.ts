/**
 * Which rule stopped a blocked cell (issue 17, item 6, on the kind nodes): the
 * cell's probe again, with the kernel's trace on in the network namespace of
 * each node it crosses (the source's and the destination's), where a CNI that
 * filters with netfilter drops it. A CNI that drops in eBPF, or does not
 * filter, is not traced: the report says why.
 */
import { cniOf, nodeNamespace, type KindLab } from '../environment/kind/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { nftMonitor, tracingDrops, xtablesMonitor } from '../probes/packet-trace.ts';
import type { Observation } from '../probes/probe.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { probeKey, type PortProtocol } from './conformance.ts';
import type { PolicyMatrixLab } from './matrix-lab.ts';
import { probeMatrix, type MatrixTarget } from './probe-matrix.ts';

/** A blocked TCP probe's wait: the client retries its SYN after 1 s, so 2 s of silence is a drop (iptables-checks.ts's whereDropped). */
const tracedProbeSeconds = 2;

export function cellTracer(env: StartedEnvironment, lab: KindLab, sources: ReadonlyMap<string, StartedWorkload>, nodeOf: ReadonlyMap<string, string>): Pick<PolicyMatrixLab, 'traceCell' | 'untracedBecause'> {
  const cni = cniOf(lab);
  if (cni.policyFilter === 'none') return { untracedBecause: `${cni.name} does not filter pod traffic` };
  if (cni.policyFilter === 'ebpf') return { untracedBecause: `${cni.name} drops in eBPF programs, which netfilter's trace does not see` };
  const monitor = cni.policyFilter === 'nftables' ? nftMonitor : xtablesMonitor;
  return {
    traceCell: async (row, target, at) => {
      let attempt = () => probeOnce(sources.get(row)!, row, target, at);
      for (const node of new Set([nodeOf.get(row)!, nodeOf.get(target.name)!])) {
        const exec = await nodeNamespace(`${lab.cluster.name}-${node}`);
        const inner = attempt;
        attempt = () => tracingDrops(exec, monitor(exec), env.run.id, `node ${node}`, inner);
      }
      return attempt();
    },
  };
}

/** The cell's one probe, as the matrix sends it, as an observation the trace can read. */
async function probeOnce(source: StartedWorkload, row: string, target: MatrixTarget, at: PortProtocol): Promise<Observation> {
  const run = await probeMatrix(new Map([[row, source]]), [target], [at], { timeoutSeconds: tracedProbeSeconds, concurrency: 1 });
  const cell = run.cells.get(probeKey(row, target.name, at));
  return {
    outcome: cell?.outcome ?? { kind: 'check-failed', reason: `no report: ${run.failures.join('; ')}` },
    connection: `${row} → ${target.name} (${target.ip}:${at.port}/${at.protocol})`,
    target: { host: target.ip, port: at.port },
    evidence: run.evidence,
    ...(cell?.answeredBy ? { answeredBy: cell.answeredBy } : {}),
  };
}
