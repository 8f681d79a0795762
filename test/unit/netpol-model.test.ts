/**
 * The NetworkPolicy model against the Kubernetes documentation: each test
 * quotes the sentence (or example) it holds the model to.
 *   NP  = https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *   API = https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
import { describe, expect, it } from 'vitest';
import { decide, inBlock, policyTypesOf, selects, type ClusterModel, type Endpoint, type ModelPod } from '../../src/netpol/model.ts';
import type { NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, Protocol } from '../../src/netpol/policy-types.ts';

const pod = (namespace: string, name: string, labels: Record<string, string>, ip: string): ModelPod => ({
  namespace,
  name,
  labels,
  ip,
  ports: [
    { name: 'http', containerPort: 6379, protocol: 'TCP' },
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
  ],
});

// The documentation's example world: role=db and role=frontend pods in "default", a project namespace, a user=alice one.
const db = pod('default', 'db', { role: 'db' }, '10.244.1.10');
const frontend = pod('default', 'frontend', { role: 'frontend' }, '10.244.1.11');
const other = pod('default', 'other', {}, '10.244.1.12');
const inProject = pod('myproject', 'p', {}, '10.244.2.10');
const aliceClient = pod('alice', 'client', { role: 'client' }, '10.244.3.10');
const aliceOther = pod('alice', 'other', {}, '10.244.3.11');
const localClient = pod('default', 'client', { role: 'client' }, '10.244.1.13');
const cluster: ClusterModel = {
  namespaces: [
    { name: 'default', labels: {} },
    { name: 'myproject', labels: { project: 'myproject' } },
    { name: 'alice', labels: { user: 'alice' } },
  ],
  pods: [db, frontend, other, inProject, aliceClient, aliceOther, localClient],
};

const policy = (name: string, spec: NetworkPolicy['spec'], namespace = 'default'): NetworkPolicy => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const allowed = (policies: NetworkPolicy[], from: ModelPod | string, to: ModelPod | string, port = 6379, protocol: Protocol = 'TCP') => {
  const end = (e: ModelPod | string): Endpoint => (typeof e === 'string' ? { ip: e } : { pod: e });
  return decide(cluster, policies, { from: end(from), to: end(to), port, protocol }).allowed;
};

// NP, "The NetworkPolicy resource": the example test-network-policy, verbatim.
const testNetworkPolicy = policy('test-network-policy', {
  podSelector: { matchLabels: { role: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [
    {
      from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }, { namespaceSelector: { matchLabels: { project: 'myproject' } } }, { podSelector: { matchLabels: { role: 'frontend' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    },
  ],
  egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
});

describe('isolation (NP, "The two sorts of pod isolation")', () => {
  it('"By default, a pod is non-isolated for ingress; all inbound connections are allowed."', () => {
    expect(allowed([], other, db)).toBe(true);
    expect(allowed([], '192.0.2.1', db, 1, 'UDP')).toBe(true);
  });
  it('"A pod is isolated for ingress if there is any NetworkPolicy that both selects the pod and has "Ingress" in its policyTypes" — and only that pod', () => {
    const deny = policy('deny', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress'] });
    expect(allowed([deny], other, db)).toBe(false);
    expect(allowed([deny], other, frontend)).toBe(true);
    // A policy of another namespace never selects this pod.
    expect(allowed([{ ...deny, metadata: { name: 'deny', namespace: 'myproject' } }], other, db)).toBe(true);
  });
  it('"By default, a pod is non-isolated for egress; all outbound connections are allowed."', () => {
    expect(allowed([], db, '203.0.113.9', 443)).toBe(true);
  });
  it('"For a connection from a source pod to a destination pod to be allowed, both the egress policy on the source pod and the ingress policy on the destination pod need to allow the connection."', () => {
    const egressOnlyToDb = policy('f', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { role: 'db' } } }] }] });
    const ingressNone = policy('d', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress'] });
    expect(allowed([egressOnlyToDb], frontend, db)).toBe(true);
    expect(allowed([egressOnlyToDb], frontend, other)).toBe(false);
    expect(allowed([egressOnlyToDb, ingressNone], frontend, db)).toBe(false);
    const decision = decide(cluster, [egressOnlyToDb, ingressNone], { from: { pod: frontend }, to: { pod: db }, port: 6379, protocol: 'TCP' });
    expect(decision.egress).toEqual({ isolated: true, allowedBy: ['default/f'] });
    expect(decision.ingress).toEqual({ isolated: true, allowedBy: [] });
  });
  it('"Network policies do not conflict; they are additive. ... the connections allowed in that direction from that pod is the union of what the applicable policies allow."', () => {
    const fromFrontend = policy('a', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    const fromOther = policy('b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] } }] }] });
    const deny = policy('c', { podSelector: {}, policyTypes: ['Ingress'] });
    for (const order of [[fromFrontend, fromOther, deny], [deny, fromOther, fromFrontend]]) {
      expect(allowed(order, frontend, db)).toBe(true);
      expect(allowed(order, other, db)).toBe(true);
      expect(allowed(order, localClient, db)).toBe(false);
    }
  });
});

describe('the example test-network-policy (NP, "The NetworkPolicy resource")', () => {
  it('"isolates role=db pods in the default namespace for both ingress and egress traffic"', () => {
    expect(allowed([testNetworkPolicy], other, db)).toBe(false);
    expect(allowed([testNetworkPolicy], db, other)).toBe(false);
  });
  it('"allows connections to all pods in the default namespace with the label role=db on TCP port 6379 from: any pod in the default namespace with the label role=frontend"', () => {
    expect(allowed([testNetworkPolicy], frontend, db, 6379)).toBe(true);
    expect(allowed([testNetworkPolicy], frontend, db, 6380)).toBe(false);
    expect(allowed([testNetworkPolicy], frontend, db, 6379, 'UDP')).toBe(false);
  });
  it('"any pod in a namespace with the label project=myproject"', () => {
    expect(allowed([testNetworkPolicy], inProject, db)).toBe(true);
    expect(allowed([testNetworkPolicy], aliceOther, db)).toBe(false);
  });
  it('"IP addresses in the ranges 172.17.0.0–172.17.0.255 and 172.17.2.0–172.17.255.255 (ie, all of 172.17.0.0/16 except 172.17.1.0/24)"', () => {
    expect(allowed([testNetworkPolicy], '172.17.0.255', db)).toBe(true);
    expect(allowed([testNetworkPolicy], '172.17.1.7', db)).toBe(false);
    expect(allowed([testNetworkPolicy], '172.17.2.0', db)).toBe(true);
    expect(allowed([testNetworkPolicy], '172.18.0.1', db)).toBe(false);
  });
  it('"(Egress rules) allows connections from any pod in the default namespace with the label role=db to CIDR 10.0.0.0/24 on TCP port 5978"', () => {
    expect(allowed([testNetworkPolicy], db, '10.0.0.7', 5978)).toBe(true);
    expect(allowed([testNetworkPolicy], db, '10.0.1.7', 5978)).toBe(false);
    expect(allowed([testNetworkPolicy], db, '10.0.0.7', 5979)).toBe(false);
  });
});

describe('to and from selectors (NP, "Behavior of to and from selectors")', () => {
  const ingressFrom = (rule: NetworkPolicyIngressRule) => policy('p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [rule] });
  it('"podSelector: This selects particular Pods in the same namespace as the NetworkPolicy"', () => {
    const p = ingressFrom({ from: [{ podSelector: { matchLabels: { role: 'client' } } }] });
    expect(allowed([p], localClient, db)).toBe(true);
    expect(allowed([p], aliceClient, db)).toBe(false);
  });
  it('"namespaceSelector: This selects particular namespaces for which all Pods should be allowed"', () => {
    const p = ingressFrom({ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } } }] });
    expect(allowed([p], aliceClient, db)).toBe(true);
    expect(allowed([p], aliceOther, db)).toBe(true);
    expect(allowed([p], localClient, db)).toBe(false);
  });
  it('"contains a single from element allowing connections from Pods with the label role=client in namespaces with the label user=alice"', () => {
    const p = ingressFrom({ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } }] });
    expect(allowed([p], aliceClient, db)).toBe(true);
    expect(allowed([p], aliceOther, db)).toBe(false);
    expect(allowed([p], localClient, db)).toBe(false);
  });
  it('"contains two elements in the from array, and allows connections from Pods in the local Namespace with the label role=client, or from any Pod in any namespace with the label user=alice"', () => {
    const p = ingressFrom({ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } } }, { podSelector: { matchLabels: { role: 'client' } } }] });
    expect(allowed([p], aliceClient, db)).toBe(true);
    expect(allowed([p], aliceOther, db)).toBe(true);
    expect(allowed([p], localClient, db)).toBe(true);
    expect(allowed([p], other, db)).toBe(false);
  });
  it('"The Kubernetes control plane sets an immutable label kubernetes.io/metadata.name on all namespaces" (NP, "Targeting a Namespace by its name")', () => {
    const p = ingressFrom({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'myproject' } } }] });
    expect(allowed([p], inProject, db)).toBe(true);
    expect(allowed([p], aliceOther, db)).toBe(false);
  });
  it('ipBlock matches an address, and a pod by its IP (the netpol e2e "should allow egress access to server in CIDR block" uses pod IPs)', () => {
    const p = policy('e', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: `${db.ip}/32` } }] }] });
    expect(allowed([p], frontend, db)).toBe(true);
    expect(allowed([p], frontend, other)).toBe(false);
    expect(inBlock({ cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] }, '10.244.1.10')).toBe(false);
    expect(inBlock({ cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] }, '10.244.2.10')).toBe(true);
    expect(inBlock({ cidr: 'fd00::/8' }, '10.244.2.10')).toBe(false);
  });
  it('a pod peer never matches an address outside the model (only an ipBlock can)', () => {
    const p = ingressFrom({ from: [{ namespaceSelector: {} }] });
    expect(allowed([p], '192.0.2.1', db)).toBe(false);
    expect(allowed([p], aliceOther, db)).toBe(true);
  });
});

describe('rules: empty and missing from/to and ports (API, NetworkPolicyIngressRule/EgressRule)', () => {
  it('from: "If this field is empty or missing, this rule matches all sources (traffic not restricted by source)."', () => {
    for (const rule of [{}, { from: [] }] as NetworkPolicyIngressRule[]) {
      const p = policy('p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [rule] });
      expect(allowed([p], aliceOther, db, 1, 'UDP')).toBe(true);
      expect(allowed([p], '192.0.2.1', db)).toBe(true);
    }
  });
  it('to: "If this field is empty or missing, this rule matches all destinations (traffic not restricted by destination)."', () => {
    for (const rule of [{}, { to: [] }] as NetworkPolicyEgressRule[]) {
      const p = policy('p', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Egress'], egress: [rule] });
      expect(allowed([p], db, aliceOther, 81)).toBe(true);
    }
  });
  it('ports: "If this field is empty or missing, this rule matches all ports (traffic not restricted by port)."', () => {
    const p = policy('p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }], ports: [] }] });
    expect(allowed([p], frontend, db, 9, 'SCTP')).toBe(true);
  });
  it('ingress: "If this field is empty then this NetworkPolicy does not allow any traffic (and serves solely to ensure that the pods it selects are isolated by default)"', () => {
    const p = policy('p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [] });
    expect(allowed([p], frontend, db)).toBe(false);
  });
});

describe('ports (API, NetworkPolicyPort)', () => {
  const onPorts = (ports: NonNullable<NetworkPolicyIngressRule['ports']>) => policy('p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports }] });
  it('protocol: "If not specified, this field defaults to TCP."', () => {
    expect(allowed([onPorts([{ port: 53 }])], other, db, 53, 'TCP')).toBe(true);
    expect(allowed([onPorts([{ port: 53 }])], other, db, 53, 'UDP')).toBe(false);
  });
  it('port: "If this field is not provided, this matches all port names and numbers. If present, only traffic on the specified protocol AND port will be matched."', () => {
    expect(allowed([onPorts([{ protocol: 'UDP' }])], other, db, 1234, 'UDP')).toBe(true);
    expect(allowed([onPorts([{ protocol: 'UDP' }])], other, db, 1234, 'TCP')).toBe(false);
  });
  it('port: "This can either be a numerical or named port on a pod." — the name is the destination pod\'s container port', () => {
    expect(allowed([onPorts([{ protocol: 'UDP', port: 'dns' }])], other, db, 53, 'UDP')).toBe(true);
    expect(allowed([onPorts([{ protocol: 'UDP', port: 'dns' }])], other, db, 54, 'UDP')).toBe(false);
    // The name exists on the pod for UDP only: TCP to 53 is not that port.
    expect(allowed([onPorts([{ protocol: 'TCP', port: 'dns' }])], other, db, 53, 'TCP')).toBe(false);
    expect(allowed([onPorts([{ port: 'http' }])], other, db, 6379, 'TCP')).toBe(true);
    // Egress by name to an address with no pod behind it: nothing to resolve the name on.
    const egress = policy('e', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] });
    expect(allowed([egress], db, frontend, 6379)).toBe(true);
    expect(allowed([egress], db, '192.0.2.1', 6379)).toBe(false);
  });
  it('endPort (NP, "Targeting a range of ports"): "allows any Pod with label role=db on the namespace default to communicate with any IP within the range 10.0.0.0/24 over TCP, provided that the target port is between the range 32000 and 32768"', () => {
    const ranged = policy('multi-port-egress', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] });
    expect(allowed([ranged], db, '10.0.0.1', 32000)).toBe(true);
    expect(allowed([ranged], db, '10.0.0.1', 32768)).toBe(true);
    expect(allowed([ranged], db, '10.0.0.1', 31999)).toBe(false);
    expect(allowed([ranged], db, '10.0.0.1', 32769)).toBe(false);
    expect(allowed([ranged], db, '10.0.0.1', 32100, 'UDP')).toBe(false);
  });
});

describe('policyTypes (NP, "The NetworkPolicy resource")', () => {
  it('"If no policyTypes are specified on a NetworkPolicy then by default Ingress will always be set and Egress will be set if the NetworkPolicy has any egress rules."', () => {
    expect(policyTypesOf(policy('a', { podSelector: {} }))).toEqual(['Ingress']);
    expect(policyTypesOf(policy('b', { podSelector: {}, egress: [{}] }))).toEqual(['Ingress', 'Egress']);
    expect(policyTypesOf(policy('c', { podSelector: {}, egress: [] }))).toEqual(['Ingress']);
    expect(policyTypesOf(policy('d', { podSelector: {}, policyTypes: ['Egress'] }))).toEqual(['Egress']);
    // An egress-only policy written without policyTypes still isolates ingress.
    const egressOnly = policy('e', { podSelector: { matchLabels: { role: 'db' } }, egress: [{}] });
    expect(allowed([egressOnly], frontend, db)).toBe(false);
    expect(allowed([egressOnly], db, frontend)).toBe(true);
  });
});

describe('default policies (NP, "Default policies")', () => {
  const denyIngress = policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
  const denyEgress = policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
  it('default deny all ingress: "This ensures that even pods that aren\'t selected by any other NetworkPolicy will still be isolated for ingress. This policy does not affect isolation for egress from any pod."', () => {
    expect(allowed([denyIngress], frontend, db)).toBe(false);
    expect(allowed([denyIngress], aliceOther, other)).toBe(false);
    expect(allowed([denyIngress], db, aliceOther)).toBe(true);
  });
  it('allow all ingress: "no additional policy or policies can cause any incoming connection to those pods to be denied"', () => {
    const allowAll = policy('allow-all-ingress', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] });
    expect(allowed([denyIngress, allowAll], aliceOther, db, 1, 'SCTP')).toBe(true);
  });
  it('default deny all egress: "This ensures that even pods that aren\'t selected by any other NetworkPolicy will not be allowed egress traffic. This policy does not change the ingress isolation behavior of any pod."', () => {
    expect(allowed([denyEgress], db, frontend)).toBe(false);
    expect(allowed([denyEgress], aliceOther, db)).toBe(true);
  });
  it('allow all egress: "no additional policy or policies can cause any outgoing connection from those pods to be denied"', () => {
    const allowAll = policy('allow-all-egress', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] });
    expect(allowed([denyEgress, allowAll], db, '203.0.113.1', 443)).toBe(true);
  });
  it('default deny all ingress and all egress: "This ensures that even pods that aren\'t selected by any other NetworkPolicy will not be allowed ingress or egress traffic."', () => {
    const denyAll = policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(allowed([denyAll], frontend, db)).toBe(false);
    expect(allowed([denyAll], db, aliceOther)).toBe(false);
    expect(allowed([denyAll], aliceOther, aliceClient)).toBe(true);
  });
});

describe('label selectors (metav1.LabelSelector)', () => {
  it('"An empty podSelector selects all pods in the namespace." (NP); matchExpressions In/NotIn/Exists/DoesNotExist', () => {
    expect(selects({}, {})).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'ns', operator: 'In', values: ['x', 'y'] }] }, { ns: 'y' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, {})).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, { ns: 'x' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'ns', operator: 'Exists' }] }, { ns: '' })).toBe(true);
    expect(selects({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, { a: '1', b: '2' })).toBe(false);
  });
});
