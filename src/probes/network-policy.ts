import type { StartedEnvironment } from '../environment/started-environment.ts';
import { kindLabOf, type Cni, type KindLab } from '../environment/kind/index.ts';
import { labObjectName, runLabel, scenarioLabel } from '../lab/names.ts';
import { formatOutcome, type Outcome } from '../outcome/outcome.ts';
import { cellKey, compareTable, reachOf, type ObservedCell, type Reach, type TruthTable } from '../verdict/truth-table.ts';
import { podManifest, podWorkload, waitPodReady } from '../workloads/k8s-pod.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { checked } from './check.ts';
import { runNpProbe } from './np-probe.ts';
import type { Probe } from './probe.ts';

/** Every matrix pod serves on this port (np-serve) and probes from itself (np-probe). */
export const policyPort = 8080;
/** The label the policies select the server pod by. */
export const targetLabel = { 'netproof.policy': 'target' } as const;
/** The label the allow policy admits. */
export const clientLabel = { role: 'client' } as const;

/** The pods of the matrix: workload names of the run's namespace, and one more pod in a second namespace. */
export interface PolicyMatrix {
  /** Selected by the policies: it must carry `targetLabel`. */
  readonly server: string;
  /** Carries role=client: the allow policy admits it. */
  readonly allowed: string;
  /** No label: the allow policy does not admit it. */
  readonly other: string;
  /** A hostNetwork pod: the node itself as a client. */
  readonly node: string;
  /** Name of the pod made in the second namespace, labelled role=client like `allowed`. */
  readonly peer: string;
}

type Phase = 'no policy' | 'deny ingress' | 'deny + allow role=client';

/**
 * The article's words as an expectation per CNI: a NetworkPolicy is enforced by
 * CNIs with policy support (Calico, Cilium; kube-router and upstream kindnet
 * document it too) and ignored by Flannel (and the lab's own kindnetd, which has none).
 */
export const enforcesPolicy: Readonly<Record<Cni | 'calico' | 'cilium', boolean>> = { kindnet: false, flannel: false, 'kube-router': true, calico: true, cilium: true };

/**
 * K18 as a matrix in the Kubernetes netpol e2e style: every client pod (two
 * namespaces) probes every server pod, with no policy, with a policy denying
 * all ingress to the server, then with one more allowing pods labelled
 * role=client of the server's namespace. The observed tables are compared with
 * what the policies mean; the result says whether the CNI enforced them.
 * A pod reaching itself and the node reaching the pod under the deny policy are
 * reported as findings: the API leaves them to the CNI.
 */
