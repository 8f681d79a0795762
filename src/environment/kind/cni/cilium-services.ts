/**
 * Where cilium replaces kube-proxy, Services live in its BPF service table,
 * not in iptables: what kube-proxy's NAT rules say elsewhere, this reads from
 * `cilium-dbg service list` in cilium's agent pod on a node.
 */
import type { ExecResult } from '../../../exec/exec-result.ts';
import type { StartedKindCluster } from '../kind-cluster.ts';

/** One frontend of cilium's service table that belongs to a Service. */
export interface CiliumFrontend {
  readonly frontend: string;
  readonly type: string;
  readonly backends: readonly string[];
}

interface CiliumService {
  readonly spec?: {
    readonly flags?: { readonly name?: string; readonly namespace?: string; readonly type?: string };
    readonly 'frontend-address'?: { readonly ip: string; readonly port: number; readonly protocol?: string };
    readonly 'backend-addresses'?: readonly { readonly ip: string; readonly port: number; readonly state?: string }[];
  };
}

/** The Service's frontends in the table (`cilium-dbg service list -o json`), each with its active backends. */
export function serviceFrontends(listing: string, namespace: string, service: string): CiliumFrontend[] {
  return (JSON.parse(listing) as CiliumService[])
    .filter((e) => e.spec?.flags?.namespace === namespace && e.spec.flags.name === service)
    .map((e) => {
      const front = e.spec!['frontend-address'];
      return {
        frontend: front ? `${front.ip}:${front.port}/${front.protocol ?? 'TCP'}` : '?',
        type: e.spec!.flags!.type ?? '?',
        backends: (e.spec!['backend-addresses'] ?? []).filter((b) => (b.state ?? 'active') === 'active').map((b) => `${b.ip}:${b.port}`),
      };
    });
}

/** A command in cilium's agent pod on the node (`kubectl exec`); the lookup's failed result when the node has no agent pod. */
export async function inCiliumAgent(cluster: StartedKindCluster, node: string, argv: readonly string[]): Promise<ExecResult> {
  const agent = await cluster.kubectl(['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=cilium', '--field-selector', `spec.nodeName=${node}`, '-o', 'name']);
  const pod = agent.stdout.trim().split('\n')[0];
  if (agent.exitCode !== 0 || !pod) return agent.exitCode !== 0 ? agent : { ...agent, exitCode: 1, stderr: `no cilium agent pod on ${node}` };
  return cluster.kubectl(['-n', 'kube-system', 'exec', pod, '-c', 'cilium-agent', '--', ...argv]);
}

/** `cilium-dbg service list -o json` in cilium's agent pod on the node. */
export const ciliumServiceList = (cluster: StartedKindCluster, node: string): Promise<ExecResult> => inCiliumAgent(cluster, node, ['cilium-dbg', 'service', 'list', '-o', 'json']);
