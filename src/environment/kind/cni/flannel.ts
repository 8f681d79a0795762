import { articlePodSubnet, defineCni } from './cni-module.ts';
import { replaceImages, replaceOnce, withApiServer } from './manifest-edits.ts';

/** flannel: VXLAN overlay, the bridge plugin (cni0), no NetworkPolicy. Recipe: kind/cni/flannel/. */
export const flannel = defineCni({
  name: 'flannel',
  summary: 'flannel (VXLAN overlay, cni0 bridge, no NetworkPolicy), built from its Go module',
  kindDefault: false,
  podSubnet: articlePodSubnet,
  source: {
    kind: 'manifest',
    versions: ['FLANNEL_VERSION', 'FLANNEL_CNI_PLUGINS_VERSION'],
    outputs: ['flanneld', 'install-conf', 'flannel-cni'],
    manifest: { module: 'github.com/flannel-io/flannel', file: 'Documentation/kube-flannel.yml' },
    adapt(manifest, target) {
      // Its net-conf names kind's default pod range; the cluster's is the article's (articlePodSubnet).
      let out = replaceOnce(withApiServer(manifest, target.apiServer), '"Network": "10.244.0.0/16"', `"Network": "${articlePodSubnet}"`);
      if (target.supply === 'offline') {
        // Both of its images are one lab image (flanneld, install-conf and /flannel).
        out = replaceImages(out, /ghcr\.io\/flannel-io\/flannel(-cni-plugin)?:\S+/g, target.image!, 3);
        // The CNI plugin built here (containernetworking/plugins v0.9.1, its last home
        // on the module proxy) speaks CNI spec 0.4.0 at most.
        out = replaceOnce(out, '"cniVersion": "1.0.0"', '"cniVersion": "0.4.0"');
      }
      return out;
    },
  },
  // Its VXLAN backend; the bridge plugin's traffic through iptables.
  kernel: { requires: ['CONFIG_VXLAN', 'CONFIG_BRIDGE_NETFILTER'], because: "flannel's VXLAN backend and its bridge's traffic through iptables" },
  daemonSet: { namespace: 'kube-flannel', name: 'kube-flannel-ds' },
  fingerprint: 'flannel',
  enforcesNetworkPolicy: false,
  policyFilter: 'none',
  datapath: {
    crossNode: "flannel wraps it in VXLAN (flannel.1) to the node that owns the destination's pod CIDR, the pod IPs unchanged inside",
    masquerade: "flannel (--ip-masq) masquerades only packets leaving the pod CIDR, to the node's address",
    podAttachment: "flannel's bridge plugin attaches each pod's veth to the node's cni0 bridge, as Docker attaches containers to docker0",
  },
});