export function networkPolicyMatrix(matrix: PolicyMatrix): Probe {
  const describe = `NetworkPolicy truth table: deny ingress to ${matrix.server}, then allow role=client`;
  return {
    describe,
    run: (_source, env) =>
      checked(describe, async (check) => {
        const lab = kindLabOf(env);
        const peer = await startPeer(env, lab, matrix.peer);
        const pods = { [matrix.server]: env.workloads[matrix.server], [matrix.allowed]: env.workloads[matrix.allowed], [matrix.other]: env.workloads[matrix.other], [matrix.peer]: peer };
        const servers = Object.keys(pods);
        const clients = [...servers, matrix.node];
        const workload = (name: string) => check.need(name === matrix.peer ? peer : env.workloads[name], `workload ${name}`);
        const lines: string[] = [];
        const findings: string[] = [];
        const problems: string[] = [];
        const rejections: string[] = [];
        let enforced = true;
        let ignored = true;
        const baseline = new Map<string, ObservedCell>();
        const probe = async (client: string, server: string, timeoutSeconds: number) => {
          const target = check.need(workload(server).addresses.pod, `the pod IP of ${server}`);
          return runNpProbe(workload(client), ['http', `http://${target}:${policyPort}/`], timeoutSeconds, `${client} → ${server} http://${target}:${policyPort}/`, { host: target, port: policyPort });
        };
        for (const phase of ['no policy', 'deny ingress', 'deny + allow role=client'] as Phase[]) {
          await applyPhase(lab, phase, matrix);
          lines.push(`— ${phase} — ${await settle(phase, (client) => probe(client, matrix.server, 1), matrix)}`);
          const observed = new Map<string, ObservedCell>();
          for (const client of clients) {
            for (const server of servers) {
              const seen = await probe(client, server, 2);
              for (const result of seen.evidence) await check.record(result);
              // np-serve names itself in each answer: a cell that connects says which pod answered.
              if (seen.outcome.kind === 'http-status' && seen.answeredBy && !seen.answeredBy.endsWith(`-${server}`)) {
                problems.push(`${phase}: ${client}→${server} was answered by ${seen.answeredBy}`);
              }
              const cell = { outcome: seen.outcome, answeredBy: seen.answeredBy, evidence: seen.evidence };
              if (phase === 'no policy') baseline.set(cellKey(client, server), cell);
              observed.set(cellKey(client, server), asFilterVerdict(cellKey(client, server), cell, baseline.get(cellKey(client, server)), rejections));
            }
          }
          // Cells the policy API defines; self and node→pod are findings, never the verdict.
          const defined = (client: string, server: string) => client !== server && client !== matrix.node;
          const meant = expectedTable(phase, matrix, clients, servers);
          const open: TruthTable = { rows: clients, columns: servers, expected: new Map([...meant.expected].map(([k]) => [k, 'connects' as Reach])) };
          const mask = (table: TruthTable): TruthTable => ({ ...table, expected: new Map([...table.expected].filter(([k]) => defined(...(k.split('→') as [string, string])))) });
          const definedCells = new Map([...observed].filter(([k]) => defined(...(k.split('→') as [string, string]))));
          const asMeant = compareTable(mask(meant), definedCells);
          const asOpen = compareTable(mask(open), definedCells);
          problems.push(...asMeant.inconclusive.map((cell) => `${phase}: ${cell}`));
          if (phase !== 'no policy') {
            enforced &&= asMeant.matches;
            ignored &&= asOpen.matches;
          } else if (!asOpen.matches) problems.push(...asOpen.differences.map((cell) => `no policy: ${cell} (the baseline must connect)`));
          lines.push(compareTable(mask(meant), observed).text);
          if (phase === 'deny ingress') {
            for (const client of [matrix.server, matrix.node]) {
              const cell = observed.get(cellKey(client, matrix.server))!;
              findings.push(`${client === matrix.server ? 'the pod reaching itself' : 'its node (hostNetwork) reaching it'} under deny: ${formatOutcome(cell.outcome)} (${cell.reach ?? reachOf(cell.outcome)})`);
            }
          }
        }
        await applyPhase(lab, 'no policy', matrix);
        if (rejections.length > 0) findings.push(`refused, not dropped (the filter rejects; the same cell connected with no policy): ${rejections.join(', ')}`);
        const detail = [...lines, 'findings (the API leaves these to the CNI):', ...findings.map((f) => `  ${f}`)].join('\n');
        if (problems.length > 0) return { outcome: { kind: 'check-failed', reason: `cells that do not read as a policy's effect: ${problems.join('; ')}` }, detail };
        const cni = lab.cluster.cni?.cni ?? (lab.facts.cni.split(' ')[0] as Cni);
        const observedWords = enforced ? 'enforced' : ignored ? 'ignored' : 'partly enforced';
        const articleSays = enforcesPolicy[cni] ? 'enforced' : 'ignored';
        return {
          outcome: { kind: 'fact', holds: observedWords === articleSays, observed: `${observedWords} by ${cni} (the article: ${articleSays})` },
          detail: `${detail}\n${findings.length} findings; policy ${observedWords}`,
        };
      }),
  };
}

/**
 * A refusal is no evidence of a policy on its own (nothing may listen), but
 * where the same cell connected with no policy, the server still listens: the
 * refusal is the policy filter rejecting (kube-router's REJECT), so the cell is
 * blocked, and the rejection is reported.
 */
