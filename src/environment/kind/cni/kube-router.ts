import { articlePodSubnet, defineCni } from './cni-module.ts';
import { replaceImages, withApiServer } from './manifest-edits.ts';

/** kube-router: BGP-routed pod CIDRs, iptables+ipset NetworkPolicy; kube-proxy stays. Recipe: kind/cni/kube-router/. */
export const kubeRouter = defineCni({
  name: 'kube-router',
  summary: 'kube-router (routes pod CIDRs over BGP, enforces NetworkPolicy), built from its Go module',
  kindDefault: false,
  podSubnet: articlePodSubnet,
  source: {
    kind: 'manifest',
    versions: ['KUBE_ROUTER_VERSION'],
    outputs: ['kube-router'],
    // Router and firewall on, its service proxy off (--run-service-proxy=false): kube-proxy stays.
    manifest: { module: 'github.com/cloudnativelabs/kube-router/v2', file: 'daemonset/generic-kuberouter.yaml' },
    adapt(manifest, target) {
      const image = target.supply === 'offline' ? target.image! : `docker.io/cloudnativelabs/kube-router:${target.version}`;
      return replaceImages(withApiServer(manifest, target.apiServer), /docker\.io\/cloudnativelabs\/kube-router(?::\S+)?/g, image, 2);
    },
  },
  kernel: { requires: ['CONFIG_IP_SET', 'CONFIG_NETFILTER_XT_SET'], because: "kube-router's firewall: iptables with ipset" },
  daemonSet: { namespace: 'kube-system', name: 'kube-router' },
  fingerprint: 'kube-router',
  enforcesNetworkPolicy: true,
  policyFilter: 'iptables',
  datapath: {
    crossNode: "kube-router learns each node's pod CIDR over BGP and routes it via that node's InternalIP",
    masquerade: "kube-router (pod egress, on by default) masquerades only packets leaving the pod CIDR, to the node's address",
    podAttachment: "kube-router's bridge plugin attaches each pod's veth to a bridge it names kube-bridge, not cni0",
  },
});
