import { hostExecOrThrow } from '../../exec/host-exec.ts';
import type { NetworkSpec } from '../docker/index.ts';
import { kindBridge, kindNetwork } from './kind-network.ts';

/**
 * The kind nodes' own Docker network as a scenario network, so lab
 * containers (outside clients, a router) can sit beside the nodes. It is the
 * cluster's, not the run's: nothing is created or removed here.
 */
export function kindNodeNetwork(): NetworkSpec {
  return {
    description: `the kind nodes' network (${kindNetwork}, bridge ${kindBridge}, guarded against forwarding off the machine)`,
    async start(name) {
      const inspected = await hostExecOrThrow(['docker', 'network', 'inspect', kindNetwork, '--format', '{{json .}}']);
      const network = JSON.parse(inspected.stdout) as { Id: string; IPAM: { Config: { Subnet: string; Gateway?: string }[] } };
      // The network is dual-stack: the IPv4 subnet is the one probes use.
      const ipv4 = network.IPAM.Config.find((c) => c.Subnet.includes('.'));
      if (!ipv4) throw new Error(`${kindNetwork} has no IPv4 subnet`);
      return { name, dockerName: kindNetwork, id: network.Id, bridge: kindBridge, subnet: ipv4.Subnet, gateway: ipv4.Gateway ?? '' };
    },
  };
}
