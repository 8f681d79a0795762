import { kindLabOf, nodeNamed } from '../environment/kind/index.ts';
import { HostResource } from '../lab/host-resources.ts';
import type { Setup } from './setup.ts';

/** Docker's default bridge as dockerd makes it on a host it starts on: name, address and state. */
export const dockerDefaultBridge = { name: 'docker0', address: '172.17.0.1/16' } as const;

/**
 * Makes a kind node the node of article 000, which runs Docker too: a bridge
 * `docker0` with 172.17.0.1/16, up, in the node's network namespace, as
 * dockerd would make it. The bridge, not a dockerd, because the bridge is
 * all that decides a pod's packet to 172.17.0.1 (the node's own address:
 * delivered locally); a dockerd inside a kind node would need its own image
 * and nested cgroups and change nothing on that path. Removed after the
 * attempt; one run of a cluster at a time has it.
 */
export function docker0OnNode(node: string): Setup<void> {
  const { name, address } = dockerDefaultBridge;
  return {
    describe: `a ${name} bridge with ${address} on the ${node} node, as dockerd makes it`,
    locks: (env) => [HostResource.ofCluster(kindLabOf(env).cluster.name, `${name} on ${node}`)],
    async apply(check, env) {
      const lab = kindLabOf(env);
      const target = nodeNamed(lab, node).name;
      await check.must(lab.cluster.nodeExec(target, ['ip', 'link', 'add', name, 'type', 'bridge']), `adding ${name} on ${node}`);
      await check.must(lab.cluster.nodeExec(target, ['ip', 'addr', 'add', address, 'dev', name]), `addressing ${name} on ${node}`);
      await check.must(lab.cluster.nodeExec(target, ['ip', 'link', 'set', name, 'up']), `bringing ${name} up on ${node}`);
    },
    async undo(check, env) {
      const lab = kindLabOf(env);
      // A half-made setup may have no bridge yet: the delete's failure is recorded, not fatal.
      await check.record(lab.cluster.nodeExec(nodeNamed(lab, node).name, ['ip', 'link', 'del', name]));
    },
  };
}
