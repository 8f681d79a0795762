/**
 * K18 as the netpol e2e tries NetworkPolicy: the suite of src/netpol/cases.ts
 * on the 3 × 3 matrix, each case applied, observed until the matrix is stable,
 * diffed against the model (src/netpol/model.ts) and removed. What each cell
 * should do comes from the model only; the article's words ("Calico: network
 * policy support") are judged only on Calico.
 */
import { kindLabOf } from '../environment/kind/kind-lab.ts';
import { caseRowsHeader, formatCaseRow } from '../netpol/case-rows.ts';
import { policyCases, type PolicyCase } from '../netpol/cases.ts';
import { formatVerdict, judgeCase, matrixSignature, probeKey, probeTypeOf, type CaseConformance, type ObservedMatrix } from '../netpol/conformance.ts';
import { instantiate } from '../netpol/matrix.ts';
import { startPolicyMatrix, type PolicyMatrixLab } from '../netpol/matrix-lab.ts';
import type { NetworkPolicy } from '../netpol/policy-types.ts';
import { probeMatrix, type MatrixRun } from '../netpol/probe-matrix.ts';
import { checked } from './check.ts';
import type { Probe } from './probe.ts';

/** The CNI the article's sentence is about: the only one on which K18 is judged. */
export const articleCni = 'calico';

/**
 * Source pods probing at once. Chosen by measurement on 2 cores (README,
 * k8s-network-policy): each exec runs its 36 probes in parallel inside the
 * pod, so the pool bounds API-server execs and python start-ups, not probes.
 * NETPROOF_NETPOL_CONCURRENCY overrides it, for measuring.
 */
export const probeConcurrency = Number(process.env.NETPROOF_NETPOL_CONCURRENCY) || 4;
/** Per probe: a policy's drop is a timeout, so this is also a blocked cell's cost. */
export const probeTimeoutSeconds = 1;
/** A case's matrix is stable once it is as the model expects, or unchanged over this many matrices and at least `minSettleMs` after applying. */
const stableMatrices = 3;
const minSettleMs = 6_000;
const boundMs = 30_000;

interface Settled {
  readonly run: MatrixRun;
  /** From the apply to the first matrix of the final, unchanged run of matrices. */
  readonly convergedMs: number;
  readonly how: string;
}

export function networkPolicySuite(cases: readonly PolicyCase[] = policyCases): Probe {
  const describe = `NetworkPolicy conformance: ${cases.length} cases on the 3 × 3 matrix (80, 81; TCP, UDP), expected from the model`;
  return {
    describe,
    run: (_source, env) =>
      checked(describe, async (check) => {
        const lab = kindLabOf(env);
        const cni: string = lab.cluster.cni?.cni ?? lab.facts.cni.split(' ')[0]!;
        const matrix = await startPolicyMatrix(env);
        const sctp = await check.record(matrix.sources.get('x/a')!.exec(['np-probe', 'sctp-support']));
        const sctpNote = sctp.exitCode === 0 ? 'the pods\' kernel gives SCTP sockets, but np-serve does not serve SCTP yet: not tried' : `not tried: the pods' kernel has no SCTP (${sctp.stdout.trim()})`;
        // With no policy every cell must connect: the baseline a refusal is read against, and the lab's control.
        const open = (cells: ObservedMatrix) => judgeCase(matrix.shape, matrix.model, [], cells, cells);
        const baseline = await settle(matrix, async () => undefined, (run) => open(run.cells).verdict.kind === 'conformant');
        for (const result of baseline.run.evidence) await check.record(result);
        const opened = open(baseline.run.cells);
        if (opened.verdict.kind !== 'conformant') {
          return { outcome: { kind: 'check-failed', reason: `with no policy the matrix is not open (${formatVerdict(opened.verdict)}): no case can be read` }, detail: opened.text };
        }
        const rows: string[] = [];
        const sections: string[] = [];
        const tally = new Map<string, number>();
        for (const policyCase of cases) {
          const policies = policyCase.policies.map((p) => instantiate(p, matrix.names));
          const judge = (cells: ObservedMatrix) => judgeCase(matrix.shape, matrix.model, policies, cells, baseline.run.cells);
          const seen = await settle(matrix, () => matrix.apply(policies), (run) => judge(run.cells).verdict.kind === 'conformant');
          await matrix.remove(policies);
          for (const result of seen.run.evidence) await check.record(result);
          const verdict = seen.run.failures.length > 0 ? undefined : judge(seen.run.cells);
          const line = verdict ? formatVerdict(verdict.verdict) : `inconclusive: ${seen.run.failures.join('; ')}`;
          tally.set(verdict?.verdict.kind ?? 'inconclusive', (tally.get(verdict?.verdict.kind ?? 'inconclusive') ?? 0) + 1);
          rows.push(formatCaseRow({ name: policyCase.name, convergedSeconds: seen.convergedMs / 1000, verdict: line }));
          sections.push(caseSection(policyCase, policies, seen, verdict, matrix));
        }
        const summary = [...tally].map(([kind, n]) => `${n} ${kind}`).join(', ');
        const detail = [
          `CNI ${cni}; ${cases.length} cases; ${matrix.shape.rows.length} sources × ${matrix.shape.columns.length} pods × ${matrix.shape.at.length} port/protocols per matrix; probe timeout ${probeTimeoutSeconds} s, ${probeConcurrency} sources at once; SCTP ${sctpNote}`,
          `no policy: open after ${(baseline.convergedMs / 1000).toFixed(1)} s`,
          caseRowsHeader,
          ...rows,
          '',
          ...sections,
        ].join('\n');
        const allConformant = tally.size === 1 && tally.has('conformant');
        if (cni !== articleCni) {
          return {
            outcome: { kind: 'check-failed', reason: `not applicable here: the article says "Calico: network policy support", and this cluster runs ${cni} (Calico is not in the lab yet); the suite on ${cni} is a finding: ${summary}` },
            detail,
          };
        }
        return { outcome: { kind: 'fact', holds: allConformant, observed: `${summary} on ${cni}` }, detail };
      }),
  };
}

