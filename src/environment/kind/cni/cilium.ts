import { articlePodSubnet, defineCni, type ManifestTarget } from './cni-module.ts';

/**
 * Cilium (eBPF datapath, VXLAN tunnel, NetworkPolicy) from its Go module's own
 * Helm chart, rendered with the values cilium documents for kind. Two columns,
 * one build (recipe kind/cni/cilium/): with kube-proxy, and replacing it.
 */
const ciliumValues = (kubeProxyReplacement: boolean) => (target: ManifestTarget) => ({
  // kind's documented values: IPAM from the nodes' podCIDRs, the API server by address.
  'ipam.mode': 'kubernetes',
  k8sServiceHost: target.apiServer.host,
  k8sServicePort: target.apiServer.port,
  kubeProxyReplacement,
  // Nothing that reaches out of the machine or that the lab does not build:
  // no Hubble, no separate Envoy (L7 proxy off), no health endpoints (cilium-health).
  'hubble.enabled': false,
  'hubble.relay.enabled': false,
  'hubble.ui.enabled': false,
  'envoy.enabled': false,
  l7Proxy: false,
  healthChecking: false,
  'endpointHealthChecking.enabled': false,
  ...(target.supply === 'offline'
    ? {
        'image.override': target.image!,
        'image.pullPolicy': 'Never',
        // Its operator is not built here (build.sh says why): its CRDs are applied from the module.
        'operator.enabled': false,
      }
    : {}),
});

const shared = {
  kindDefault: false,
  podSubnet: articlePodSubnet,
  kernel: {
    requires: ['CONFIG_BPF_SYSCALL', 'CONFIG_NET_CLS_BPF', 'CONFIG_VXLAN'],
    because: "cilium's eBPF datapath and its VXLAN tunnel",
    // Listed by cilium's system requirements; the agents ran here without them (kind/README.md).
    documented: ['CONFIG_CRYPTO_USER_API_HASH', 'CONFIG_SCHEDSTATS'],
  },
  daemonSet: { namespace: 'kube-system', name: 'cilium' },
  enforcesNetworkPolicy: true,
  policyFilter: 'ebpf',
} as const;

/** The explanations' clauses, each naming the column that ran. */
const datapath = (name: string) => ({
  crossNode: `${name}'s BPF programs wrap it in VXLAN (cilium_vxlan) to the node that owns the destination's pod CIDR, the pod IPs unchanged inside`,
  masquerade: `${name} masquerades only packets leaving the pod CIDR, to the node's address`,
  podAttachment: `${name} attaches each pod's veth (lxc*) to no bridge: BPF programs on the veth route it, and the pods' gateway is cilium_host`,
});

const source = (kubeProxyReplacement: boolean) =>
  ({
    kind: 'manifest',
    recipe: 'cilium',
    versions: ['CILIUM_VERSION', 'CILIUM_GOBGP_VERSION'],
    outputs: ['cilium-agent', 'cilium-dbg', 'cilium-cni', 'cilium-mount', 'cilium-sysctlfix', 'bpf.tar', 'init-container.sh', 'install-plugin.sh', 'cni-uninstall.sh'],
    manifest: {
      module: 'github.com/cilium/cilium',
      chart: 'install/kubernetes/cilium',
      namespace: 'kube-system',
      values: ciliumValues(kubeProxyReplacement),
      crds: ['pkg/k8s/apis/cilium.io/client/crds/v2', 'pkg/k8s/apis/cilium.io/client/crds/v2alpha1'],
    },
    adapt: (manifest: string) => manifest,
  }) as const;

/** Cilium beside kube-proxy (kubeProxyReplacement=false). */
export const cilium = defineCni({
  name: 'cilium',
  summary: 'cilium (eBPF datapath, VXLAN, enforces NetworkPolicy; kube-proxy stays), built from its Go module, its Helm chart',
  ...shared,
  source: source(false),
  datapath: datapath('cilium'),
  fingerprint: 'cilium (kube-proxy stays)',
});

/** Cilium replacing kube-proxy (no kube-proxy in the cluster; Services in eBPF). */
export const ciliumKpr = defineCni({
  name: 'cilium-kpr',
  summary: 'cilium-kpr: cilium replacing kube-proxy (Services in eBPF, no kube-proxy), the same build and chart as cilium',
  ...shared,
  replacesKubeProxy: true,
  source: source(true),
  datapath: datapath('cilium-kpr'),
  fingerprint: 'cilium (kube-proxy replaced: kubeProxyReplacement=true)',
});
