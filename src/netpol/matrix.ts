/**
 * The probe matrix of the Kubernetes netpol e2e: namespaces x, y, z with pods
 * a, b, c each, every pod serving 80 and 81 over TCP and UDP (named
 * serve-<port>-<protocol>), probing every pod on each. Cases are written in
 * these short names; a run instantiates them into its own namespaces (so two
 * runs on one cluster never select each other's pods) with `instantiate`.
 */
import type { ClusterModel, ContainerPort, ModelPod } from './model.ts';
import { namespaceNameLabel } from './model.ts';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, Protocol } from './policy-types.ts';

export const matrixNamespaces = ['x', 'y', 'z'] as const;
export const matrixPods = ['a', 'b', 'c'] as const;
export const matrixPorts = [80, 81] as const;
/** SCTP is probed only where the pods' kernel gives an SCTP socket (recorded as not tried otherwise). */
export const matrixProtocols: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** The namespace label policies select on (`ns: x`), as the e2e labels its namespaces. */
export const namespaceKey = 'ns';
/** The pod label (`pod: a`). */
export const podKey = 'pod';

export const portName = (port: number, protocol: Protocol) => `serve-${port}-${protocol.toLowerCase()}`;

/** `x/a` */
export type MatrixPodName = `${(typeof matrixNamespaces)[number]}/${(typeof matrixPods)[number]}`;
export const matrixPodNames: readonly MatrixPodName[] = matrixNamespaces.flatMap((ns) => matrixPods.map((p) => `${ns}/${p}` as const));

/** How short names map onto a run's lane: x → the run namespace with -x (-x2 in lane 2), x/a → its pod's name, and each pod's IP once it runs. */
export interface MatrixNames {
  namespace(short: string): string;
  /** The pod's Kubernetes name: matrixPodName's, with the lane's suffix. */
  podName(pod: MatrixPodName): string;
  /** The pod's IP, read once it runs. */
  readonly ipOf: (pod: MatrixPodName) => string;
  readonly podCidr: string;
}

/** What a lane's namespace and pod names end in: nothing in lane 1 (x, x-a), the lane's number after (x2, x2-a). */
export const laneSuffix = (lane: number) => (lane === 1 ? '' : String(lane));

/** The pod's Kubernetes name, unique across the run so each np-serve names itself apart: x/a → x-a (x2-a in lane 2, whose namespace is x2). */
export const matrixPodName = (pod: MatrixPodName, laneSuffix = '') => pod.replace('/', `${laneSuffix}-`);

/** The container ports every matrix pod declares (named, so named-port policies resolve on them). */
export function matrixContainerPorts(protocols: readonly Protocol[]): ContainerPort[] {
  return protocols.flatMap((protocol) => matrixPorts.map((port) => ({ name: portName(port, protocol), containerPort: port, protocol })));
}

/** The model of the run's matrix: its namespaces with their labels, its pods with labels, IPs and named ports. */
export function matrixModel(names: MatrixNames, protocols: readonly Protocol[]): ClusterModel {
  return {
    namespaces: matrixNamespaces.map((ns) => ({ name: names.namespace(ns), labels: { [namespaceKey]: names.namespace(ns) } })),
    pods: matrixPodNames.map((pod): ModelPod => {
      const [ns, name] = pod.split('/') as [string, string];
      return { namespace: names.namespace(ns), name: names.podName(pod), labels: { [podKey]: name }, ip: names.ipOf(pod), ports: matrixContainerPorts(protocols) };
    }),
  };
}

/**
 * A case's policy as the run applies it: its namespace, and the namespace
 * names in namespaceSelectors on `ns` or `kubernetes.io/metadata.name`, become
 * the run's; `$ip(y/b)` and `$podCidr` in an ipBlock become the pod's IP and
 * the cluster's pod CIDR.
 */
export function instantiate(policy: NetworkPolicy, names: MatrixNames): NetworkPolicy {
  const short = new Set<string>(matrixNamespaces);
  const value = (key: string, v: string) => ((key === namespaceKey || key === namespaceNameLabel) && short.has(v) ? names.namespace(v) : v);
  const selector = (s: LabelSelector): LabelSelector => ({
    ...(s.matchLabels ? { matchLabels: Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [k, value(k, v)])) } : {}),
    ...(s.matchExpressions ? { matchExpressions: s.matchExpressions.map((r) => ({ ...r, ...(r.values ? { values: r.values.map((v) => value(r.key, v)) } : {}) })) } : {}),
  });
  const cidr = (text: string) => text.replace(/\$ip\(([xyz]\/[abc])\)/g, (_m, pod: MatrixPodName) => names.ipOf(pod)).replace('$podCidr', names.podCidr);
  const peer = (p: NetworkPolicyPeer): NetworkPolicyPeer => ({
    ...(p.podSelector ? { podSelector: p.podSelector } : {}),
    ...(p.namespaceSelector ? { namespaceSelector: selector(p.namespaceSelector) } : {}),
    ...(p.ipBlock ? { ipBlock: { cidr: cidr(p.ipBlock.cidr), ...(p.ipBlock.except ? { except: p.ipBlock.except.map(cidr) } : {}) } } : {}),
  });
  const spec = policy.spec;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policy.metadata.name, namespace: names.namespace(policy.metadata.namespace) },
    spec: {
      podSelector: spec.podSelector,
      ...(spec.policyTypes ? { policyTypes: spec.policyTypes } : {}),
      ...(spec.ingress ? { ingress: spec.ingress.map((r) => ({ ...r, ...(r.from ? { from: r.from.map(peer) } : {}) })) } : {}),
      ...(spec.egress ? { egress: spec.egress.map((r) => ({ ...r, ...(r.to ? { to: r.to.map(peer) } : {}) })) } : {}),
    },
  };
}
