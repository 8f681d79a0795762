/**
 * The matrix's set-up on a kind lab, in one place (so it can move into the
 * runner's set-up step once the runner has one): namespaces x, y, z of the
 * run, pods a, b, c in each serving 80 and 81 over TCP and UDP, and the
 * applying and removing of a case's policies. A run may have several such
 * matrices, its lanes (cases tried side by side, as the netpol e2e's
 * parallel tests each have their own namespaces): lane 2's are x2, y2, z2
 * with pods x2-a … z2-c. The node clients (a hostNetwork
 * pod on each worker) are the scenario's declared workloads `node-<worker>`. Everything carries the run's label and goes
 * with the run's teardown (or a sweep).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { kindLabOf, type KindLab } from '../environment/kind/index.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { runLabel, runResourceName, scenarioLabel } from '../lab/names.ts';
import { podManifest, podWorkload, waitPodReady } from '../workloads/k8s-pod.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import type { MatrixShape, PortProtocol } from './conformance.ts';
import { laneSuffix, matrixContainerPorts, matrixModel, matrixPodName, matrixPodNames, matrixPorts, namespaceKey, podKey, type MatrixNames, type MatrixPodName } from './matrix.ts';
import type { ClusterModel } from './model.ts';
import type { NetworkPolicy, Protocol } from './policy-types.ts';
import type { MatrixTarget } from './probe-matrix.ts';
import type { Observation } from '../probes/probe.ts';
import { cellTracer } from './cell-trace.ts';

/** The workers pods are spread over (pod i on workers[i % 2]); each has a node client, the scenario's workload `node-<worker>`. */
export const matrixWorkers = ['worker', 'worker2'] as const;
const workers = matrixWorkers;

export interface PolicyMatrixLab {
  readonly names: MatrixNames;
  readonly model: ClusterModel;
  readonly shape: MatrixShape;
  /** Probing rows: each matrix pod, then `node:worker`, `node:worker2`. */
  readonly sources: ReadonlyMap<string, StartedWorkload>;
  readonly targets: readonly MatrixTarget[];
  /** Which node each pod runs on (for reading the node rows: own node or another). */
  readonly nodeOf: ReadonlyMap<string, string>;
  apply(policies: readonly NetworkPolicy[]): Promise<void>;
  remove(policies: readonly NetworkPolicy[]): Promise<void>;
  /**
   * Probes one cell again with the kernel's trace on in the namespaces of the
   * nodes it crosses (packet-trace.ts): which rule stopped it. Only where the
   * CNI filters with netfilter; missing otherwise (or in a simulated lab).
   */
  readonly traceCell?: (row: string, target: MatrixTarget, at: PortProtocol) => Promise<Observation>;
  /** Why a blocked cell is not traced here (the CNI drops outside netfilter, or does not filter), for the report. */
  readonly untracedBecause?: string;
}

/** The protocols probed: TCP and UDP (SCTP only where the kernel has it; np-serve does not serve it yet). */
export const probedProtocols: readonly Protocol[] = ['TCP', 'UDP'];

export async function startPolicyMatrix(env: StartedEnvironment, lane = 1): Promise<PolicyMatrixLab> {
  const lab = kindLabOf(env);
  const suffix = laneSuffix(lane);
  const namespace = (short: string) => `${lab.namespace}-${short}${suffix}`;
  const podName = (pod: MatrixPodName) => matrixPodName(pod, suffix);
  // Made side by side and deleted side by side: each deletion waits for its pods to go (18 s one after another), unless a batch takes the wait over (LabRun.linger).
  await Promise.all(
    ['x', 'y', 'z'].map((short) =>
      env.run.makeInGroup('policy namespaces', `${short}${suffix}`, async () => {
        const name = namespace(short);
        await lab.client.core.createNamespace({ body: { metadata: { name, labels: { [runLabel]: env.run.id, [scenarioLabel]: env.run.scenario, [namespaceKey]: name } } } });
        env.run.defer(`delete namespace ${name}`, async () => env.run.linger(`namespace ${name} to go`, (await lab.client.startDeletingNamespace(name)).gone));
      }),
    ),
  );
  const nodeOf = new Map<string, string>();
  const started = await Promise.all([
    ...matrixPodNames.map(async (pod, i) => {
      nodeOf.set(pod, workers[i % workers.length]!);
      return [pod, await startPod(env, lab, namespace(pod[0]!), podName(pod), { [podKey]: pod[2]! }, workers[i % workers.length]!)] as const;
    }),
  ]);
  const nodeClients = workers.map((node) => [`node:${node}`, env.workloads[`node-${node}`]!] as const);
  if (nodeClients.some(([, workload]) => !workload)) throw new Error(`the scenario declares no node clients (${workers.map((w) => `node-${w}`).join(', ')})`);
  const sources = new Map<string, StartedWorkload>([...started, ...nodeClients]);
  const ips = new Map(matrixPodNames.map((pod) => [pod, sources.get(pod)!.addresses.pod ?? '']));
  const names: MatrixNames = { namespace, podName, ipOf: (pod: MatrixPodName) => ips.get(pod)!, podCidr: lab.facts.podCidr };
  const at: PortProtocol[] = probedProtocols.flatMap((protocol) => matrixPorts.map((port) => ({ port, protocol })));
  const shape: MatrixShape = {
    rows: [...sources.keys()],
    columns: matrixPodNames,
    at,
    modelPod: new Map(matrixPodNames.map((pod) => [pod, podName(pod)])),
    identity: (column) => runResourceName(env.run.id, podName(column as MatrixPodName)),
  };
  const list = (policies: readonly NetworkPolicy[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: policies });
  return {
    names,
    model: matrixModel(names, probedProtocols),
    shape,
    sources,
    targets: matrixPodNames.map((pod) => ({ name: pod, ip: names.ipOf(pod) })),
    nodeOf,
    ...cellTracer(env, lab, sources, nodeOf),
    // kubectl apply of the JSON as written: client-node's object API serializes its model's field names (`_from`) and would drop a rule's `from`.
    apply: async (policies) => void (await lab.cluster.kubectlOrThrow(['apply', '-f', '-'], { input: list(policies) })),
    remove: async (policies) => void (await lab.cluster.kubectlOrThrow(['delete', '--ignore-not-found', '-f', '-'], { input: list(policies) })),
  };
}

/** A toolbox pod pinned to a node: np-serve on 80 and 81, TCP and UDP, its ports declared with their names. */
async function startPod(env: StartedEnvironment, lab: KindLab, namespace: string, name: string, labels: Record<string, string>, node: string): Promise<StartedWorkload> {
  const there: KindLab = { ...lab, namespace };
  const command = ['np-serve', ...matrixPorts.map(String), '--udp'];
  const manifest: V1Pod = podManifest(name, { containers: [{ name: 'probe', image: 'toolbox', command }], labels, node }, { ...env, kind: there });
  manifest.spec!.containers[0]!.ports = matrixContainerPorts(probedProtocols);
  await lab.client.core.createNamespacedPod({ namespace, body: manifest });
  return podWorkload(there, await waitPodReady(there, name), `${namespace}/${name}`, `np-serve :80,:81 tcp+udp on ${node}`);
}
