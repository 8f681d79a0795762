import { kindLabOf, nodeNamed } from '../environment/kind/index.ts';
import { hostExecOrThrow } from '../exec/host-exec.ts';
import { container } from './lab-container.ts';
import type { StartedWorkload, WorkloadSpec } from './workload.ts';

/** Runs commands in a workload container's network namespace with the host's tools (the container has no CAP_NET_ADMIN). */
async function inNetnsOf(workload: StartedWorkload, commands: readonly (readonly string[])[]): Promise<void> {
  const pid = (await hostExecOrThrow(['docker', 'inspect', '--format', '{{.State.Pid}}', workload.containerName])).stdout.trim();
  for (const argv of commands) await hostExecOrThrow(['nsenter', '-t', pid, '-n', ...argv]);
}

/**
 * A router on the nodes' network with no uplink: forwarding on, no default
 * route. A packet for a subnet it does not know (the pod or service CIDR) is
 * answered with ICMP "network unreachable", as an office router would answer.
 */
export function nodeNetworkRouter(network: string): WorkloadSpec {
  const inner = container({ image: 'toolbox', network });
  return {
    description: `lab router on ${network} (no uplink, no routes to the cluster's CIDRs)`,
    images: inner.images,
    podsOn: inner.podsOn,
    async start(name, env) {
      const router = await inner.start(name, env);
      await inNetnsOf(router, [['ip', 'route', 'del', 'default'], ['sysctl', '-qw', 'net.ipv4.ip_forward=1']]);
      return { ...router, description: this.description, place: { kind: 'router' } };
    },
  };
}

export interface OutsideOptions {
  /**
   * Routes into the cluster, as a cluster-aware office router would set them:
   * the service CIDR via one node (kube-proxy NATs it there), and each node's
   * podCIDR via that node (as kindnet routes between nodes, so replies come
   * back the way requests went). None by default.
   */
  readonly routes?: { readonly serviceCidrVia: string };
  readonly description: string;
}

/**
 * A client outside the cluster: a lab container on the nodes' network that
 * is not a node, its default route the lab router (nothing leaves the machine).
 */
export function outsideOfCluster(network: string, router: string, options: OutsideOptions): WorkloadSpec {
  const inner = container({ image: 'toolbox', network });
  return {
    description: options.description,
    images: inner.images,
    podsOn: inner.podsOn,
    dependsOn: [router],
    async start(name, env) {
      const client = await inner.start(name, env);
      const lab = kindLabOf(env);
      const routes = options.routes
        ? [[lab.facts.serviceCidr, nodeNamed(lab, options.routes.serviceCidrVia).address], ...lab.facts.nodes.map((node) => [node.podCidr, node.address])]
        : [];
      await inNetnsOf(client, [
        ['ip', 'route', 'replace', 'default', 'via', env.workloads[router]!.addresses[network]!],
        ...routes.map(([cidr, via]) => ['ip', 'route', 'add', cidr!, 'via', via!]),
      ]);
      return { ...client, description: this.description, place: { kind: 'outside-client' } };
    },
  };
}
