/**
 * The conformance suite: each case is a set of NetworkPolicies in the matrix's
 * short names (namespaces x, y, z; pods labelled pod=a|b|c; namespaces
 * labelled ns=x|y|z) and where it comes from. Adding a case is adding an
 * entry: what it should do comes from the model, never from here.
 *   NP  = https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *   e2e = kubernetes/kubernetes test/e2e/network/netpol/network_policy.go
 */
import type { NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, PolicyType } from './policy-types.ts';

export interface PolicyCase {
  /** Short, unique, kebab-case. */
  readonly name: string;
  /** The document or test it is drawn from. */
  readonly source: string;
  readonly policies: readonly NetworkPolicy[];
}

interface Spec {
  readonly on?: NetworkPolicy['spec']['podSelector'];
  readonly types?: readonly PolicyType[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
}

/** A policy in namespace `ns` selecting `on` (default: every pod). */
const policy = (name: string, ns: string, spec: Spec): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec: {
    podSelector: spec.on ?? {},
    ...(spec.types ? { policyTypes: spec.types } : {}),
    ...(spec.ingress ? { ingress: spec.ingress } : {}),
    ...(spec.egress ? { egress: spec.egress } : {}),
  },
});

const podA = { matchLabels: { pod: 'a' } };
const pods = (name: string): NetworkPolicyPeer => ({ podSelector: { matchLabels: { pod: name } } });
const namespaces = (name: string): NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { ns: name } } });
const denyIngress = (ns = 'x') => policy('deny-ingress', ns, { types: ['Ingress'] });
const denyEgress = (ns = 'x') => policy('deny-egress', ns, { types: ['Egress'] });

