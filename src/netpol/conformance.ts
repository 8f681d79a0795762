/**
 * One case's conformance: the model's expectation per cell, the observed
 * matrix, the differing cells (printed `.`/`X` as the netpol e2e prints
 * them), and a verdict. Cells the spec leaves to implementations (a pod to
 * itself, a node to a pod) are shown and never judged.
 */
import type { Outcome } from '../outcome/outcome.ts';
import { cellKey, compareTable, reachOf, type ObservedCell, type Reach, type TruthTable } from '../verdict/truth-table.ts';
import { decide, type ClusterModel } from './model.ts';
import type { NetworkPolicy, Protocol } from './policy-types.ts';

/** How one probe ended, as the e2e types it. */
export type ProbeType = 'connected' | 'refused' | 'timeout' | 'other';

export interface ProbeCell {
  readonly outcome: Outcome;
  /** Which lab server answered (np-serve names itself after the run and its pod). */
  readonly answeredBy?: string;
}

export const probeTypeOf = (outcome: Outcome): ProbeType =>
  outcome.kind === 'success' || outcome.kind === 'http-status' ? 'connected' : outcome.kind === 'refused' ? 'refused' : outcome.kind === 'timeout' ? 'timeout' : 'other';

/** One port/protocol of the matrix. */
export interface PortProtocol {
  readonly port: number;
  readonly protocol: Protocol;
}

export const probeKey = (from: string, to: string, at: PortProtocol) => `${cellKey(from, to)} ${at.port}/${at.protocol}`;

/** The observed matrix: every probe by `probeKey`. */
export type ObservedMatrix = ReadonlyMap<string, ProbeCell>;

/** Rows (probing pods, then nodes), columns (pods), and which pods are the model's (by row name → model pod name). */
export interface MatrixShape {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly at: readonly PortProtocol[];
  /** Matrix pod name (x/a) → the model pod's name; a row that is not here (a node) is never judged. */
  readonly modelPod: ReadonlyMap<string, string>;
  /** The identity np-serve in a column's pod answers with. */
  readonly identity: (column: string) => string;
}

export type CaseVerdict =
  | { readonly kind: 'conformant' }
  | { readonly kind: 'not enforced'; readonly differing: readonly string[] }
  | { readonly kind: 'partly'; readonly differing: readonly string[] }
  | { readonly kind: 'inconclusive'; readonly cells: readonly string[] };

export interface CaseConformance {
  readonly verdict: CaseVerdict;
  /** Per port/protocol: expected, observed and the comparison, e2e style. */
  readonly text: string;
  /** Cells the filter refused rather than dropped (they connected with no policy). */
  readonly refusedNotDropped: readonly string[];
}

const judged = (shape: MatrixShape, row: string, column: string) => shape.modelPod.has(row) && row !== column;

/** The model's expectation for every judged cell of one port/protocol. */
export function expectedTable(shape: MatrixShape, cluster: ClusterModel, policies: readonly NetworkPolicy[], at: PortProtocol): TruthTable {
  const podOf = (name: string) => cluster.pods.find((p) => p.name === shape.modelPod.get(name))!;
  const expected = new Map<string, Reach>();
  for (const row of shape.rows) {
    for (const column of shape.columns) {
      if (!judged(shape, row, column)) continue;
      const allowed = decide(cluster, policies, { from: { pod: podOf(row) }, to: { pod: podOf(column) }, port: at.port, protocol: at.protocol }).allowed;
      expected.set(cellKey(row, column), allowed ? 'connects' : 'blocked');
    }
  }
  return { rows: shape.rows, columns: shape.columns, expected };
}

/**
 * A probe as reach: connected (by the right pod) connects; timeout or no route
 * is blocked; a refusal where the same cell connected with no policy is the
 * filter rejecting (blocked); a connection answered by another pod, or
 * anything else, says nothing.
 */
function observedCell(shape: MatrixShape, column: string, cell: ProbeCell | undefined, baseline: ProbeCell | undefined): ObservedCell | undefined {
  if (!cell) return undefined;
  const type = probeTypeOf(cell.outcome);
  if (type === 'connected' && cell.answeredBy !== shape.identity(column)) return { outcome: { kind: 'other', message: `answered by ${cell.answeredBy ?? 'a server that did not name itself'}` }, evidence: [] };
  const rejected = type === 'refused' && baseline !== undefined && probeTypeOf(baseline.outcome) === 'connected';
  return { outcome: cell.outcome, answeredBy: cell.answeredBy, evidence: [], ...(rejected ? { reach: 'blocked' as const } : {}) };
}

/** Compares one case's observed matrix with the model's expectation; `baseline` is the matrix with no policy. */
export function judgeCase(shape: MatrixShape, cluster: ClusterModel, policies: readonly NetworkPolicy[], observed: ObservedMatrix, baseline: ObservedMatrix): CaseConformance {
  const differing: string[] = [];
  const inconclusive: string[] = [];
  const refusedNotDropped: string[] = [];
  const texts: string[] = [];
  let allOpen = true;
  for (const at of shape.at) {
    const table = expectedTable(shape, cluster, policies, at);
    const cells = new Map<string, ObservedCell>();
    for (const row of shape.rows) {
      for (const column of shape.columns) {
        const key = probeKey(row, column, at);
        const cell = observedCell(shape, column, observed.get(key), baseline.get(key));
        if (!cell) continue;
        cells.set(cellKey(row, column), cell);
        if (!judged(shape, row, column)) continue;
        if (cell.reach === 'blocked') refusedNotDropped.push(key);
        if ((cell.reach ?? reachOf(cell.outcome)) !== 'connects') allOpen = false;
      }
    }
    const compared = compareTable(table, cells);
    const label = `${at.port}/${at.protocol}`;
    differing.push(...compared.differences.map((d) => `${label} ${d}`));
    inconclusive.push(...compared.inconclusive.map((d) => `${label} ${d}`));
    texts.push(`— ${label} —\n${compared.text}`);
  }
  const verdict: CaseVerdict =
    inconclusive.length > 0 ? { kind: 'inconclusive', cells: inconclusive } : differing.length === 0 ? { kind: 'conformant' } : allOpen ? { kind: 'not enforced', differing } : { kind: 'partly', differing };
  return { verdict, text: texts.join('\n'), refusedNotDropped };
}

/** A comparable signature of the judged cells (for telling when the observed matrix stops changing). */
export function matrixSignature(observed: ObservedMatrix): string {
  return [...observed].map(([key, cell]) => `${key}=${probeTypeOf(cell.outcome)}`).sort().join(',');
}

/** One line per verdict: `conformant`, `not enforced (36 cells)`, `partly: 80/TCP x/b→x/a: …`. */
export function formatVerdict(verdict: CaseVerdict, limit = 6): string {
  const list = (cells: readonly string[]) => `${cells.slice(0, limit).join('; ')}${cells.length > limit ? `; … ${cells.length - limit} more` : ''}`;
  switch (verdict.kind) {
    case 'conformant':
      return 'conformant';
    case 'not enforced':
      return `not enforced (${verdict.differing.length} cells differ, every cell open)`;
    case 'partly':
      return `partly (${verdict.differing.length} cells differ): ${list(verdict.differing)}`;
    case 'inconclusive':
      return `inconclusive (${verdict.cells.length} cells): ${list(verdict.cells)}`;
  }
}
