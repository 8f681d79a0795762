/**
 * What networking.k8s.io/v1 NetworkPolicies allow, computed from the spec
 * alone (no cluster, no I/O): the "expected" of every conformance case. The
 * rules follow the Kubernetes documentation's Network Policies page and the
 * API reference; test/unit/netpol-model.test.ts cites the sentence behind each.
 */
import { BlockList, isIPv6 } from 'node:net';
import type { IPBlock, LabelSelector, Labels, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyType, Protocol } from './policy-types.ts';

export interface ModelNamespace {
  readonly name: string;
  readonly labels: Labels;
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface ModelPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ip: string;
  readonly ports: readonly ContainerPort[];
}

export interface ClusterModel {
  readonly namespaces: readonly ModelNamespace[];
  readonly pods: readonly ModelPod[];
}

/** One end of a connection: a pod of the model, or an address outside it (only ipBlock peers can match it). */
export type Endpoint = { readonly pod: ModelPod } | { readonly ip: string };

export interface Traffic {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

/** One direction: not isolated (no policy applies), or isolated and allowed by the rules of these policies (none: denied). */
export type DirectionDecision = { readonly isolated: false } | { readonly isolated: true; readonly allowedBy: readonly string[] };

export interface Decision {
  readonly allowed: boolean;
  /** The source pod's egress side (not isolated when the source is no pod). */
  readonly egress: DirectionDecision;
  /** The destination pod's ingress side. */
  readonly ingress: DirectionDecision;
}

/** The label the control plane puts on every namespace, its value the name. */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/** A connection is allowed when the source's egress and the destination's ingress both allow it. */
export function decide(cluster: ClusterModel, policies: readonly NetworkPolicy[], traffic: Traffic): Decision {
  const egress = 'pod' in traffic.from ? direction(cluster, policies, 'Egress', traffic.from.pod, traffic.to, traffic) : notIsolated;
  const ingress = 'pod' in traffic.to ? direction(cluster, policies, 'Ingress', traffic.to.pod, traffic.from, traffic) : notIsolated;
  return { allowed: allows(egress) && allows(ingress), egress, ingress };
}

const notIsolated: DirectionDecision = { isolated: false };
const allows = (decision: DirectionDecision) => !decision.isolated || decision.allowedBy.length > 0;

/** policyTypes as the API server defaults them: Ingress always, Egress when the policy has egress rules. */
export function policyTypesOf(policy: NetworkPolicy): readonly PolicyType[] {
  return policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress && policy.spec.egress.length > 0 ? (['Egress'] as const) : [])];
}

/** The pod's side in one direction: which of the policies applying to it there have a rule admitting the traffic. */
function direction(cluster: ClusterModel, policies: readonly NetworkPolicy[], type: PolicyType, pod: ModelPod, peer: Endpoint, traffic: Traffic): DirectionDecision {
  const applying = policies.filter((p) => p.metadata.namespace === pod.namespace && selects(p.spec.podSelector, pod.labels) && policyTypesOf(p).includes(type));
  if (applying.length === 0) return notIsolated;
  const destination = type === 'Ingress' ? { pod } : peer;
  const allowedBy = applying
    .filter((policy) => {
      const rules = type === 'Ingress' ? (policy.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (policy.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      return rules.some((rule) => peersMatch(cluster, policy, rule.peers, peer) && portsMatch(rule.ports, destination, traffic));
    })
    .map((policy) => `${policy.metadata.namespace}/${policy.metadata.name}`);
  return { isolated: true, allowedBy };
}

/** A missing or empty peer list matches every peer; otherwise any one entry must (OR). */
function peersMatch(cluster: ClusterModel, policy: NetworkPolicy, peers: readonly NetworkPolicyPeer[] | undefined, endpoint: Endpoint): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => peerMatches(cluster, policy, peer, endpoint));
}

/**
 * One peer entry: an ipBlock matches by address (a pod too, by its IP);
 * podSelector alone means pods of the policy's namespace, namespaceSelector
 * alone every pod of the selected namespaces, both together (AND) the
 * selected pods within the selected namespaces.
 */
function peerMatches(cluster: ClusterModel, policy: NetworkPolicy, peer: NetworkPolicyPeer, endpoint: Endpoint): boolean {
  const ip = 'pod' in endpoint ? endpoint.pod.ip : endpoint.ip;
  if (peer.ipBlock) return inBlock(peer.ipBlock, ip);
  if (!('pod' in endpoint)) return false;
  const pod = endpoint.pod;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(cluster, pod.namespace)) : pod.namespace === policy.metadata.namespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

function namespaceLabels(cluster: ClusterModel, name: string): Labels {
  const labels = cluster.namespaces.find((n) => n.name === name)?.labels ?? {};
  return { ...labels, [namespaceNameLabel]: name };
}

/** A missing or empty port list matches every port; otherwise any one entry must. */
function portsMatch(ports: readonly NetworkPolicyPort[] | undefined, destination: Endpoint, traffic: Traffic): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((entry) => portMatches(entry, destination, traffic));
}

/**
 * One port entry: the protocol (TCP when unset) must match; no port means
 * every port of it; a number with endPort is an inclusive range; a name is
 * looked up among the destination pod's container ports (an address with no
 * pod has no named ports).
 */
function portMatches(entry: NetworkPolicyPort, destination: Endpoint, traffic: Traffic): boolean {
  if ((entry.protocol ?? 'TCP') !== traffic.protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') return entry.endPort !== undefined ? entry.port <= traffic.port && traffic.port <= entry.endPort : entry.port === traffic.port;
  if (!('pod' in destination)) return false;
  return destination.pod.ports.some((p) => p.name === entry.port && p.containerPort === traffic.port && p.protocol === traffic.protocol);
}

/** metav1.LabelSelector semantics: every matchLabels pair and every requirement must hold; `{}` selects all. */
export function selects(selector: LabelSelector, labels: Labels): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    pairs &&
    (selector.matchExpressions ?? []).every((req) => {
      const has = Object.hasOwn(labels, req.key);
      const values = req.values ?? [];
      switch (req.operator) {
        case 'In':
          return has && values.includes(labels[req.key]!);
        case 'NotIn':
          return !has || !values.includes(labels[req.key]!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
      }
    })
  );
}

/** Inside cidr and outside every except. */
export function inBlock(block: IPBlock, ip: string): boolean {
  return inCidr(block.cidr, ip) && !(block.except ?? []).some((cidr) => inCidr(cidr, ip));
}

function inCidr(cidr: string, ip: string): boolean {
  const [network, bits] = cidr.split('/') as [string, string | undefined];
  const type = isIPv6(network) ? 'ipv6' : 'ipv4';
  if ((type === 'ipv6') !== isIPv6(ip)) return false;
  const list = new BlockList();
  list.addSubnet(network, Number(bits ?? (type === 'ipv6' ? 128 : 32)), type);
  return list.check(ip, type);
}
