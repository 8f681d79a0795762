import { articlePodSubnet, defineCni } from './cni-module.ts';

/**
 * The lab's own kindnetd (kind/kindnetd, built into the node image made here):
 * kind's manifest and DaemonSet with a stand-in daemon, because kind's
 * kindnetd module is not on the Go module proxy. It routes and masquerades
 * like classic kindnet (ptp + host-local + portmap) and has no NetworkPolicy
 * engine, which upstream kindnet (./kindnet.ts) has.
 */
export const kindnetdLab = defineCni({
  name: 'kindnetd-lab',
  summary: "kindnetd-lab: the lab's stand-in for kindnet (kind/kindnetd: ptp + host-local + portmap, routes, masquerade; no NetworkPolicy, which upstream kindnet has)",
  kindDefault: true,
  podSubnet: articlePodSubnet,
  source: { kind: 'bundled', nodeImage: 'local', describe: () => ({ build: "the lab's kindnetd (kind/kindnetd) in the node image built here, no NetworkPolicy" }) },
  kernel: { requires: [], because: 'routes and iptables masquerading only' },
  daemonSet: { namespace: 'kube-system', name: 'kindnet' },
  fingerprint: "kindnetd-lab (the lab's stand-in for kindnet: ptp + host-local + portmap, no NetworkPolicy)",
  enforcesNetworkPolicy: false,
  policyFilter: 'none',
  datapath: {
    crossNode: "kindnetd-lab adds a route per other node's pod CIDR via that node's InternalIP",
    masquerade: "kindnetd-lab masquerades only packets leaving the pod CIDR, to the node's address",
    podAttachment: "kindnetd-lab's ptp plugin gives each pod a veth with a /32 route on the node: no bridge plays docker0's role",
  },
});
