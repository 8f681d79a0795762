import { createPool, ensureMetallbImage, installMetallb, kindLabOf, kindNetwork, metallbNamespace, poolFromSubnet, poolObjects, readVersions, removeMetallb } from '../environment/kind/index.ts';
import { hostExec } from '../exec/host-exec.ts';
import { HostResource } from '../lab/host-resources.ts';
import type { Setup } from './setup.ts';

/**
 * What only one run at a time may have while K14 is tried: MetalLB in a
 * cluster (its CRDs and validating webhook are cluster-wide, one of each), and
 * the pool's addresses on the kind network, which every lab cluster shares
 * (two MetalLBs announcing one address would answer each other's ARP). Held
 * over the whole claim, from its "no load balancer" control until MetalLB
 * is removed again.
 */
export const loadBalancerResources = (cluster: string) => [HostResource.ofCluster(cluster, 'MetalLB'), `load-balancer pool on ${kindNetwork}`];

export interface MetallbSpec {
  /** The LoadBalancer Service of the run's namespace the pool is for; its status is cleared when MetalLB goes. */
  readonly service: string;
  /** The scenario network the nodes sit on (kindNodeNetwork()): the pool is taken from the top of its subnet. */
  readonly network: string;
  /** How many addresses the pool has. */
  readonly poolSize: number;
}

/** What the install made, for the probe's report. */
export interface InstalledLoadBalancer {
  readonly version: string;
  /** MetalLB's namespace, the run's own. */
  readonly namespace: string;
  readonly poolName: string;
  readonly poolRange: string;
}

/**
 * MetalLB (built from its Go module, L2 mode) in the run's own MetalLB
 * namespace, with a pool of a few addresses at the top of the
 * nodes' network (none a container holds) for Services of the run's
 * namespace only, and its L2Advertisement. Undone: MetalLB removed, and the
 * Service's status cleared (MetalLB leaves the address in it), so the
 * Service is as before and a --repeat round starts pending.
 */
export function metallbInstalled(spec: MetallbSpec): Setup<InstalledLoadBalancer> {
  const poolName = 'lab-pool';
  return {
    describe: `MetalLB (L2) with a pool of ${spec.poolSize} at the top of the nodes' subnet`,
    locks: (env) => loadBalancerResources(kindLabOf(env).cluster.name),
    // The image into the nodes (10 s on 3 nodes) while the attempts before see the cluster without a load balancer.
    prepare: async (env) => void (await ensureMetallbImage(kindLabOf(env), env.logger)),
    async apply(check, env) {
      const lab = kindLabOf(env);
      const version = (await readVersions()).METALLB_VERSION;
      const subnet = check.need(env.networks[spec.network]?.subnet, `the subnet of ${spec.network}`);
      const members = await check.must(hostExec(['docker', 'network', 'inspect', kindNetwork, '--format', '{{range .Containers}}{{.IPv4Address}} {{end}}']), `the addresses on ${kindNetwork}`);
      const pool = poolFromSubnet(subnet, spec.poolSize, members.stdout.split(/\s+/).filter(Boolean).map((a) => a.split('/')[0]!));
      const installed = await installMetallb(lab, env.run, env.logger);
      for (const result of installed.evidence) await check.record(result);
      await check.record(createPool(lab, poolObjects(env.run.id, poolName, pool.range, lab.namespace)));
      const namespace = metallbNamespace(env.run.id);
      await check.must(lab.cluster.kubectl(['-n', namespace, 'get', 'ipaddresspools,l2advertisements', '-o', 'jsonpath={range .items[*]}{.kind} {.metadata.name}: {.spec}{"\\n"}{end}']), 'the pool and its advertisement');
      return { version, namespace, poolName, poolRange: pool.range };
    },
    async undo(check, env) {
      const lab = kindLabOf(env);
      await check.record(removeMetallb(lab, env.run.id).then(() => lab.cluster.kubectl(['get', 'crd', '-o', 'name', '-l', 'netproof.addon=metallb'])));
      await check.record(lab.cluster.kubectl(['-n', lab.namespace, 'patch', 'service', spec.service, '--subresource=status', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":null}}}']));
    },
  };
}
