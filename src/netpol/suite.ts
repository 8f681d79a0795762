/**
 * The conformance suite on matrix labs: with no policy first (every cell must
 * connect: the lab's control, and the baseline a refusal is read against),
 * then each case applied, observed until the matrix is stable, judged against
 * the model, removed. Each lab is a lane: its own namespaces and pods, taking
 * the next case when done with one, so the lanes' waits for the CNI overlap;
 * a case's policies select only its lane's pods, and only its lane's pods and
 * the nodes probe them. No kind here: a lane is whatever `PolicyMatrixLab`
 * gives (a cluster's, or a simulated one in the unit tests).
 */
import type { ExecResult } from '../exec/exec-result.ts';
import { caseRowsHeader, formatCaseRow } from './case-rows.ts';
import type { PolicyCase } from './cases.ts';
import { formatVerdict, judgeCase, matrixSignature, probeKey, probeTypeOf, type CaseConformance, type ObservedMatrix } from './conformance.ts';
import { instantiate, matrixNamespaces } from './matrix.ts';
import type { PolicyMatrixLab } from './matrix-lab.ts';
import type { NetworkPolicy } from './policy-types.ts';
import type { Observation } from '../probes/probe.ts';
import { probeMatrix, type MatrixRun, type ProbeTimeouts } from './probe-matrix.ts';

export interface SuiteOptions extends ProbeTimeouts {
  /** Source pods probing at once. */
  readonly concurrency: number;
  /** A matrix is stable once as the model expects, or unchanged over `stableMatrices` matrices and at least `minSettleMs` after applying; `boundMs` at most. */
  readonly stableMatrices: number;
  readonly minSettleMs: number;
  readonly boundMs: number;
}

export interface Settled {
  readonly run: MatrixRun;
  /** From the apply to the first matrix of the final, unchanged run of matrices. */
  readonly convergedMs: number;
  readonly how: string;
}

export interface CaseResult {
  readonly policyCase: PolicyCase;
  /** The lane it was tried in: an index into the suite's lanes. */
  readonly lane: number;
  readonly policies: readonly NetworkPolicy[];
  readonly settled: Settled;
  /** Missing when a source gave no report for some probe. */
  readonly conformance?: CaseConformance;
  /** One blocked TCP cell probed again under the kernel's trace: which rule stopped it (where the lab can trace). */
  readonly traced?: TracedCell;
}

export interface TracedCell {
  /** `x/a→y/b 80/TCP` */
  readonly cell: string;
  readonly observation: Observation;
}

export type SuiteResult =
  | { readonly open: false; readonly baseline: CaseConformance; readonly evidence: readonly ExecResult[] }
  | { readonly open: true; readonly baselineMs: number; readonly cases: readonly CaseResult[]; readonly evidence: readonly ExecResult[] };

export async function runPolicySuite(lanes: readonly PolicyMatrixLab[], cases: readonly PolicyCase[], options: SuiteOptions): Promise<SuiteResult> {
  const open = (matrix: PolicyMatrixLab, cells: ObservedMatrix) => judgeCase(matrix.shape, matrix.model, [], cells, cells);
  const baselines = await Promise.all(lanes.map((matrix) => settle(matrix, async () => undefined, (run) => open(matrix, run.cells).verdict.kind === 'conformant', options)));
  const evidence: ExecResult[] = baselines.flatMap((b) => b.run.evidence);
  const closed = baselines.findIndex((b, lane) => b.run.failures.length > 0 || open(lanes[lane]!, b.run.cells).verdict.kind !== 'conformant');
  if (closed >= 0) return { open: false, baseline: open(lanes[closed]!, baselines[closed]!.run.cells), evidence };
  const results: CaseResult[] = [];
  const caseEvidence: ExecResult[][] = [];
  // The kernel's trace is set up per node, which the lanes share: one trace at a time keeps each one's packets its own.
  const tracing = oneAtATime();
  let next = 0;
  await Promise.all(
    lanes.map(async (matrix, lane) => {
      for (let at = next++; at < cases.length; at = next++) {
        const { result, evidence: seen } = await tryCase(matrix, lane, cases[at]!, baselines[lane]!.run.cells, options, tracing);
        results[at] = result;
        caseEvidence[at] = seen;
      }
    }),
  );
  return { open: true, baselineMs: Math.max(...baselines.map((b) => b.convergedMs)), cases: results, evidence: [...evidence, ...caseEvidence.flat()] };
}

/** One case in one lane: applied, settled, one blocked cell traced, removed; judged against the lane's baseline. */
async function tryCase(matrix: PolicyMatrixLab, lane: number, policyCase: PolicyCase, baseline: ObservedMatrix, options: SuiteOptions, tracing: OneAtATime): Promise<{ result: CaseResult; evidence: ExecResult[] }> {
  const policies = policyCase.policies.map((p) => instantiate(p, matrix.names));
  const judge = (cells: ObservedMatrix) => judgeCase(matrix.shape, matrix.model, policies, cells, baseline);
  const settled = await settle(matrix, () => matrix.apply(policies), (run) => judge(run.cells).verdict.kind === 'conformant', options);
  const traced = await tracing(() => traceOneBlocked(matrix, settled.run));
  await matrix.remove(policies);
  return {
    result: { policyCase, lane, policies, settled, ...(settled.run.failures.length === 0 ? { conformance: judge(settled.run.cells) } : {}), ...(traced ? { traced } : {}) },
    evidence: [...settled.run.evidence, ...(traced?.observation.evidence ?? [])],
  };
}

type OneAtATime = <T>(work: () => Promise<T>) => Promise<T>;

/** Runs the works it is given one after another, in the order given. */
function oneAtATime(): OneAtATime {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = last.then(work);
    last = run.catch(() => undefined);
    return run;
  };
}

