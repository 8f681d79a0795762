/**
 * The suite's loop (apply, probe until stable, judge, remove) on a simulated
 * matrix lab: each source's `np-probe batch` is answered by a fake CNI that
 * drops, rejects or ignores what the applied policies deny, after a lag. The
 * real matrix runs on kind (test/kind/cni.kind.test.ts); this pins the
 * reading of what it observes.
 */
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../src/exec/exec-result.ts';
import { readCaseRows } from '../../src/netpol/case-rows.ts';
import { policyCases } from '../../src/netpol/cases.ts';
import type { MatrixShape, PortProtocol } from '../../src/netpol/conformance.ts';
import { laneSuffix, matrixModel, matrixPodName, matrixPodNames, type MatrixNames, type MatrixPodName } from '../../src/netpol/matrix.ts';
import type { PolicyMatrixLab } from '../../src/netpol/matrix-lab.ts';
import { decide } from '../../src/netpol/model.ts';
import type { NetworkPolicy, Protocol } from '../../src/netpol/policy-types.ts';
import { runPolicySuite, suiteDetail, tallyOf, type SuiteOptions } from '../../src/netpol/suite.ts';
import type { StartedWorkload } from '../../src/workloads/workload.ts';

type Behaviour = 'drop' | 'reject' | 'ignore' | 'tcp-only';
const options: SuiteOptions = { concurrency: 4, timeoutSeconds: 1, stableMatrices: 2, minSettleMs: 0, boundMs: 2_000 };
const at: PortProtocol[] = [80, 81].flatMap((port) => (['TCP', 'UDP'] as Protocol[]).map((protocol) => ({ port, protocol })));