export const policyCases: readonly PolicyCase[] = [
  { name: 'deny-all-ingress', source: 'NP "Default deny all ingress traffic"; e2e "should support a \'default-deny-ingress\' policy"', policies: [denyIngress()] },
  { name: 'deny-all-egress', source: 'NP "Default deny all egress traffic"; e2e "should deny egress from all pods in a namespace"', policies: [denyEgress()] },
  { name: 'deny-all', source: 'NP "Default deny all ingress and all egress traffic"; e2e "should support a \'default-deny-all\' policy"', policies: [policy('deny-all', 'x', { types: ['Ingress', 'Egress'] })] },
  { name: 'allow-all-ingress', source: 'NP "Allow all ingress traffic"; e2e "should support allow-all policy"', policies: [denyIngress(), policy('allow-all-ingress', 'x', { types: ['Ingress'], ingress: [{}] })] },
  { name: 'allow-all-egress', source: 'NP "Allow all egress traffic"', policies: [denyEgress(), policy('allow-all-egress', 'x', { types: ['Egress'], egress: [{}] })] },
  { name: 'empty-ingress-list', source: 'API NetworkPolicySpec.ingress: "If this field is empty then this NetworkPolicy does not allow any traffic"', policies: [policy('no-ingress', 'x', { on: podA, ingress: [] })] },
  { name: 'from-pod-selector', source: 'e2e "should enforce policy to allow traffic from pods within server namespace based on PodSelector"', policies: [policy('allow-b', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [pods('b')] }] })] },
  { name: 'from-namespace-selector', source: 'e2e "should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector"', policies: [policy('allow-y', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [namespaces('y')] }] })] },
  { name: 'from-namespace-and-pod', source: 'NP "namespaceSelector and podSelector" (one from element); e2e "should enforce policy based on PodSelector and NamespaceSelector"', policies: [policy('allow-y-b', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [{ ...namespaces('y'), ...pods('b') }] }] })] },
  { name: 'from-namespace-or-pod', source: 'NP (two elements in the from array); e2e "should enforce policy based on PodSelector or NamespaceSelector"', policies: [policy('allow-y-or-b', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [namespaces('y'), pods('b')] }] })] },
  {
    name: 'namespace-match-expressions',
    source: 'e2e "should enforce policy based on NamespaceSelector with MatchExpressions"',
    policies: [policy('allow-not-y', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['y'] }] } }] }] })],
  },
  {
    name: 'pod-match-expressions',
    source: 'e2e "should enforce policy based on PodSelector with MatchExpressions"',
    policies: [policy('allow-b-c', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }] })],
  },
  {
    name: 'namespace-by-name',
    source: 'NP "Targeting a Namespace by its name" (kubernetes.io/metadata.name)',
    policies: [policy('allow-z-by-name', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }] })],
  },
  { name: 'numbered-port', source: 'e2e "should enforce policy based on Ports"', policies: [policy('allow-81', 'x', { on: podA, types: ['Ingress'], ingress: [{ ports: [{ port: 81 }] }] })] },
  { name: 'named-port', source: 'e2e "should allow ingress access from namespace on one named port"', policies: [policy('allow-serve-80-tcp', 'x', { on: podA, types: ['Ingress'], ingress: [{ ports: [{ port: 'serve-80-tcp' }] }] })] },
  { name: 'named-udp-port', source: 'e2e "should allow ingress access on one named port" (UDP)', policies: [policy('allow-serve-81-udp', 'x', { on: podA, types: ['Ingress'], ingress: [{ ports: [{ protocol: 'UDP', port: 'serve-81-udp' }] }] })] },
  { name: 'protocol-only', source: 'API NetworkPolicyPort.port: "If this field is not provided, this matches all port names and numbers"', policies: [policy('allow-udp', 'x', { on: podA, types: ['Ingress'], ingress: [{ ports: [{ protocol: 'UDP' }] }] })] },
  { name: 'port-range', source: 'NP "Targeting a range of ports" (endPort); e2e "should enforce ingress policy allowing any port traffic to a server on a specific protocol"', policies: [policy('allow-81-to-9000', 'x', { on: podA, types: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 81, endPort: 9000 }] }] })] },
  { name: 'egress-to-pod', source: 'e2e "should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector"', policies: [policy('egress-to-y-b', 'x', { on: podA, types: ['Egress'], egress: [{ to: [{ ...namespaces('y'), ...pods('b') }] }] })] },
  { name: 'egress-dns-only', source: 'NP "Default deny all egress traffic" with DNS reopened, as the e2e egress cases allow DNS', policies: [policy('egress-dns', 'x', { types: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] })] },
  { name: 'egress-ip-block', source: 'e2e "should allow egress access to server in CIDR block"', policies: [policy('egress-to-y-b-ip', 'x', { on: podA, types: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '$ip(y/b)/32' } }] }] })] },
  { name: 'egress-ip-block-except', source: 'e2e "should enforce except clause while egress access to server in CIDR block"', policies: [policy('egress-pods-but-y-b', 'x', { on: podA, types: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '$podCidr', except: ['$ip(y/b)/32'] } }] }] })] },
  { name: 'ingress-ip-block', source: 'NP example test-network-policy (ingress from an ipBlock)', policies: [policy('from-z-c-ip', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '$ip(z/c)/32' } }] }] })] },
  {
    name: 'stacked-policies',
    source: 'NP "Network policies do not conflict; they are additive"; e2e "should enforce multiple, stacked policies with overlapping podSelectors"',
    policies: [policy('allow-b', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [pods('b')] }] }), policy('allow-y-81', 'x', { on: podA, types: ['Ingress'], ingress: [{ from: [namespaces('y')], ports: [{ port: 81 }] }] })],
  },
  { name: 'ingress-and-egress', source: 'e2e "should work with Ingress, Egress specified together"', policies: [policy('in-from-y-out-to-z', 'x', { on: podA, types: ['Ingress', 'Egress'], ingress: [{ from: [namespaces('y')] }], egress: [{ to: [namespaces('z')] }] })] },
  { name: 'policy-types-defaulted', source: 'NP "If no policyTypes are specified ... Ingress will always be set and Egress will be set if the NetworkPolicy has any egress rules"', policies: [policy('egress-rules-no-types', 'x', { on: podA, egress: [{ to: [namespaces('y')] }] })] },
];
