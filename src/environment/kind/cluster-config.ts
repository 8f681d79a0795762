/**
 * The CNIs the lab can build a cluster with, with zero pulls: kindnet comes
 * with the node image; flannel and kube-router are built from their Go modules
 * and installed from their own manifests (src/environment/kind/cni/).
 */
export const supportedCnis = ['kindnet', 'flannel', 'kube-router'] as const;
export type Cni = (typeof supportedCnis)[number];

export interface KindClusterSpec {
  /** Default kindnet (kind's default CNI; the lab's own kindnetd, see kind/kindnetd); any other disables kind's. */
  readonly cni?: Cni;
  /** Worker nodes besides the one control plane; default 2. */
  readonly workers?: number;
  /** Cluster name (kind's --name); default a unique one per process for the API (names.ts), "netproof" for the CLI. */
  readonly name?: string;
}

export const podSubnet = '10.244.0.0/16';
export const serviceSubnet = '10.96.0.0/16';
/** kubelet's clusterDNS for the service subnet above: the 10th address, as kubeadm computes it. */
export const clusterDnsIp = '10.96.0.10';

/**
 * The kind config for a spec. kubeadm's CoreDNS addon is disabled: the lab
 * installs its own CoreDNS (kind/manifests/coredns.yaml) that answers only
 * cluster names and never forwards a query out of the machine.
 */
export function renderKindConfig(spec: KindClusterSpec & { name: string }): string {
  const workers = spec.workers ?? 2;
  const cni = spec.cni ?? 'kindnet';
  const nodes = ['- role: control-plane', ...Array.from({ length: workers }, () => '- role: worker')];
  return [
    'kind: Cluster',
    'apiVersion: kind.x-k8s.io/v1alpha4',
    `name: ${spec.name}`,
    'networking:',
    `  podSubnet: ${podSubnet}`,
    `  serviceSubnet: ${serviceSubnet}`,
    `  disableDefaultCNI: ${cni === 'kindnet' ? 'false' : 'true'}`,
    'nodes:',
    ...nodes,
    // kind writes kubeadm v1beta3 (no dns.disabled there): skip the addon phase instead.
    'kubeadmConfigPatches:',
    '- |',
    '  kind: InitConfiguration',
    '  skipPhases:',
    '  - preflight',
    '  - addon/coredns',
    '',
  ].join('\n');
}

/**
 * The CNI a Kubernetes scenario runs on: NETPROOF_CNI when the user (or a CI
 * matrix) sets it, else the one the scenario declares. One variable makes
 * every Kubernetes scenario run on the same CNI, for `compare`.
 */
export function chosenCni(declared: Cni): Cni {
  const wanted = process.env.NETPROOF_CNI;
  if (!wanted) return declared;
  if (!(supportedCnis as readonly string[]).includes(wanted)) throw new Error(`NETPROOF_CNI=${wanted}: use one of ${supportedCnis.join(', ')}`);
  return wanted as Cni;
}