/**
 * Applies (`change`), then probes the whole matrix until it is as the model
 * expects, or has stopped changing, or the bound passes; says which and how long.
 */
async function settle(matrix: PolicyMatrixLab, change: () => Promise<void>, asExpected: (run: MatrixRun) => boolean): Promise<Settled> {
  const started = Date.now();
  await change();
  const seen: { at: number; signature: string }[] = [];
  for (;;) {
    const run = await probeMatrix(matrix.sources, matrix.targets, matrix.shape.at, { timeoutSeconds: probeTimeoutSeconds, concurrency: probeConcurrency });
    const elapsed = Date.now() - started;
    const signature = matrixSignature(run.cells);
    seen.push({ at: elapsed, signature });
    let first = seen.length - 1;
    while (first > 0 && seen[first - 1]!.signature === signature) first--;
    const convergedMs = seen[first]!.at;
    if (run.failures.length === 0 && asExpected(run)) return { run, convergedMs, how: 'as the model expects' };
    if (seen.length - first >= stableMatrices && elapsed >= minSettleMs) return { run, convergedMs, how: `unchanged over ${seen.length - first} matrices` };
    if (elapsed >= boundMs) return { run, convergedMs, how: `still changing after ${boundMs / 1000} s` };
  }
}

/** One case in the report: where it comes from, the policies as applied, how it settled, the verdict, the implementation-defined cells, the matrices. */
function caseSection(policyCase: PolicyCase, policies: readonly NetworkPolicy[], seen: Settled, verdict: CaseConformance | undefined, matrix: PolicyMatrixLab): string {
  return [
    `=== ${policyCase.name} — ${policyCase.source}`,
    `policies: ${JSON.stringify(policies.map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, spec: p.spec })))}`,
    `settled: ${seen.how}, ${(seen.convergedMs / 1000).toFixed(1)} s after apply`,
    `verdict: ${verdict ? formatVerdict(verdict.verdict, 40) : 'inconclusive (a source gave no report)'}`,
    ...(verdict && verdict.refusedNotDropped.length > 0 ? [`refused rather than dropped (connected with no policy): ${verdict.refusedNotDropped.length} cells`] : []),
    `left to implementations (shown, not judged): ${implementationDefined(seen.run.cells, matrix)}`,
    verdict?.text ?? '',
  ].join('\n');
}

/** The pod to itself, its own node and the other node: which of those cells did not connect. */
function implementationDefined(cells: ObservedMatrix, matrix: PolicyMatrixLab): string {
  const closed: Record<'self' | 'own node' | 'other node', string[]> = { self: [], 'own node': [], 'other node': [] };
  for (const column of matrix.shape.columns) {
    for (const at of matrix.shape.at) {
      for (const row of [column, 'node:worker', 'node:worker2']) {
        const cell = cells.get(probeKey(row, column, at));
        if (!cell || probeTypeOf(cell.outcome) === 'connected') continue;
        const what = row === column ? 'self' : row === `node:${matrix.nodeOf.get(column)}` ? 'own node' : 'other node';
        closed[what].push(`${row}→${column} ${at.port}/${at.protocol} ${probeTypeOf(cell.outcome)}`);
      }
    }
  }
  return Object.entries(closed)
    .map(([what, list]) => `${what}: ${list.length === 0 ? 'all connected' : `${list.length} not connected (${list.slice(0, 6).join(', ')}${list.length > 6 ? ', …' : ''})`}`)
    .join('; ');
}