function asFilterVerdict(key: string, cell: ObservedCell, baseline: ObservedCell | undefined, rejections: string[]): ObservedCell {
  if (cell.outcome.kind !== 'refused' || !baseline || reachOf(baseline.outcome) !== 'connects') return cell;
  rejections.push(key);
  return { ...cell, reach: 'blocked' };
}

/**
 * Policy agents program rules asynchronously: polls the `other` client against
 * the server (1 s probes, at most 30 s) until it reads as the phase means, so
 * the matrix is probed once the CNI has acted; says how long that took, or that
 * nothing changed (a CNI that ignores policies).
 */
async function settle(phase: Phase, probe: (client: string) => Promise<{ outcome: Outcome }>, matrix: PolicyMatrix): Promise<string> {
  const want = phase === 'no policy' ? 'connects' : 'blocked';
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    const outcome = (await probe(matrix.other)).outcome;
    const reach = outcome.kind === 'refused' ? 'blocked' : reachOf(outcome);
    if (reach === want) return `${matrix.other}→${matrix.server} ${want} after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return `${matrix.other}→${matrix.server} still not ${want} after 30 s`;
}

/** What the policies of a phase mean for each cell (every pair probed; self and node cells as the spec's intent, but masked). */
function expectedTable(phase: Phase, matrix: PolicyMatrix, clients: readonly string[], servers: readonly string[]): TruthTable {
  const expected = new Map<string, Reach>();
  for (const client of clients) {
    for (const server of servers) {
      const isolated = phase !== 'no policy' && server === matrix.server;
      const admitted = phase === 'deny + allow role=client' && client === matrix.allowed;
      expected.set(cellKey(client, server), isolated && !admitted ? 'blocked' : 'connects');
    }
  }
  return { rows: clients, columns: servers, expected };
}

const denyName = labObjectName('deny-ingress');
const allowName = labObjectName('allow-role-client');

/**
 * Brings the policies to the phase's set, through `kubectl apply` of the JSON
 * as written: client-node's generic object API serializes by its model's field
 * names (`_from`), and would silently drop an ingress rule's `from`, turning
 * "allow role=client" into "allow everyone".
 */
async function applyPhase(lab: KindLab, phase: Phase, matrix: PolicyMatrix): Promise<void> {
  const policy = (name: string, ingress?: unknown[]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: lab.namespace },
    spec: { podSelector: { matchLabels: targetLabel }, policyTypes: ['Ingress'], ...(ingress ? { ingress } : {}) },
  });
  const wanted = phase === 'no policy' ? [] : phase === 'deny ingress' ? [policy(denyName)] : [policy(denyName), policy(allowName, [{ from: [{ podSelector: { matchLabels: clientLabel } }] }])];
  const unwanted = [denyName, allowName].filter((name) => !wanted.some((p) => p.metadata.name === name));
  if (unwanted.length > 0) await lab.cluster.kubectlOrThrow(['-n', lab.namespace, 'delete', 'networkpolicy', '--ignore-not-found', ...unwanted]);
  if (wanted.length > 0) await lab.cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: wanted }) });
}

/** The pod in the second namespace (labelled for the run, so a sweep finds both), removed at the run's end. */
async function startPeer(env: StartedEnvironment, lab: KindLab, name: string): Promise<StartedWorkload> {
  const namespace = `${lab.namespace}-b`;
  await lab.client.core.createNamespace({ body: { metadata: { name: namespace, labels: { [runLabel]: env.run.id, [scenarioLabel]: env.run.scenario } } } });
  env.run.defer(`delete namespace ${namespace}`, () => lab.client.deleteNamespace(namespace));
  const there = { ...lab, namespace };
  const options = { containers: [{ name: 'peer', image: 'toolbox' as const, command: ['np-serve', String(policyPort)] }], labels: clientLabel, node: 'worker2' };
  await lab.client.core.createNamespacedPod({ namespace, body: podManifest(name, options, { ...env, kind: there }) });
  return podWorkload(there, await waitPodReady(there, name), name, `np-serve pod in ${namespace}, role=client`);
}