/** Applies (`change`), then probes the whole matrix until it is as the model expects, or has stopped changing, or the bound passes; says which and how long. */
async function settle(matrix: PolicyMatrixLab, change: () => Promise<void>, asExpected: (run: MatrixRun) => boolean, options: SuiteOptions): Promise<Settled> {
  const started = Date.now();
  await change();
  const seen: { at: number; signature: string }[] = [];
  for (;;) {
    const run = await probeMatrix(matrix.sources, matrix.targets, matrix.shape.at, options);
    const elapsed = Date.now() - started;
    const signature = matrixSignature(run.cells);
    seen.push({ at: elapsed, signature });
    let first = seen.length - 1;
    while (first > 0 && seen[first - 1]!.signature === signature) first--;
    const convergedMs = seen[first]!.at;
    if (run.failures.length === 0 && asExpected(run)) return { run, convergedMs, how: 'as the model expects' };
    if (seen.length - first >= options.stableMatrices && elapsed >= options.minSettleMs) return { run, convergedMs, how: `unchanged over ${seen.length - first} matrices` };
    if (elapsed >= options.boundMs) return { run, convergedMs, how: `still changing after ${options.boundMs / 1000} s` };
  }
}

/**
 * One pod-to-pod TCP cell that did not connect, probed again with the trace on
 * while the case's policies still apply: a pair on one node first (one
 * namespace filters it), else any. None when nothing was blocked.
 */
async function traceOneBlocked(matrix: PolicyMatrixLab, run: MatrixRun): Promise<TracedCell | undefined> {
  if (!matrix.traceCell) return undefined;
  const blocked = matrix.targets.flatMap((target) =>
    matrix.shape.at
      .filter((at) => at.protocol === 'TCP')
      .flatMap((at) =>
        [...matrix.shape.modelPod.keys()]
          .filter((row) => row !== target.name && probeTypeOf(run.cells.get(probeKey(row, target.name, at))?.outcome ?? { kind: 'success' }) !== 'connected')
          .map((row) => ({ row, target, at, sameNode: matrix.nodeOf.get(row) === matrix.nodeOf.get(target.name) })),
      ),
  );
  const cell = blocked.find((b) => b.sameNode) ?? blocked[0];
  if (!cell) return undefined;
  return { cell: `${cell.row}→${cell.target.name} ${cell.at.port}/${cell.at.protocol}`, observation: await matrix.traceCell(cell.row, cell.target, cell.at) };
}

/** The per-case verdict words: the conformance's, or why there is none. */
export const caseVerdictWords = (result: CaseResult, limit?: number) => (result.conformance ? formatVerdict(result.conformance.verdict, limit) : `inconclusive: ${result.settled.run.failures.join('; ')}`);

/** Count per verdict kind, in the order first seen: `24 not enforced, 2 conformant`. */
export function tallyOf(cases: readonly CaseResult[]): string {
  const tally = new Map<string, number>();
  for (const c of cases) tally.set(c.conformance?.verdict.kind ?? 'inconclusive', (tally.get(c.conformance?.verdict.kind ?? 'inconclusive') ?? 0) + 1);
  return [...tally].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/** The report: the summary rows (compare reads them back), then each case with its matrices. */
export function suiteDetail(header: readonly string[], baselineMs: number, cases: readonly CaseResult[], lanes: readonly PolicyMatrixLab[]): string {
  return [
    ...header,
    `no policy: open after ${(baselineMs / 1000).toFixed(1)} s`,
    caseRowsHeader,
    ...cases.map((c) => formatCaseRow({ name: c.policyCase.name, convergedSeconds: c.settled.convergedMs / 1000, verdict: caseVerdictWords(c) })),
    '',
    ...cases.map((c) => caseSection(c, lanes)),
  ].join('\n');
}

/** One case: where it comes from, its lane, the policies as applied, how it settled, the verdict, the implementation-defined cells, the matrices. */
function caseSection(result: CaseResult, lanes: readonly PolicyMatrixLab[]): string {
  const { policyCase, policies, settled, conformance } = result;
  const matrix = lanes[result.lane]!;
  return [
    `=== ${policyCase.name} — ${policyCase.source}`,
    ...(lanes.length > 1 ? [`lane ${result.lane + 1} of ${lanes.length} (namespaces ${matrixNamespaces.map((short) => matrix.names.namespace(short)).join(', ')})`] : []),
    `policies: ${JSON.stringify(policies.map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, spec: p.spec })))}`,
    `settled: ${settled.how}, ${(settled.convergedMs / 1000).toFixed(1)} s after apply`,
    `verdict: ${caseVerdictWords(result, 40)}`,
    ...(result.traced ? [`traced: ${result.traced.cell} again, ${result.traced.observation.outcome.kind}: ${result.traced.observation.detail ?? 'no trace'}`] : []),
    ...(conformance && conformance.refusedNotDropped.length > 0 ? [`refused rather than dropped (connected with no policy): ${conformance.refusedNotDropped.length} cells`] : []),
    `left to implementations (shown, not judged): ${implementationDefined(settled.run.cells, matrix)}`,
    conformance?.text ?? '',
  ].join('\n');
}

/** The pod to itself, its own node and the other node: which of those cells did not connect. */
function implementationDefined(cells: ObservedMatrix, matrix: PolicyMatrixLab): string {
  const closed: Record<'self' | 'own node' | 'other node', string[]> = { self: [], 'own node': [], 'other node': [] };
  const nodeRows = matrix.shape.rows.filter((row) => !matrix.shape.modelPod.has(row));
  for (const column of matrix.shape.columns) {
    for (const at of matrix.shape.at) {
      for (const row of [column, ...nodeRows]) {
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
