import { defineCni } from './cni-module.ts';
import { kindnetdLab } from './kindnetd-lab.ts';

/**
 * Upstream kindnet, kind's default CNI as kind ships it: only inside an
 * upstream node image (NETPROOF_KIND_NODE_IMAGE=kindest/node:…), which needs a
 * registry to get. Since kind v0.24 it enforces NetworkPolicy through
 * kube-network-policies, which hands packets to userspace with nftables'
 * `queue`: on a kernel without CONFIG_NFT_QUEUE that engine fails open.
 */
export const kindnet = defineCni({
  name: 'kindnet',
  summary: "kindnet as kind ships it, from an upstream node image only (NETPROOF_KIND_NODE_IMAGE=kindest/node:…; needs a registry)",
  kindDefault: true,
  podSubnet: kindnetdLab.podSubnet,
  source: { kind: 'bundled', nodeImage: 'upstream', describe: (node) => ({ build: `upstream kindnet of ${node.image}`, reportKernelOptions: ['CONFIG_NFT_QUEUE'] }) },
  kernel: { requires: [], because: 'routes, masquerading, and NetworkPolicy through nftables `queue` (reported: without CONFIG_NFT_QUEUE it fails open)' },
  daemonSet: kindnetdLab.daemonSet,
  fingerprint: 'kindnet (upstream, from the node image; its NetworkPolicy engine fails open on a kernel without CONFIG_NFT_QUEUE)',
  enforcesNetworkPolicy: true,
  policyFilter: 'nftables',
  datapath: {
    crossNode: "kindnet adds a route per other node's pod CIDR via that node's InternalIP",
    masquerade: "kindnet masquerades only packets leaving the pod CIDR, to the node's address",
    podAttachment: "kindnet's CNI plugin gives each pod a veth with a /32 route on the node: no bridge plays docker0's role",
  },
});
