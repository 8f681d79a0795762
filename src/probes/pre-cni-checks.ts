/**
 * What a cluster's creation saw before and after its CNI (the record
 * pre-cni.ts keeps with the cluster): read by a run, on the cluster it runs
 * on, and cited with when it was observed.
 */
import { kindLabOf, noNetworkEvent, readPreCniRecord, type ClusterState, type PreCniRecord } from '../environment/kind/index.ts';
import { CheckFailed, checkFact, type FactFound } from './check.ts';
import type { Probe } from './probe.ts';

const short = (record: PreCniRecord, node: string) => node.replace(`${record.cluster}-`, '');

const readiness = (record: PreCniRecord, state: ClusterState) =>
  state.nodes.map((n) => `${short(record, n.node)} Ready=${n.ready}${n.ready === 'True' ? '' : ` (${n.reason}: ${n.message})`}`).join('; ');

const listing = (record: PreCniRecord, state: ClusterState) =>
  state.cniDir.map((d) => `${short(record, d.node)}: ${d.files.filter((f) => /\.conf(list)?$/.test(f)).join(', ') || `no config (${d.files.join(', ') || 'empty'})`}`).join('; ');

const podState = (record: PreCniRecord, state: ClusterState) =>
  `pod ${state.pod.name} on ${short(record, state.pod.node)}: ${state.pod.phase}, ${state.pod.podIp ? `pod IP ${state.pod.podIp}` : 'no pod IP'}`;

const when = (record: PreCniRecord, state: ClusterState, moment: string) => `${moment} (${state.observedAt}, while ${record.cluster} was made, ${record.cni})`;

/** The kubelet says its network is not ready: the runtime's NetworkReady=false (the CNI's config missing). */
const networkNotReady = (message: string) => /NetworkReady=false|network plugin|cni plugin not initialized/i.test(message);

/**
 * Before the CNI: the kubelet holds every node NotReady for want of a network
 * plugin, and the pod it was given gets no network (no sandbox, no pod IP; its
 * events say why). A node Ready, or the pod given an IP, refutes "Kubernetes
 * does not implement the network itself". What says nothing either way (a node
 * NotReady for another reason, a pod the kubelet had not yet spoken of) leaves
 * it unjudged (check-failed), never refuted.
 */
export function beforeCniNoNetwork(record: PreCniRecord): FactFound {
  const { before } = record;
  const ready = before.nodes.filter((n) => n.ready === 'True');
  const podNetworked = Boolean(before.pod.podIp) || before.pod.phase === 'Running';
  if (ready.length === 0 && !podNetworked) {
    const otherwise = before.nodes.filter((n) => !networkNotReady(n.message));
    if (before.nodes.length === 0 || otherwise.length > 0) throw new CheckFailed(`the record shows no node held back by its network before the CNI (${readiness(record, before) || 'no nodes'})`);
    if (!before.pod.events.some(noNetworkEvent)) throw new CheckFailed(`the kubelet had not yet said why ${before.pod.name} waited (${podState(record, before)}; events: ${before.pod.events.join(' | ') || 'none'})`);
  }
  return {
    holds: ready.length === 0 && !podNetworked,
    observed: `${when(record, before, 'before the CNI')}: ${readiness(record, before)}; ${podState(record, before)}`,
    detail: `its events: ${before.pod.events.join(' | ') || 'none'}`,
  };
}

/** After the CNI (the contrast on the same cluster): every node Ready, a config file on each, and the same pod running with a pod IP. */
export function afterCniNetwork(record: PreCniRecord): FactFound {
  const { after } = record;
  if (!after) return { holds: false, observed: 'the record has no reads after the CNI' };
  const holds = after.nodes.every((n) => n.ready === 'True') && after.cniDir.every((d) => d.files.some((f) => /\.conf(list)?$/.test(f))) && after.pod.phase === 'Running' && Boolean(after.pod.podIp);
  return { holds, observed: `${when(record, after, 'with the CNI')}: ${readiness(record, after)}; ${listing(record, after)}; ${podState(record, after)}` };
}

/** /etc/cni/net.d on every node before the CNI (K16's contrast): holds when a config file was already there on every node. */
export function cniConfigBeforeCni(record: PreCniRecord): FactFound {
  const { before } = record;
  return { holds: before.cniDir.length > 0 && before.cniDir.every((d) => d.files.some((f) => /\.conf(list)?$/.test(f))), observed: `${when(record, before, 'before the CNI')}: ${listing(record, before)}` };
}

/** A fact judged on the cluster's record; a cluster without one (made before the lab kept it) cannot be judged. */
function fromPreCniRecord(describe: string, judge: (record: PreCniRecord) => FactFound): Probe {
  const connection = `kubectl -n kube-system get configmap netproof-pre-cni (${describe})`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const { result, record } = await readPreCniRecord(lab.cluster);
        await check.record(result);
        const found = check.need(record, `the cluster's record of its creation before the CNI (${lab.cluster.name} was made before netproof kept one: delete it with npm run cluster down -- --name ${lab.cluster.name} and run again)`);
        check.need(found.cluster === lab.cluster.name ? found : undefined, `a record of this cluster (it names ${found.cluster}, not ${lab.cluster.name})`);
        return judge(found);
      }),
  };
}

export const noPodNetworkBeforeCni = (): Probe => fromPreCniRecord("nodes' Ready condition and a pod pinned to worker, before the CNI", beforeCniNoNetwork);
export const podNetworkAfterCni = (): Probe => fromPreCniRecord('the same reads once the CNI was installed', afterCniNetwork);
export const cniConfigBeforeCniOnNodes = (): Probe => fromPreCniRecord('/etc/cni/net.d on every node, before the CNI', cniConfigBeforeCni);
