import { UsageError } from '../errors.ts';
import { withoutRunIds } from '../lab/names.ts';
import { formatOutcome } from '../outcome/outcome.ts';
import type { AttemptResult, ClaimResult, ScenarioResult } from '../report/result.ts';
import type { VerdictStatus } from '../verdict/verdict.ts';
import { changesBetween, changeText, engineSideOf, type EngineSide } from './engine-changes.ts';
import type { ResultColumn } from './read-results.ts';

export interface ComparedCell {
  readonly verdict: VerdictStatus;
  /** The first attempt's outcome, as reports print it. */
  readonly outcome: string;
  /** Every attempt's outcome, in order, each labelled with its half or role where it has one (`[contrast] refused`). */
  readonly attempts: readonly string[];
  /** Which attempt (or half) made the verdict refuted or inconclusive, as the results say. */
  readonly because?: string;
  readonly scenario: string;
}

export interface ComparedRow {
  readonly claim: string;
  readonly says: string;
  /**
   * Whether the environments disagree: a different verdict, a different outcome
   * of any attempt, or a claim one of them did not run although it ran that kind
   * of environment (a Kubernetes column holds no Docker claim: no difference).
   */
  readonly differs: boolean;
  readonly cells: Readonly<Record<string, ComparedCell | undefined>>;
  /** Where the row differs across Docker engines: the known changes between them that explain it (engine-changes.ts), each a line. */
  readonly engineChanges?: readonly string[];
}

