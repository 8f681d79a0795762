import { cniModule, defaultCniFor, type Cni } from './cni/registry.ts';

export type { Cni } from './cni/registry.ts';

export interface KindClusterSpec {
  /** Default kindnetd-lab (kind's default CNI as the node image built here has it: the lab's kindnetd, see kind/kindnetd), applied by the lab after the nodes are up like any other. */
  readonly cni?: Cni;
  /** Worker nodes besides the one control plane; default 2. */
  readonly workers?: number;
  /** Cluster name (kind's --name); default a unique one per process for the API (names.ts), the lab cluster's name (netproof-<cni>) for the CLI. */
  readonly name?: string;
}

export const serviceSubnet = '10.96.0.0/16';
/** kubelet's clusterDNS for the service subnet above: the 10th address, as kubeadm computes it. */
export const clusterDnsIp = '10.96.0.10';

/**
 * The node label, written at creation on every node, that names the cluster's
 * CNI: what a run reads back (never the spec) before reusing a cluster and for
 * its results.
 */
export const cniNodeLabel = 'netproof.cni';

/**
 * The kind config for a spec: the CNI's pod subnet, kind's own CNI disabled
 * for every CNI (kind's default too: the lab applies it from the node image once the
 * nodes have been seen without a CNI, see pre-cni.ts), the CNI's name on every node. kubeadm's CoreDNS addon is disabled:
 * the lab installs its own CoreDNS (kind/manifests/coredns.yaml) that answers
 * only cluster names and never forwards a query out of the machine.
 */
export function renderKindConfig(spec: KindClusterSpec & { name: string }): string {
  const workers = spec.workers ?? 2;
  const cni = cniModule(spec.cni ?? defaultCniFor());
  const node = (role: string) => [`- role: ${role}`, '  labels:', `    ${cniNodeLabel}: ${cni.name}`];
  const nodes = [...node('control-plane'), ...Array.from({ length: workers }, () => node('worker')).flat()];
  return [
    'kind: Cluster',
    'apiVersion: kind.x-k8s.io/v1alpha4',
    `name: ${spec.name}`,
    'networking:',
    `  podSubnet: ${cni.podSubnet}`,
    `  serviceSubnet: ${serviceSubnet}`,
    '  disableDefaultCNI: true',
    ...(cni.replacesKubeProxy ? ['  kubeProxyMode: none'] : []),
    'nodes:',
    ...nodes,
    // kind writes kubeadm v1beta3 (no dns.disabled there): skip the addon phase instead. The patch's list
    // replaces kind's own, so it repeats kind's addon/kube-proxy for kubeProxyMode none (else kubeadm
    // installs kube-proxy anyway, with none of kind's settings, and it crash-loops on nf_conntrack_max).
    'kubeadmConfigPatches:',
    '- |',
    '  kind: InitConfiguration',
    '  skipPhases:',
    '  - preflight',
    '  - addon/coredns',
    ...(cni.replacesKubeProxy ? ['  - addon/kube-proxy'] : []),
    '',
  ].join('\n');
}