/** A lab (a lane: 2 has namespaces x2, y2, z2) whose CNI acts on applied policies `lagMs` later, as `behaviour` says; `deaf` pods serve nothing. */
function simulatedLab(behaviour: Behaviour, lagMs = 0, deaf: readonly string[] = [], lane = 1): PolicyMatrixLab & { applied: string[][] } {
  const suffix = laneSuffix(lane);
  const names: MatrixNames = {
    namespace: (s) => `np-sim-${s}${suffix}`,
    podName: (pod) => matrixPodName(pod, suffix),
    ipOf: (pod) => `10.244.${(matrixPodNames.indexOf(pod) % 2) + 1}.${matrixPodNames.indexOf(pod) + 10 * lane}`,
    podCidr: '10.244.0.0/16',
  };
  const model = matrixModel(names, ['TCP', 'UDP']);
  let policies: readonly NetworkPolicy[] = [];
  let effectiveAt = 0;
  const applied: string[][] = [];
  const podByIp = new Map(model.pods.map((p) => [p.ip, p]));
  const source = (row: string): StartedWorkload => ({
    name: row,
    description: row,
    containerName: row,
    contextCommands: [],
    addresses: {},
    exec: async (argv): Promise<ExecResult> => {
      const batch = JSON.parse(argv[2]!) as { id: string; kind: string; url?: string; host?: string; port?: number }[];
      const from = model.pods.find((p) => p.name === names.podName(row as MatrixPodName));
      const lines = batch.map((probe) => {
        const [host, port] = probe.url ? probe.url.slice(7, -1).split(':') : [probe.host!, String(probe.port)];
        const to = podByIp.get(host!)!;
        const protocol: Protocol = probe.kind === 'http' ? 'TCP' : 'UDP';
        const active = Date.now() >= effectiveAt ? policies : [];
        const denied = from !== undefined && from !== to && !decide(model, active, { from: { pod: from }, to: { pod: to }, port: Number(port), protocol }).allowed;
        const enforced = denied && (behaviour === 'drop' || behaviour === 'reject' || (behaviour === 'tcp-only' && protocol === 'TCP'));
        const base = { id: probe.id, host, port: Number(port), resolved: [host], elapsed_ms: 1 };
        if (deaf.includes(to.name)) return { ...base, ok: false, errno: 'ECONNREFUSED', error: 'refused' };
        if (enforced) return behaviour === 'reject' ? { ...base, ok: false, errno: 'ECONNREFUSED', error: 'refused' } : { ...base, ok: false, errno: 'ETIMEDOUT', error: 'timed out' };
        return { ...base, ok: true, ...(protocol === 'TCP' ? { status: 200 } : {}), served_by: `np-sim-${to.name}` };
      });
      return { command: `kubectl exec ${row} -- np-probe batch …`, exitCode: 0, stdout: lines.map((l) => JSON.stringify(l)).join('\n'), stderr: '', durationMs: 1, startedAt: '' };
    },
  });
  const rows = [...matrixPodNames, 'node:worker', 'node:worker2'];
  const shape: MatrixShape = { rows, columns: matrixPodNames, at, modelPod: new Map(matrixPodNames.map((p) => [p, names.podName(p)])), identity: (column) => `np-sim-${names.podName(column as MatrixPodName)}` };
  return {
    names,
    model,
    shape,
    applied,
    sources: new Map(rows.map((row) => [row, source(row)])),
    targets: matrixPodNames.map((pod) => ({ name: pod, ip: names.ipOf(pod) })),
    nodeOf: new Map(matrixPodNames.map((pod, i) => [pod, i % 2 ? 'worker2' : 'worker'])),
    apply: async (next) => {
      applied.push(next.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      policies = next;
      effectiveAt = Date.now() + lagMs;
    },
    remove: async () => {
      policies = [];
    },
  };
}

const run = async (lab: PolicyMatrixLab) => {
  const result = await runPolicySuite([lab], policyCases, options);
  if (!result.open) throw new Error('the simulated matrix is not open');
  return result;
};

describe('the suite on a simulated CNI', () => {
  it('a CNI that drops what the model denies: every case conformant, each applied in the run\'s namespaces and removed', async () => {
    const lab = simulatedLab('drop');
    const result = await run(lab);
    expect(tallyOf(result.cases)).toBe(`${policyCases.length} conformant`);
    expect(lab.applied[0]).toEqual(['np-sim-x/deny-ingress']);
    expect(result.evidence.length).toBe(11 * (policyCases.length + 1));
  });

  it('a CNI that rejects: still conformant, the refusals listed as rejected rather than dropped', async () => {
    const result = await run(simulatedLab('reject'));
    expect(tallyOf(result.cases)).toBe(`${policyCases.length} conformant`);
    expect(result.cases[0]!.conformance!.refusedNotDropped).toHaveLength(24 * at.length);
  });

  it('a CNI that ignores policies: every case that blocks a cell "not enforced", the allow-all ones conformant; the rows compare reads', async () => {
    const lab = simulatedLab('ignore');
    const result = await run(lab);
    expect(tallyOf(result.cases)).toBe(`${policyCases.length - 2} not enforced, 2 conformant`);
    const rows = readCaseRows(suiteDetail(['CNI sim'], result.baselineMs, result.cases, [lab]));
    expect(rows.map((r) => r.name)).toEqual(policyCases.map((c) => c.name));
    expect(rows[0]!.verdict).toBe('not enforced (96 cells differ, every cell open)');
  });

  it('a CNI that filters TCP only: the cases that block UDP are "partly", naming the UDP cells', async () => {
    const result = await run(simulatedLab('tcp-only'));
    const denyAll = result.cases.find((c) => c.policyCase.name === 'deny-all-ingress')!.conformance!.verdict;
    expect(denyAll.kind).toBe('partly');
    expect(denyAll.kind === 'partly' && denyAll.differing.every((d) => /^8[01]\/UDP /.test(d))).toBe(true);
    expect(result.cases.find((c) => c.policyCase.name === 'named-port')!.conformance!.verdict.kind).toBe('partly');
  });

  it('waits for a CNI that acts late (up to minSettleMs), and says how long it took; later than that reads as not enforced', async () => {
    const late = await runPolicySuite([simulatedLab('drop', 150)], policyCases.slice(0, 3), { ...options, minSettleMs: 400 });
    expect(late.open && tallyOf(late.cases)).toBe('3 conformant');
    expect(late.open && late.cases[2]!.settled.convergedMs).toBeGreaterThanOrEqual(150);
    const tooLate = await runPolicySuite([simulatedLab('drop', 150)], policyCases.slice(0, 1), options);
    expect(tooLate.open && tallyOf(tooLate.cases)).toBe('1 not enforced');
  });

  it('traces one blocked TCP cell per case, a pair on one node first, while the case applies; nothing where nothing is blocked', async () => {
    const traced: string[] = [];
    const lab = simulatedLab('drop');
    const withTrace: PolicyMatrixLab = {
      ...lab,
      traceCell: async (row, target, at) => {
        traced.push(`${row}→${target.name} ${at.port}/${at.protocol} ${lab.applied.length}`);
        return { outcome: { kind: 'timeout', afterMs: 2000 }, connection: row, target: { host: target.ip, port: at.port }, evidence: [], detail: 'dropped in node worker by filter KUBE-NWPLCY-X' };
      },
    };
    const result = await runPolicySuite([withTrace], policyCases.slice(0, 2), options);
    // deny-ingress in x: x/a and x/c share the node worker (pods alternate over the two workers).
    expect(traced[0]).toBe('x/c→x/a 80/TCP 1');
    expect(result.open && result.cases[0]!.traced?.cell).toBe('x/c→x/a 80/TCP');
    const detail = result.open ? suiteDetail(['CNI sim'], result.baselineMs, result.cases, [withTrace]) : '';
    expect(detail).toContain('traced: x/c→x/a 80/TCP again, timeout: dropped in node worker by filter KUBE-NWPLCY-X');
    const open: string[] = [];
    const ignoring = simulatedLab('ignore');
    await runPolicySuite([{ ...ignoring, traceCell: async (row) => (open.push(row), { outcome: { kind: 'success' }, connection: row, evidence: [] }) }], policyCases.slice(0, 2), options);
    expect(open, 'nothing blocked: nothing traced').toEqual([]);
  });

  it('a matrix that is not open with no policy reads nothing', async () => {
    const result = await runPolicySuite([simulatedLab('drop', 0, ['y-b'])], policyCases, options);
    expect(result.open).toBe(false);
    expect(!result.open && result.baseline.verdict.kind).toBe('inconclusive');
  });

  it('one lane of several not open with no policy: nothing is read', async () => {
    const result = await runPolicySuite([simulatedLab('drop'), simulatedLab('drop', 0, ['y2-b'], 2)], policyCases, options);
    expect(result.open).toBe(false);
    expect(!result.open && result.baseline.text).toContain('y/b');
  });
});

describe('lanes: cases side by side, each lane its own namespaces and pods', () => {
  it('every case tried once, in one lane, judged against that lane\'s model; results in the suite\'s order; the report names the lane', async () => {
    const lanes = [simulatedLab('drop', 30), simulatedLab('drop', 30, [], 2), simulatedLab('drop', 30, [], 3)];
    const result = await runPolicySuite(lanes, policyCases, { ...options, minSettleMs: 200 });
    if (!result.open) throw new Error('the simulated lanes are not open');
    expect(tallyOf(result.cases)).toBe(`${policyCases.length} conformant`);
    expect(result.cases.map((c) => c.policyCase.name)).toEqual(policyCases.map((c) => c.name));
    expect(lanes.map((l) => l.applied.length).reduce((a, b) => a + b)).toBe(policyCases.length);
    expect(lanes.every((l) => l.applied.length > 0), 'every lane took cases').toBe(true);
    for (const c of result.cases) {
      const laneNamespaces = ['x', 'y', 'z'].map((short) => lanes[c.lane]!.names.namespace(short));
      expect(c.policies.every((p) => laneNamespaces.includes(p.metadata.namespace))).toBe(true);
      expect(lanes[c.lane]!.applied.some((applied) => applied.join() === c.policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join())).toBe(true);
    }
    expect(result.evidence.length).toBe(11 * 3 + result.cases.reduce((n, c) => n + c.settled.run.evidence.length, 0));
    const detail = suiteDetail(['CNI sim'], result.baselineMs, result.cases, lanes);
    expect(detail).toContain('lane 2 of 3 (namespaces np-sim-x2, np-sim-y2, np-sim-z2)');
    expect(readCaseRows(detail).map((r) => r.name)).toEqual(policyCases.map((c) => c.name));
  });

  it('traces one at a time: the kernel\'s trace is per node, which the lanes share', async () => {
    let active = 0;
    let most = 0;
    const tracing = (lab: PolicyMatrixLab): PolicyMatrixLab => ({
      ...lab,
      traceCell: async (row, target, at) => {
        most = Math.max(most, ++active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
        return { outcome: { kind: 'timeout', afterMs: 2000 }, connection: row, target: { host: target.ip, port: at.port }, evidence: [] };
      },
    });
    const result = await runPolicySuite([tracing(simulatedLab('drop')), tracing(simulatedLab('drop', 0, [], 2))], policyCases.slice(0, 6), options);
    expect(result.open && result.cases.filter((c) => c.traced).length).toBeGreaterThan(3);
    expect(most).toBe(1);
  });
});