export interface Comparison {
  readonly columns: readonly string[];
  /** Differing rows first, then by claim id (D before K, numerically). */
  readonly rows: readonly ComparedRow[];
  /** Per column: what it ran on (engine, cluster, CNI and where it came from), its scenarios and stopped packets. */
  readonly fingerprints: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The letters Kubernetes draws generated name suffixes from (no vowels, no 0, 1, 3). */
const generated = '[bcdfghjklmnpqrstvwxz2456789]';
/** A Deployment's pod: <deployment>-<pod-template-hash>-<5 letters>. */
const deploymentPod = new RegExp(`\\b([a-z0-9][a-z0-9-]*?)-${generated}{6,10}-${generated}{5}\\b`, 'g');

/**
 * What makes two outcomes the same across environments: the words, without
 * what differs on every run anyway: run ids in server names, the generated
 * part of a Deployment pod's name, how many of N requests each pod took,
 * durations, addresses, the cluster's name in its nodes' names (each CNI
 * has a cluster of its own), and what the kernel or the engine names or
 * counts afresh each run: veths and their peers' ifindex, bridges `br-<id>`, object ids, the run's
 * links `np<run>…`, packet and byte counters.
 */
export const outcomeShape = (outcome: string) =>
  withoutRunIds(outcome)
    .replace(/\bveth[0-9a-f]{7}\b/g, 'veth…')
    .replace(/@if\d+\b/g, '@if…')
    .replace(/\bbr-[0-9a-f]{12}\b/g, 'br-…')
    .replace(/\b[0-9a-f]{64}\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12}\b/g, '<id>')
    .replace(/\bnp[0-9a-f]{8}([a-z0-9]{0,3})\b/g, 'np…$1')
    .replace(/\b\d+ (packets?|bytes)\b/g, 'n $1')
    .replace(/\band \d+ from\b/g, 'and n from')
    .replace(/\bpkts \d+ → \d+/g, 'pkts n → n')
    .replace(/(^|[\s"])\d+ \d+ (DNAT|ACCEPT|DROP)\b/g, '$1n n $2')
    .replace(deploymentPod, '$1-…')
    .replace(/×\d+/g, '×n')
    .replace(/\bnetproof(?:-[a-z0-9]+-\d+w)?-(control-plane|worker\d*)\b/g, '$1')
    .replace(/\b\d+\.\d+\.\d+\.\d+(\/\d+)?\b/g, '<ip>')
    .replace(/\d+ms\b/g, '…ms');

/** Column names must tell the columns apart: two alike is a usage error saying how to name them. */
export function distinctColumnNames(names: readonly string[]): void {
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new UsageError(`compare: two columns are named ${[...new Set(twice)].join(', ')} (${names.join(', ')}): name each NAME=DIR, e.g. ${twice[0]}-a=DIR ${twice[0]}-b=DIR`);
}

/** Where a result ran: a kind cluster (its fingerprint names the cluster) or a Docker engine. */
const environmentOf = (result: ScenarioResult): 'kind' | 'docker' => ('cluster' in result.environment ? 'kind' : 'docker');

export function compareColumns(columns: readonly ResultColumn[]): Comparison {
  const names = columns.map((c) => c.name);
  distinctColumnNames(names);
  const environments = new Map(columns.map((c) => [c.name, new Set(c.results.map(environmentOf))]));
  const rows = new Map<string, { says: string; environment: 'kind' | 'docker'; cells: Record<string, ComparedCell> }>();
  /** Each column's engine, per scenario, as its results' fingerprint says (a Docker host's engine where the scenario ran on those). */
  const engineOf = new Map<string, EngineSide>();
  for (const column of columns) {
    for (const result of column.results) {
      engineOf.set(`${column.name}\n${result.scenario}`, engineSideOf(result.environment));
      for (const claim of result.claims) {
        const row = rows.get(claim.id) ?? { says: claim.says, environment: environmentOf(result), cells: {} };
        row.cells[column.name] = cellOf(claim, result.scenario);
        rows.set(claim.id, row);
      }
    }
  }
  const compared = [...rows].map(([claim, row]): ComparedRow => {
    const cells = names.filter((n) => row.cells[n] || environments.get(n)!.has(row.environment)).map((n) => row.cells[n]);
    const differs = cells.some((c) => !c) || new Set(cells.map((c) => [c!.verdict, ...c!.attempts].map(outcomeShape).join('\n'))).size > 1;
    const sides = names.flatMap((n) => (row.cells[n] ? [engineOf.get(`${n}\n${row.cells[n]!.scenario}`)!] : []));
    const changes = differs ? changesBetween(claim, sides).map(changeText) : [];
    return { claim, says: row.says, differs, cells: row.cells, ...(changes.length > 0 ? { engineChanges: changes } : {}) };
  });
  compared.sort((a, b) => Number(b.differs) - Number(a.differs) || claimOrder(a.claim, b.claim));
  return { columns: names, rows: compared, fingerprints: Object.fromEntries(columns.map((c) => [c.name, fingerprintOf(c)])) };
}

const cellOf = (claim: ClaimResult, scenario: string): ComparedCell => ({
  verdict: claim.verdict,
  outcome: formatOutcome(claim.outcome),
  attempts: claim.attempts.length > 0 ? claim.attempts.map(attemptText) : [formatOutcome(claim.outcome)],
  ...(claim.because ? { because: claim.because } : {}),
  scenario,
});

/** The half (`[on worker]`), role (`[contrast]`) and another source (`from outside-routed:`) before the outcome, so an attempt that is not the article's own reads as such. */
const attemptText = (attempt: AttemptResult): string =>
  `${attempt.half ? `[${attempt.half}] ` : ''}${attempt.role ? `[${attempt.role}] ` : ''}${attempt.from ? `from ${attempt.from}: ` : ''}${formatOutcome(attempt.outcome)}`;

const claimOrder = (a: string, b: string) => a[0]!.localeCompare(b[0]!) || Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b);

/** The environment keys that tell columns apart; each value once, or every distinct value where scenarios saw different ones. */
const fingerprintKeys = ['engine', 'firewallBackend', 'kind', 'kubernetes', 'cni', 'cniSource', 'kubeProxyMode', 'podCidr', 'bridgeSubnet'];

function fingerprintOf(column: ResultColumn): Record<string, string> {
  const out: Record<string, string> = { results: column.source, scenarios: column.results.map((r) => r.scenario).join(', ') };
  for (const key of fingerprintKeys) {
    const values = [...new Set(column.results.map((r) => r.environment[key]).filter((v): v is string => Boolean(v)))];
    if (values.length > 0) out[key] = values.join(' | ');
  }
  out.packetsStopped = String(column.results.reduce((sum, r) => sum + r.traffic.packetsStopped, 0));
  out.runs = [...new Set(column.results.map((r) => r.startedAt.slice(0, 10)))].join(', ');
  return out;
}
