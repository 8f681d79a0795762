import { defineCni } from './cni-module.ts';

/**
 * kindnet, kind's own CNI, inside the node image: the lab's kindnetd
 * (kind/kindnetd, built with the node image: ptp + host-local + portmap, no
 * NetworkPolicy), or upstream kindnet in an upstream node image.
 */
export const kindnet = defineCni({
  name: 'kindnet',
  summary: "kindnet, kind's default (the lab's kindnetd: ptp + host-local + portmap, no NetworkPolicy)",
  kindDefault: true,
  podSubnet: '10.244.0.0/16',
  source: {
    kind: 'bundled',
    describe: (node) =>
      node.source === 'local'
        ? { build: "the lab's kindnetd (kind/kindnetd), no NetworkPolicy" }
        : // Upstream kindnet (kind >= v0.24) enforces NetworkPolicy through kube-network-policies' nftables `queue`.
          { build: `upstream kindnet of ${node.image}`, reportKernelOptions: ['CONFIG_NFT_QUEUE'] },
  },
  kernel: { requires: [], because: 'routes and iptables masquerading only' },
  daemonSet: { namespace: 'kube-system', name: 'kindnet' },
  fingerprint: "kindnet (the lab's own kindnetd: ptp + host-local + portmap)",
  enforcesNetworkPolicy: false,
  datapath: {
    crossNode: "kindnet adds a route per other node's pod CIDR via that node's InternalIP",
    masquerade: "kindnet masquerades only packets leaving the pod CIDR, to the node's address",
    podAttachment: "kindnet's ptp plugin gives each pod a veth with a /32 route on the node: no bridge plays docker0's role",
  },
});
